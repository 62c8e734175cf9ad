"""The auditor's pages in Chromium: accessible (axe-core, WCAG 2.2 AA), and the subject-access
report reached from its start page."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from haven.audit.choices import JustificationKind, Operation
from haven.audit.services import access_event_record
from haven.core.heartbeat import WORKER, heartbeat_record
from haven.ui.tests.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_auditor_pages_are_accessible_and_the_subject_access_report_is_found_by_id(
    live_server: Any, page: Any, make_user: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    officer = make_user("pc_browse", mfa=False)
    person = uuid.uuid4()
    access_event_record(actor=officer, operation=Operation.CONSULTATION, person_ids=[person], query="smith")
    access_event_record(
        actor=officer,
        operation=Operation.DISCLOSURE,
        person_ids=[person],
        recipients=[{"name": "A Worker", "organisation": "Children's services"}],
        channel="secure email",
        justification_kind=JustificationKind.ALLOCATED,
        justification="Allocated to them.",
    )
    sign_in(page, live_server, make_user("dpo_browse", roles=("auditor",)))

    page.goto(f"{live_server.url}/audit/?person={person}")
    assert_accessible(page, "access log search")

    page.goto(f"{live_server.url}/audit/subject-access/")
    page.get_by_role("button", name="Show the report").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page, "subject-access start with an error")
    page.get_by_label("Person").fill(str(person))
    page.get_by_role("button", name="Show the report").click()
    page.wait_for_url(f"{live_server.url}/audit/subject-access/{person}/")
    # The two events, and the auditor's own search of the log about this person above.
    assert "3 events" in page.locator("caption").inner_text()
    assert "A Worker (Children's services)" in page.locator("table").inner_text()
    assert_accessible(page, "subject-access report")
    page.screenshot(path=artifacts / "audit-subject-access.png", full_page=True)

    page.get_by_role("link", name="Version to print").click()
    assert_accessible(page, "subject-access report to print")

    page.goto(f"{live_server.url}/audit/alerts/")
    assert_accessible(page, "unusual access")
