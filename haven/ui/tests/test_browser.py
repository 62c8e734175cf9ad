"""Haven in a real headless Chromium: signing in with a second factor, the home page, the error
pages and forms, the session-timeout warning. Every page checked passes axe-core's WCAG 2.2 AA
rules with no violations, and the browser reports no Content Security Policy violations."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.core.testing import DEFAULT_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
README_IMAGES = Path(__file__).resolve().parents[3] / "docs" / "images"

_axe = Axe()


def assert_accessible(page: Any, name: str) -> None:
    """Run axe-core with the WCAG 2.2 AA rules; fail listing every violation and where it is."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    report = results.generate_report() if violations else ""
    assert not violations, f"axe-core found accessibility problems on the {name} page ({page.url}):\n{report}"


def assert_no_gds_transport(page: Any) -> None:
    """Haven is not a GOV.UK service: no element may be drawn in the GDS Transport typeface."""
    offenders = page.evaluate(
        "[...document.querySelectorAll('*')]"
        ".filter(e => getComputedStyle(e).fontFamily.includes('GDS Transport'))"
        ".map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))"
    )
    assert offenders == [], f"GDS Transport used on {page.url} by: {offenders}"


class ConsoleWatch:
    """Collects what the browser says about Content Security Policy while a page loads and runs."""

    def __init__(self, page: Any) -> None:
        self.messages: list[str] = []
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        # Also listen for the DOM event, which catches violations that never reach the console.
        page.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
            "`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile}:${e.lineNumber}`));"
        )

    def _console(self, message: Any) -> None:
        self.messages.append(f"{message.type}: {message.text}")

    def csp_violations(self, page: Any) -> list[str]:
        from_console = [m for m in self.messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
        return from_console + list(page.evaluate("window.__cspViolations || []"))


def sign_in(page: Any, live_server: Any, user: Any, artifacts: Path | None = None) -> None:
    """Sign in as a person does: username and password, then the code from the authenticator app.

    With ``artifacts``, also checks both pages with axe and keeps screenshots of them.
    """
    page.goto(f"{live_server.url}/sign-in/")
    assert page.locator("h1").inner_text() == "Sign in to Haven"
    if artifacts is not None:
        assert_accessible(page, "sign-in")
        page.screenshot(path=artifacts / "sign-in.png", full_page=True)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/second-factor/auth/TOTP/")
    assert page.locator("h1").inner_text() == "Enter your security code"
    if artifacts is not None:
        assert_accessible(page, "second-factor")
        page.screenshot(path=artifacts / "second-factor.png", full_page=True)
    page.get_by_label("Code").fill(pyotp.TOTP(user.totp_secret).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")


def test_sign_in_with_second_factor_reaches_an_accessible_home_page(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)  # a healthy worker, so the home page shows no warning banner
    user = make_user("asmith", roles=("supervisor",), rank="PS", team="RESP")
    watch = ConsoleWatch(page)

    sign_in(page, live_server, user, artifacts)

    header = page.get_by_test_id("signed-in-user")
    assert user.display_name in header.inner_text()
    assert "PS" in header.inner_text()
    assert header.locator("abbr").get_attribute("title") == "Police Sergeant"
    assert "Team RESP" in header.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Your work"
    assert page.locator(".haven-worker-warning").count() == 0
    page.wait_for_load_state("networkidle")  # GOV.UK Frontend and htmx have loaded and run
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert_accessible(page, "home")
    assert_no_gds_transport(page)
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []

    page.screenshot(path=artifacts / "home.png", full_page=True)
    README_IMAGES.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(artifacts / "home.png", README_IMAGES / "home.png")


def test_worker_warning_is_accessible_and_does_not_take_focus(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, artifacts: Path
) -> None:
    # No heartbeat: the worker has never reported in, so every page warns.
    sign_in(page, live_server, make_user())
    page.wait_for_load_state("networkidle")

    banner = page.get_by_role("region", name="Warning")
    assert "background worker has not reported in" in banner.inner_text()
    # A standing warning must not grab focus (or be re-announced) on every page the user opens.
    assert page.evaluate("document.activeElement === document.body")
    assert_accessible(page, "home with worker warning")
    page.screenshot(path=artifacts / "worker-warning.png", full_page=True)


def test_not_found_page_is_accessible(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    sign_in(page, live_server, make_user())
    watch = ConsoleWatch(page)

    response = page.goto(f"{live_server.url}/no-such-page/")

    assert response is not None
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page, "404")
    assert watch.csp_violations(page) == []
    page.screenshot(path=artifacts / "404.png", full_page=True)


def test_form_errors_are_summarised_accessibly(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    sign_in(page, live_server, make_user(roles=("administrator",)))

    page.goto(f"{live_server.url}/administration/teams/new/")
    page.get_by_role("button", name="Save").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert page.title().startswith("Error: ")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    page.wait_for_load_state("networkidle")
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert_accessible(page, "admin form with errors")
    assert_no_gds_transport(page)  # GOV.UK's error summary links ask for it with a more specific rule
    page.screenshot(path=artifacts / "form-errors.png", full_page=True)

    first_link = summary.get_by_role("link").first
    target = first_link.get_attribute("href")
    first_link.click()
    assert page.evaluate("document.activeElement.id") == target.removeprefix("#")


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/administration/users/", "Users"),
        ("/administration/users/new/", "Add a user"),
        ("/administration/roles/", "Roles"),  # a wide table in a scrolling region keyboard users can reach
        ("/account/", "Your account"),
    ],
)
def test_other_pages_are_accessible(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, path: str, heading: str
) -> None:
    heartbeat_record(name=WORKER)
    sign_in(page, live_server, make_user(roles=("administrator",)))

    page.goto(f"{live_server.url}{path}")

    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(page, heading)


def test_a_pc_whose_clock_differs_from_the_servers_is_neither_signed_out_nor_warned(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, clock: Any
) -> None:
    # The server's clock a day behind the PC's: counted to the server's expiry time, the page thought
    # the session long over and sent its user to sign in, which sent them back, every second.
    clock.travel(timedelta(days=-1))
    heartbeat_record(name=WORKER)
    sign_in(page, live_server, make_user())
    page.goto(f"{live_server.url}/")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    page.wait_for_timeout(2_500)  # the countdown checks every second

    assert navigations == []
    assert page.get_by_role("heading", level=1).inner_text() == "Your work"
    assert not page.locator("dialog#session-timeout").is_visible()


def test_session_timeout_warning_appears_and_stay_signed_in_extends_the_session(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, settings: Any, artifacts: Path
) -> None:
    # Idle expiry 2 minutes 5 seconds away: the 2-minute warning is due about 5 seconds after load.
    settings.HAVEN_SESSION_IDLE = timedelta(minutes=2, seconds=5)
    heartbeat_record(name=WORKER)
    sign_in(page, live_server, make_user())
    watch = ConsoleWatch(page)
    page.reload()

    dialog = page.locator("dialog#session-timeout")
    first_expiry = datetime.fromisoformat(dialog.get_attribute("data-expires-at"))
    assert not dialog.is_visible()

    dialog.wait_for(state="visible", timeout=15_000)
    assert page.evaluate("document.getElementById('session-timeout').open")
    assert dialog.get_by_role("heading").inner_text() == "You will be signed out soon"
    assert "minute" in dialog.locator(".haven-countdown").inner_text()
    # The modal dialog takes focus, on its safe choice.
    assert page.evaluate("document.activeElement.dataset.action") == "stay"
    assert_accessible(page, "session-timeout warning")
    page.screenshot(path=artifacts / "session-timeout.png", full_page=True)

    with page.expect_response("**/session/keepalive/") as keepalive:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert keepalive.value.status == 200
    dialog.wait_for(state="hidden", timeout=2_000)
    second_expiry = datetime.fromisoformat(dialog.get_attribute("data-expires-at"))
    assert second_expiry > first_expiry
    assert second_expiry == datetime.fromisoformat(keepalive.value.json()["expires_at"])
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)

    # Still signed in: the next page is Haven, not the sign-in page.
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your work"
