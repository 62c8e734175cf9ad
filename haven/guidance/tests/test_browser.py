"""The library and an item page in a real Chromium at 375 px: an officer finds the briefing, marks it
watched; no axe-core WCAG 2.2 AA violation, no Content Security Policy violation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_the_library_and_an_item_at_375_px(
    live_server: Any, page: Any, make_user: Any, make_item: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    officer = make_user("pcg", roles=("response_officer",), rank="PC", team="TEST")
    item = make_item(roles=("response_officer",))
    make_item("Sharing information with partners", kind="document", places=("child_concern_referral",))
    page.set_viewport_size({"width": 375, "height": 800})
    watch = ConsoleWatch(page)
    sign_in(page, live_server, officer)

    page.goto(f"{live_server.url}/guidance/")
    assert "Sharing information with partners" in page.get_by_test_id("guidance-items").inner_text()
    assert_accessible(page, "the guidance library")
    page.screenshot(path=artifacts / "guidance-library.png", full_page=True)
    page.get_by_label("Where it applies").select_option("reporting_missing")
    page.get_by_role("button", name="Show guidance").click()
    page.wait_for_url(re.compile(r"place=reporting_missing"))
    assert "Sharing information" not in page.get_by_test_id("guidance-items").inner_text()
    page.get_by_role("link", name=item.title).click()

    assert_accessible(page, "a guidance item")
    page.get_by_test_id("mark-read").click()
    assert "You recorded that you watched version 1" in page.get_by_test_id("my-read").inner_text()
    assert_accessible(page, "a guidance item once watched")
    page.screenshot(path=artifacts / "guidance-item.png", full_page=True)
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []
