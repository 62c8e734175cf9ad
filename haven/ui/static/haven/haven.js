// Haven's page behaviour: start GOV.UK Frontend, and warn before the session times out.
const govukUrl = document.body.dataset.govukFrontend;
if (govukUrl) {
  import(govukUrl).then(({ initAll }) => initAll());
}

function formatRemaining(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = Math.max(0, Math.floor(seconds % 60));
  if (minutes <= 0) return `${rest} second${rest === 1 ? "" : "s"}`;
  return `${minutes} minute${minutes === 1 ? "" : "s"}${rest ? ` ${rest} second${rest === 1 ? "" : "s"}` : ""}`;
}

function startTimeoutWarning(dialog) {
  let expiresAt = new Date(dialog.dataset.expiresAt).getTime();
  const warnMs = Number(dialog.dataset.warnSeconds) * 1000;
  const countdown = dialog.querySelector(".haven-countdown");
  // Background requests never count as activity (header read by SessionTimeoutMiddleware).
  const headers = { "X-Haven-Background": "1", "X-Requested-With": "fetch" };

  async function stay() {
    const response = await fetch(dialog.dataset.keepaliveUrl, {
      method: "POST",
      headers: { ...headers, "X-CSRFToken": csrfToken(), "X-Haven-Background": "" },
      credentials: "same-origin",
    });
    if (!response.ok) return signedOut();
    const body = await response.json();
    expiresAt = new Date(body.expires_at).getTime();
    dialog.dataset.expiresAt = body.expires_at;
    dialog.close();
  }

  function signedOut() {
    window.location.assign(`${dialog.dataset.signinUrl}?next=${encodeURIComponent(window.location.pathname)}`);
  }

  dialog.querySelector('[data-action="stay"]').addEventListener("click", stay);
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); stay(); });

  setInterval(() => {
    const left = expiresAt - Date.now();
    if (left <= 0) return signedOut();
    if (left <= warnMs) {
      countdown.textContent = formatRemaining(left / 1000);
      if (!dialog.open) {
        dialog.showModal();
        dialog.querySelector('[data-action="stay"]').focus();
      }
    }
  }, 1000);
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

const dialog = document.getElementById("session-timeout");
if (dialog) startTimeoutWarning(dialog);
