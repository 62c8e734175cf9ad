// The DMM board: MOJ sortable tables that keep their order across the background refresh, and the
// 30-day trend chart (Chart.js). No inline script: data comes from a json_script element.
const root = document.getElementById("dmm-board");
const sorted = {}; // table id -> { index, direction } chosen by the user
let SortableTable = null;

function remember() {
  for (const table of root.querySelectorAll("table[data-module='moj-sortable-table']")) {
    const heading = table.querySelector("thead th[aria-sort='ascending'], thead th[aria-sort='descending']");
    if (heading && table.id) {
      sorted[table.id] = { index: [...heading.parentElement.children].indexOf(heading), direction: heading.getAttribute("aria-sort") };
    }
  }
}

function makeSortable(scope) {
  if (!SortableTable) return;
  for (const table of scope.querySelectorAll("table[data-module='moj-sortable-table']")) {
    if (table.dataset.dmmSortable) continue;
    const saved = sorted[table.id];
    if (saved) {
      table.querySelectorAll("thead th").forEach((heading, index) => {
        if (heading.hasAttribute("aria-sort")) heading.setAttribute("aria-sort", index === saved.index ? saved.direction : "none");
      });
    }
    new SortableTable(table);
    table.dataset.dmmSortable = "1";
  }
}

function drawTrend() {
  const canvas = document.getElementById("dmm-trend");
  const source = document.getElementById("dmm-trend-data");
  if (!canvas || !source || !window.Chart) return;
  const trend = JSON.parse(source.textContent);
  const styles = [
    { borderColor: "#d4351c", backgroundColor: "#d4351c", borderDash: [] },
    { borderColor: "#1d70b8", backgroundColor: "#1d70b8", borderDash: [6, 4] },
    { borderColor: "#00703c", backgroundColor: "#00703c", borderDash: [2, 2] },
  ];
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: trend.labels,
      datasets: trend.series.map((s, i) => ({ label: s.label, data: s.values, tension: 0, pointRadius: 2, ...styles[i % styles.length] })),
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

if (root) {
  import(root.dataset.mojFrontend).then((moj) => {
    SortableTable = moj.SortableTable;
    makeSortable(root);
  });
  const poll = document.getElementById("dmm-poll");
  // Remember the user's sort whenever it changes and just before any section is replaced.
  root.addEventListener("click", (event) => {
    if (event.target.closest("thead th button")) setTimeout(remember, 0);
  });
  document.body.addEventListener("htmx:oobBeforeSwap", remember);
  // The refresh swaps the sections' bodies out of band: make their new tables sortable as they land.
  for (const name of ["htmx:oobAfterSwap", "htmx:afterSwap", "htmx:afterSettle"]) {
    document.body.addEventListener(name, () => makeSortable(root));
  }
  // A background refresh after the session ended: go to the sign-in page rather than show stale data.
  poll.addEventListener("htmx:responseError", (event) => {
    if (event.detail.xhr.status === 401 || event.detail.xhr.status === 403) window.location.reload();
  });
  if (window.Chart) drawTrend();
  else window.addEventListener("load", drawTrend);
}
