"""The manager's referrals report in a real Chromium at 375 px, with its charts: no axe-core WCAG 2.2 AA
violation, no Content Security Policy violation, no script error."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.referrals.choices import ReferralState
from haven.referrals.models import ChildConcernReferral
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_the_referrals_report_at_375_px(
    live_server: Any, page: Any, make_user: Any, raise_referral: Any, clock: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    manager = make_user("reportdi", roles=("inspector",), rank="DI", team="CMD")
    shared = raise_referral()
    raise_referral()  # still waiting
    clock.travel(timedelta(hours=3, minutes=20))  # shared 3 hours 20 minutes after it was raised
    now = clock.now()
    ChildConcernReferral.objects.filter(pk=shared.pk).update(state=ReferralState.SHARED, shared_at=now, decided_at=now)
    page.set_viewport_size({"width": 375, "height": 800})
    watch = ConsoleWatch(page)
    sign_in(page, live_server, manager)

    page.goto(f"{live_server.url}/referrals/queue/")
    page.get_by_test_id("report-link").click()
    page.wait_for_url("**/referrals/report/")
    assert "Team RESP-A" in page.get_by_test_id("by-team").inner_text()
    assert "3 hours 20 minutes" in page.get_by_test_id("by-week").inner_text()
    page.wait_for_function("() => [...document.querySelectorAll('canvas[data-chart]')].every(c => c.width > 0)")
    assert_accessible(page, "referrals report")
    page.screenshot(path=artifacts / "referrals-report.png", full_page=True)

    page.get_by_label("Team that raised the referral").select_option(label="Team RESP-A")
    page.get_by_role("button", name="Show the figures").click()
    assert "Team RESP-A, by week beginning" in page.get_by_test_id("by-week").inner_text()
    assert_accessible(page, "referrals report for one team")
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []
