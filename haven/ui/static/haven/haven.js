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
  // From the seconds left by the server's clock: the PC's own clock may be minutes out.
  let expiresAt = Date.now() + Number(dialog.dataset.expiresIn) * 1000;
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
    expiresAt = Date.now() + body.expires_in * 1000;
    dialog.dataset.expiresAt = body.expires_at;
    dialog.dataset.expiresIn = body.expires_in;
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

// Wide tables scroll inside their own box, never the page (375 px phones to 1,920 px screens). Every
// table in the page's main content gets a box; a box that actually scrolls becomes a labelled region
// keyboard users can reach (tabindex="0"), as WCAG asks of scrollable content, and stops being one when
// the window grows and it no longer scrolls. Boxes written into a template (class "haven-scroll" with
// their own label) are left as they are. Tables htmx swaps in later get theirs too.
function tableLabel(table) {
  const caption = table.querySelector("caption");
  const words = caption ? caption.textContent.trim().replace(/\s+/g, " ") : "";
  return `${words || "Table"} (scrolls sideways)`;
}

function fitScrollBox(box) {
  if (box.dataset.havenScroll !== "js") return;
  const scrolls = box.scrollWidth > box.clientWidth; // as axe-core decides: even 1 px makes it a scrolling region
  if (scrolls && !box.hasAttribute("tabindex")) {
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", tableLabel(box.querySelector("table")));
  } else if (!scrolls && box.hasAttribute("tabindex")) {
    box.removeAttribute("tabindex");
    box.removeAttribute("role");
    box.removeAttribute("aria-label");
  }
}

const scrollBoxes = new ResizeObserver((entries) => entries.forEach((entry) => fitScrollBox(entry.target)));

function boxTables(scope) {
  for (const table of scope.querySelectorAll("main table")) {
    if (table.closest(".haven-scroll")) continue;
    const box = document.createElement("div");
    box.className = "haven-scroll";
    box.dataset.havenScroll = "js";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    fitScrollBox(box);
    scrollBoxes.observe(box);
  }
}

boxTables(document);
document.body.addEventListener("htmx:afterSettle", (event) => boxTables(event.target.closest("main") ? event.target : document));
