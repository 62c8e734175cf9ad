"""An officer's training record and the team page in a real Chromium at 375 px: no axe-core WCAG 2.2 AA
violation, no Content Security Policy violation."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_t01_the_record_and_team_pages_at_375_px(
    live_server: Any, page: Any, make_user: Any, qualify: Any, sergeant: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    officer = make_user("dcb", roles=("investigator",), rank="DC", team="TEST")
    qualify(officer, "pip2", on=date(2022, 1, 5))
    qualify(officer, "abe", on=date(2020, 1, 5), evidence="ABE course 2020")
    page.set_viewport_size({"width": 375, "height": 800})
    watch = ConsoleWatch(page)
    sign_in(page, live_server, sergeant)

    page.goto(f"{live_server.url}/workforce/team/")
    assert "Expired" in page.get_by_test_id("team").inner_text()
    assert_accessible(page, "team training page")
    page.screenshot(path=artifacts / "workforce-team.png", full_page=True)
    page.get_by_role("link", name=officer.rank_and_name).click()

    decisions = page.get_by_test_id("decisions").inner_text()
    assert "Achieving Best Evidence interviewing expired on 5 January 2023." in decisions
    assert_accessible(page, "an officer's training record")
    page.screenshot(path=artifacts / "workforce-record.png", full_page=True)
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []
