"""Every page of Haven in Chromium, at a phone's width (375 px) and a laptop's (1,280 px): axe-core
finds no WCAG 2.2 AA violation and the page never scrolls sideways (wide tables scroll inside their
own box instead).

Pages are found as tests/pages.py finds them (every UI route of the URLconf, over the demo force), so
a page added later is walked as soon as its route is registered. Each page is opened as the first demo
user who may open it (a test client tries them in turn); fragments htmx swaps into a page (no
``<html>``) are checked as part of their page.
"""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.ui.tests.test_browser import WCAG_22_AA, _axe
from tests.pages import client_for, demo_users, ui_routes, urls_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.timeout(900),  # every page of the demo force at one width, as the plain-English walk
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]

WIDTHS = (375, 1280)


@pytest.fixture
def demo_force(transactional_db: Any) -> None:
    from haven.demo.seed import seed_demo

    seed_demo()
    heartbeat_record(name=WORKER)  # a healthy worker: no warning banner on every page


def _pages() -> dict[str, list[str]]:
    """username -> the full pages (one URL a route) that user is the first demo user to open."""
    clients = {user.username: (user, client_for(user)) for user in demo_users()}
    by_user: dict[str, list[str]] = {}
    for route in ui_routes():
        for url in urls_for(route, per_route=1):
            for username, (_, client) in clients.items():
                response = client.get(url)
                if (
                    response.status_code == 200
                    and "html" in response.get("Content-Type", "")
                    and b"<html" in response.content[:500]
                ):
                    by_user.setdefault(username, []).append(url)
                    break
    return by_user


def _sign_in(page: Any, base: str, user: Any) -> None:
    from mfa.models import MFAKey

    from haven.demo.constants import DEMO_PASSWORD

    secret = MFAKey.objects.filter(user=user, method="TOTP").values_list("secret", flat=True)[0]
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/second-factor/auth/TOTP/")
    # The code the test client's sign-in used is spent (no replay): the next one is accepted too.
    page.get_by_label("Enter your security code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/")


def _problems(page: Any, url: str, width: int) -> list[str]:
    found = []
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if sideways > 0:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('main *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.haven-scroll'))
              .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))"""
        )
        found.append(f"{url} at {width} px scrolls sideways by {sideways} px ({', '.join(wide)})")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]})
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        found.append(f"{url} at {width} px: {violation['id']} ({violation['help']}) at {'; '.join(targets)}")
    return found


# One test a width, so the suite's two processes can walk the two widths at once.
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_is_accessible_and_never_scrolls_sideways(
    width: int, demo_force: None, live_server: Any, browser: Any, artifacts: Any
) -> None:
    from haven.accounts.models import User

    pages = _pages()
    assert sum(len(urls) for urls in pages.values()) > 60, "the walk found the demo force's pages"
    # The pages no demo user can open (a form for a state no demo record is in) are few and known: every
    # part of Haven is reached.
    opened = {url for urls in pages.values() for url in urls}
    for part in ("/dmm/", "/cases/", "/missing/", "/audit/", "/policy/"):
        assert any(url.startswith(part) for url in opened), f"no page under {part} was opened"
    problems: list[str] = []
    for username, urls in sorted(pages.items()):
        context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
        page = context.new_page()
        _sign_in(page, live_server.url, User.objects.get(username=username))
        for url in urls:
            # goto waits for the load event: the page's script (haven.js boxes wide tables) has run.
            response = page.goto(f"{live_server.url}{url}")
            if response is None or response.status >= 500:  # noqa: PLR2004
                problems.append(f"{url} as {username}: {response.status if response else 'no answer'}")
                continue
            problems.extend(f"{p} (as {username})" for p in _problems(page, url, width))
        context.close()
    walked = sum(len(urls) for urls in pages.values())
    print(f"Walked {walked} pages as {len(pages)} users at {width} px")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
