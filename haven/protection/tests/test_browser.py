"""The journey in a real Chromium at 375 px: a designated officer records their inquiry and the last
notification, checks the checklist and ends a child's police protection; no axe-core WCAG 2.2 AA
violation, no CSP violation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from haven.core import clock
from haven.core.heartbeat import WORKER, heartbeat_record
from haven.core.operations import run
from haven.protection import operations
from haven.protection.models import PoliceProtection
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def _fill_when(page: Any, legend: str, moment: Any) -> None:
    local = timezone.localtime(moment)
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(local.day))
    group.get_by_label("Month").fill(str(local.month))
    group.get_by_label("Year").fill(str(local.year))
    group.get_by_label("Time (24-hour)").fill(f"{local:%H:%M}")


def test_a_designated_officer_ends_police_protection_with_its_checklist(
    live_server: Any, page: Any, start: Any, force: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    protection = start(hours_ago=30)
    for item in ("la_found", "la_appropriate", "child_informed", "wishes"):
        run(
            operations.notification_record,
            actor=force["constable"],
            target=protection,
            data={"item": item, "at": (clock.now() - timedelta(hours=29)).isoformat(), "to_whom": "Northshire EDT"},
        )
    page.set_viewport_size({"width": 375, "height": 800})
    watch = ConsoleWatch(page)
    sign_in(page, live_server, force["designated"])

    page.goto(f"{live_server.url}/protection/{protection.public_id}/")
    assert "hours left" in page.get_by_test_id("protection-state").inner_text()
    assert_accessible(page, "the police protection")
    for path in ("accommodation/", "epo/", "strategy-discussion/", "designated-officer/", "contact/"):
        page.goto(f"{live_server.url}/protection/{protection.public_id}/{path}")
        assert_accessible(page, path)
    page.goto(f"{live_server.url}/protection/")
    assert_accessible(page, "children in police protection")
    page.screenshot(path=artifacts / "protection-list.png", full_page=True)
    page.get_by_role("link", name=protection.child.full_name).click()
    page.get_by_test_id("inquiry").click()
    page.get_by_label("Your inquiry").fill("Spoke to the EDT and the grandmother, who can care for her.")
    assert_accessible(page, "the inquiry")
    page.get_by_role("button", name="Save the inquiry").click()

    page.get_by_test_id("record-parents").click()
    page.get_by_role("group", name="Was it done?").get_by_label("Yes").check()
    _fill_when(page, "When?", clock.now() - timedelta(hours=1))
    page.get_by_label("Who was told?").fill("Mother, by phone")
    assert_accessible(page, "a notification")
    page.get_by_role("button", name="Record").click()

    page.get_by_test_id("end").click()
    assert "Not yet recorded" not in page.get_by_test_id("checklist").inner_text()
    _fill_when(page, "When did police protection end?", clock.now())
    page.get_by_role("group", name="How did it end?").get_by_label(
        "Released after the designated officer's inquiry"
    ).check()
    page.get_by_label("Your decision as designated officer").fill("Released to the grandmother; no longer at risk.")
    assert_accessible(page, "end police protection")
    page.screenshot(path=artifacts / "protection-end.png", full_page=True)
    page.get_by_role("button", name="End police protection").click()

    assert "Ended" in page.get_by_test_id("protection-state").inner_text()
    assert_accessible(page, "the ended police protection")
    assert PoliceProtection.objects.get().outcome == "released"
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []
