// Report charts (the training report, capacity, the referrals report): Chart.js, as the DMM board draws its trend.
// No inline script: each <canvas data-chart="ID"> reads its figures from the json_script element ID,
// {type: "line" | "bar", labels: [...], series: [{label, values}], stacked, percent}.
const styles = [
  { borderColor: "#1d70b8", backgroundColor: "#1d70b8", borderDash: [] },
  { borderColor: "#d4351c", backgroundColor: "#d4351c", borderDash: [6, 4] },
  { borderColor: "#00703c", backgroundColor: "#00703c", borderDash: [2, 2] },
  { borderColor: "#6f72af", backgroundColor: "#6f72af", borderDash: [8, 2] },
];

function draw() {
  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) continue;
    const chart = JSON.parse(source.textContent);
    const y = { beginAtZero: true, stacked: !!chart.stacked, ticks: { precision: 0 } };
    if (chart.percent) y.max = 100;
    new window.Chart(canvas, {
      type: chart.type,
      data: {
        labels: chart.labels,
        datasets: chart.series.map((s, i) => ({ label: s.label, data: s.values, tension: 0, pointRadius: 3, ...styles[i % styles.length] })),
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { x: { stacked: !!chart.stacked }, y } },
    });
  }
}

if (window.Chart) draw();
else window.addEventListener("load", draw);
