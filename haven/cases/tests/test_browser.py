"""The case pages in a real headless Chromium: the case list, opening a case, adding a note, handing it
over and acknowledging it (M-10), closing it, reopening it and naming the members of a restricted case.
Every page passes axe-core's WCAG 2.2 AA rules with no violations, and no CSP violations occur."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from haven.cases import services
from haven.cases.choices import CaseState
from haven.cases.models import Case
from haven.cases.schemas import CaseCloseIn
from haven.core.heartbeat import WORKER, heartbeat_record
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_open_note_handover_acknowledge_and_close_a_case(
    live_server: Any,
    transactional_db: Any,
    browser: Any,
    page: Any,
    make_user: Any,
    make_person: Any,
    make_case: Any,
    artifacts: Path,
) -> None:
    heartbeat_record(name=WORKER)
    owner = make_user("owner", roles=("response_officer",), rank="PC", team="RESP")
    taker = make_user("taker", roles=("investigator",), rank="DC", team="RESP")
    make_case(owner, summary="An earlier case")  # the list has a row to check
    child = make_person("Amelia", "Hart")
    watch = ConsoleWatch(page)
    sign_in(page, live_server, owner)

    # The case list.
    page.goto(f"{live_server.url}/cases/")
    assert page.get_by_role("heading", level=1).inner_text() == "Cases"
    assert page.get_by_test_id("case-table").locator("tbody tr").count() == 1
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "case list")

    # Open a case about the child, from the link a person page gives.
    page.get_by_role("link", name="Open a case").click()
    page.wait_for_url("**/cases/new/")
    page.goto(f"{live_server.url}/cases/new/?person={child.public_id}")
    assert_accessible(page, "open a case")
    page.get_by_label("Summary").fill("Missing overnight, found at a friend's")
    page.get_by_role("button", name="Open the case").click()
    page.get_by_test_id("case-reference").wait_for()
    case = Case.objects.get(subject=child)
    assert case.reference in page.get_by_test_id("case-reference").inner_text()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "case page")
    page.screenshot(path=artifacts / "case.png", full_page=True)

    # A note without fact or assessment is refused, with the error summary, keeping the text.
    page.get_by_label("Note", exact=True).fill("Seen at home at 10:00, well.")
    page.get_by_role("button", name="Add the note").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Note", exact=True).input_value() == "Seen at home at 10:00, well."
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "case page with a note error")
    page.get_by_label("Fact", exact=True).check()
    page.get_by_role("button", name="Add the note").click()
    page.wait_for_url(f"**/cases/{case.public_id}/")
    assert "Seen at home at 10:00, well." in page.get_by_test_id("timeline").inner_text()

    # Hand it over (M-10): awaiting acknowledgement until the new owner accepts.
    page.get_by_role("link", name="Hand over").click()
    page.wait_for_url("**/handover/")
    assert_accessible(page, "handover")
    page.get_by_label("New owner").fill("taker")
    page.get_by_label("Reason for the handover").fill("Going on leave; DC Taker knows the family.")
    page.get_by_role("button", name="Hand over").click()
    page.get_by_test_id("awaiting-acknowledgement").wait_for()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "case page awaiting acknowledgement")

    # The new owner acknowledges, in their own browser session.
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    try:
        other = context.new_page()
        other_watch = ConsoleWatch(other)
        sign_in(other, live_server, taker)
        other.goto(f"{live_server.url}/cases/{case.public_id}/")
        other.get_by_role("button", name="Acknowledge and take ownership").click()
        other.wait_for_url(f"**/cases/{case.public_id}/")
        assert taker.display_name in other.get_by_test_id("case-owner").inner_text()
        assert other.get_by_test_id("awaiting-acknowledgement").count() == 0

        # The new owner closes it: the confirm page, its error summary, then closed.
        other.get_by_role("link", name="Close the case").click()
        other.wait_for_url("**/close/")
        other.wait_for_load_state("networkidle")
        assert_accessible(other, "close a case")
        other.get_by_role("button", name="Close the case").click()
        other.locator(".govuk-error-summary").wait_for()
        assert other.title().startswith("Error: ")
        other.wait_for_load_state("networkidle")
        assert_accessible(other, "close a case with an error")
        other.get_by_label("Why is the case being closed?").fill("Child safe at home; no further concerns.")
        other.get_by_role("button", name="Close the case").click()
        other.get_by_test_id("closed-notice").wait_for()
        assert other.get_by_role("button", name="Add the note").count() == 0
        other.wait_for_load_state("networkidle")
        assert_accessible(other, "closed case")
        other.screenshot(path=artifacts / "case-closed.png", full_page=True)
        assert other_watch.csp_violations(other) == [], "\n".join(other_watch.messages)
        assert other_watch.errors == []
    finally:
        context.close()

    case.refresh_from_db()
    assert (case.state, case.owner) == (CaseState.CLOSED, taker)
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []


def test_members_and_reopen_pages(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, make_case: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    supervisor = make_user("sarge", roles=("supervisor",), rank="PS", team="CATE")
    make_user("colleague", roles=("investigator",), rank="DC", team="CATE")
    restricted = make_case(supervisor, restricted=True, summary="Disclosure by a teacher")
    closed = make_case(supervisor, summary="Resolved")
    services.case_close(actor=supervisor, case=closed, data=CaseCloseIn(reason="Resolved."))
    watch = ConsoleWatch(page)
    sign_in(page, live_server, supervisor)

    page.goto(f"{live_server.url}/cases/{restricted.public_id}/")
    page.get_by_role("link", name="Change who may see it").click()
    page.wait_for_url("**/members/")
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "members")
    page.get_by_label("Add people by username").fill("nobody-here")
    page.get_by_role("button", name="Save members").click()
    page.locator(".govuk-error-summary").wait_for()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "members with an error")
    page.get_by_label("Add people by username").fill("")
    page.get_by_label("(colleague)").check()
    page.get_by_role("button", name="Save members").click()
    page.wait_for_url(f"**/cases/{restricted.public_id}/")
    assert list(restricted.members.values_list("username", flat=True)) == ["colleague"]

    page.goto(f"{live_server.url}/cases/{closed.public_id}/")
    page.get_by_role("link", name="Reopen the case").click()
    page.wait_for_url("**/reopen/")
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "reopen a case")
    page.get_by_label("Why is the case being reopened?").fill("New information from school.")
    page.get_by_role("button", name="Reopen the case").click()
    page.wait_for_url(f"**/cases/{closed.public_id}/")
    assert page.get_by_test_id("closed-notice").count() == 0
    closed.refresh_from_db()
    assert closed.state == CaseState.OPEN
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)


def test_on_a_phone_the_sergeant_sees_allocate_without_scrolling_sideways(
    live_server: Any, transactional_db: Any, browser: Any, page: Any, make_user: Any, make_case: Any
) -> None:
    """The queue's action sits in its last column; on a 375 px phone each row stacks, so it is on screen."""
    from haven.cases.services import case_queue_put

    reporter = make_user("handler", roles=("call_handler",), team="IMU")
    make_user("pcjones", roles=("response_officer",), team="RESP-A")
    sergeant = make_user("sarge", roles=("supervisor",), team="RESP-A")
    case_queue_put(actor=reporter, case=make_case(reporter, summary="Missing from a children's home overnight"))
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, live_server, sergeant)

    page.goto(f"{live_server.url}/")
    allocate = page.get_by_test_id("home-queue-table").get_by_role("link", name="Allocate")
    box = allocate.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "home page on a phone, queue stacked")
    allocate.click()
    page.wait_for_url("**/allocate/")
