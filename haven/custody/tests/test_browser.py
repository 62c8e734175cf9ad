"""The journey in a real Chromium at 375 px: a custody officer records that a 15-year-old was charged and
refused bail, then the request for local authority accommodation; no axe-core WCAG 2.2 AA violation, no
CSP violation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from haven.core import clock
from haven.core.heartbeat import WORKER, heartbeat_record
from haven.custody.models import Detention
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


def test_a_custody_officer_records_a_charged_child_refused_bail_and_the_request(
    live_server: Any, page: Any, book: Any, staff: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    with clock.moved(-timedelta(hours=4)):
        detention = book()
    page.set_viewport_size({"width": 375, "height": 800})
    watch = ConsoleWatch(page)
    sign_in(page, live_server, staff["officer"])

    page.goto(f"{live_server.url}/custody/new/?q=Kai+Morgan")
    assert_accessible(page, "record a child in custody: find the child")
    page.goto(f"{live_server.url}/custody/")
    assert_accessible(page, "children in custody")
    page.screenshot(path=artifacts / "custody-list.png", full_page=True)
    page.get_by_role("link", name="Kai Morgan").click()
    assert_accessible(page, "the detention")
    page.get_by_test_id("charge-link").click()
    now = clock.now()
    page.get_by_role("button", name="Save the charge").click()  # nothing answered: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page, "charge and bail, with errors")
    _fill_when(page, "Time of charge", now - timedelta(minutes=5))
    page.get_by_label("Charges").fill("Robbery")
    page.get_by_role("group", name="Bail decision").get_by_label("Bail refused: kept in custody").check()
    page.get_by_label("Grounds for refusing bail").fill("Failed to appear twice; likely to reoffend.")
    _fill_when(page, "Next court sitting", now + timedelta(hours=16))
    page.get_by_role("button", name="Save the charge").click()
    assert page.get_by_test_id("transfer-banner").is_visible()
    assert_accessible(page, "charged and refused bail")
    page.screenshot(path=artifacts / "custody-charged.png", full_page=True)

    page.get_by_test_id("la-request-link").click()
    _fill_when(page, "Time of the request", now)
    page.get_by_label("Local authority").fill("Northshire County Council")
    page.get_by_role("group", name="Accommodation requested").get_by_label("Non-secure").check()
    assert_accessible(page, "request local authority accommodation")
    page.get_by_role("button", name="Save the request").click()
    assert "Non-secure requested from Northshire County Council" in page.get_by_test_id("transfer").inner_text()
    assert_accessible(page, "the request recorded")
    page.screenshot(path=artifacts / "custody-requested.png", full_page=True)

    detention = Detention.objects.get(pk=detention.pk)
    assert detention.state == "charged"
    assert detention.la_requested_at is not None
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []
