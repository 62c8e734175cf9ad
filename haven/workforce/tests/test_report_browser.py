"""The force's training report and the capacity view in a real Chromium at 375 px, with their charts:
no axe-core WCAG 2.2 AA violation, no Content Security Policy violation, no script error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in
from haven.workforce.selectors import today

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_t02_the_report_and_capacity_pages_at_375_px(
    live_server: Any, page: Any, make_user: Any, qualify: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    lead = make_user("lead", roles=("inspector",), rank="INSP", team="TEST")
    for n in range(3):
        officer = make_user(f"pc{n}", team="TEST")
        if n:
            qualify(officer, "missing_elearning_1", on=today().replace(day=1))
    page.set_viewport_size({"width": 375, "height": 800})
    watch = ConsoleWatch(page)
    sign_in(page, live_server, lead)

    page.goto(f"{live_server.url}/workforce/report/")
    assert "Team TEST" in page.get_by_test_id("by-team").inner_text()
    page.wait_for_function("() => document.querySelector('canvas[data-chart]').width > 0")
    assert_accessible(page, "training report")
    page.screenshot(path=artifacts / "workforce-report.png", full_page=True)

    page.goto(f"{live_server.url}/workforce/capacity/")
    assert "Team TEST" in page.get_by_test_id("establishment").inner_text()
    assert_accessible(page, "capacity")
    page.screenshot(path=artifacts / "workforce-capacity.png", full_page=True)
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []
