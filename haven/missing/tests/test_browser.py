"""The missing-child journey in a real headless Chromium, as a call handler, a supervisor and an officer:
report → grade → enquiries → handover (M-10) → found → prevention interview → return home interview →
close. Every page passes axe-core's WCAG 2.2 AA rules, and no Content Security Policy violations occur."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from haven import factories
from haven.accounts.models import User
from haven.core import clock
from haven.core.heartbeat import WORKER, heartbeat_record
from haven.deadlines.choices import LIVE_STATES
from haven.deadlines.models import Deadline
from haven.missing.models import Episode
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _fill_when(page: Any, name: str, delta: timedelta = timedelta(0)) -> None:
    """Type a time (now, moved by ``delta``) into the GOV.UK date input's boxes, in UK time."""
    at = timezone.localtime(clock.now() + delta)
    for part, typed in (("day", at.day), ("month", at.month), ("year", at.year), ("time", f"{at:%H:%M}")):
        page.locator(f"#id_{name}-{part}").fill(str(typed))


def _check(page: Any, name: str, watch: ConsoleWatch) -> None:
    page.wait_for_load_state("networkidle")
    assert_accessible(page, name)
    assert watch.csp_violations(page) == []


def _as(browser: Any, live_server: Any, user: Any) -> tuple[Any, ConsoleWatch]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch(page)
    sign_in(page, live_server, user)
    return page, watch


def test_report_grade_enquire_find_interview_and_close_in_the_browser(
    live_server: Any, transactional_db: Any, browser: Any, make_user: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    handler = make_user("ch1", roles=("call_handler",), rank="PS", team="MISS")
    sergeant = make_user("ps1", roles=("supervisor",), rank="PS", team="MISS")
    officer = make_user("pc1", roles=("response_officer",), rank="PC", team="MISS")
    User.objects.filter(pk=officer.pk).update(first_name="Tom", last_name="Jones", collar_number="4521")
    officer.refresh_from_db()
    outsider = make_user("pc9", roles=("response_officer",), rank="PC", team="SOUTH")

    # --- The call handler: find or create the child, then the short report, then the grade.
    page, watch = _as(browser, live_server, handler)
    page.goto(f"{live_server.url}/missing/report/?q=Lily+Carter")
    assert page.get_by_role("heading", level=1).inner_text() == "Find the child"
    _check(page, "find the child", watch)
    page.get_by_label("First names").fill("Lily")
    page.get_by_label("Last name").fill("Carter")
    page.get_by_role("button", name="Record the child and continue").click()
    page.wait_for_url("**/missing/report/*/")
    _check(page, "report form", watch)
    page.get_by_label("Name of the person reporting").fill("Jo Carer")
    _fill_when(page, "last_seen_at", -timedelta(hours=2))
    page.get_by_label("Where was the child last seen?").fill("Oak House children's home, Leeds")
    page.get_by_role("radio", name="Children's home").check()
    page.get_by_label("What happened?").fill("Left after an argument; not back by curfew.")
    page.get_by_label("What were they wearing?").fill("Black puffer jacket, grey joggers")
    page.locator("#id_looked_after_0").check()  # yes, but no authority: refused with the summary
    page.locator("#id_last_seen_at-month").fill("")  # and a date without its month
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    assert "The date the child was last seen must include a month" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Where was the child last seen?").input_value() == "Oak House children's home, Leeds"
    _check(page, "report form with errors", watch)
    page.get_by_role("link", name="The date the child was last seen must include a month").click()
    assert page.evaluate("document.activeElement.id") == "id_last_seen_at-month"
    page.locator("#id_last_seen_at-month").fill(str(timezone.localtime(clock.now() - timedelta(hours=2)).month))
    page.get_by_label("Responsible local authority").fill("Bradford")
    page.locator("#id_philomena_exists_0").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_test_id("answers").wait_for()
    assert "Black puffer jacket, grey joggers" in page.get_by_test_id("answers").inner_text()
    _check(page, "check your answers", watch)
    page.get_by_role("button", name="Report missing and grade the risk").click()
    page.wait_for_url("**/grade/")
    _check(page, "grade", watch)
    page.get_by_label("Medium").check()
    page.get_by_label("Rationale").fill("Looked after, out of character, phone off.")
    page.get_by_label("Considered: not appropriate").check()
    page.get_by_label("Reason for the Child Rescue Alert decision").fill("No sign of abduction.")
    # The person reporting is already the first source: what they said, who they are, when they called.
    assert page.locator("#id_sources-0-provider_name").input_value() == "Jo Carer"
    page.locator("#id_sources-0-information").fill("Phone off since 9pm; seen with older males last week.")
    page.locator("#id_sources-0-provider_contact").fill("07700 900123")
    page.get_by_role("button", name="Save the risk assessment").click()
    episode = Episode.objects.get(child__surname="Carter")
    page.wait_for_url(f"**/missing/{episode.public_id}/")
    assert "Medium" in page.get_by_test_id("assessments").inner_text()
    _check(page, "episode page", watch)
    page.screenshot(path=artifacts / "missing-episode.png", full_page=True)

    # The child has a trigger plan written by another team: whoever works the episode must see it.
    factories.plan(author=make_user("cate1", roles=("supervisor",), rank="DS", team="CATE"), child=episode.child)

    # --- The duty sergeant: the report waits in the team queue; allocate it by name with the picker.
    page, watch = _as(browser, live_server, sergeant)
    queue = page.get_by_test_id("team-queue")
    assert episode.case.reference in queue.inner_text()
    queue.get_by_role("link", name="Allocate").click()
    page.wait_for_url("**/allocate/")
    _check(page, "allocate", watch)
    picker = page.get_by_role("combobox", name="Officer")
    picker.fill("Jon")
    page.get_by_role("option", name="Jones").first.click()
    page.get_by_role("button", name="Allocate").click()
    page.wait_for_url("**/cases/queue/")
    assert "allocated to Tom Jones" in page.content()
    page.get_by_test_id("queue-empty").wait_for()
    page.goto(f"{live_server.url}/missing/{episode.public_id}/")
    page.get_by_test_id("review-link").click()
    _check(page, "supervisor review", watch)
    page.get_by_label("Decision and direction").fill("Grade right. Address checks and associates first.")
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_url(f"**/missing/{episode.public_id}/")
    page.get_by_test_id("enquiry-link").click()
    _check(page, "raise an enquiry", watch)
    page.get_by_label("Type of enquiry").select_option("address_check")
    page.get_by_label("What needs to be done").fill("Check 4 Elm Road, LS6: boyfriend's address.")
    page.get_by_label("Urgent").check()
    page.get_by_role("combobox", name="Allocate to").fill("4521")
    page.get_by_role("option", name="Jones").first.click()
    page.get_by_role("button", name="Raise the enquiries").click()
    page.wait_for_url(f"**/missing/{episode.public_id}/")
    assert "Check 4 Elm Road" in page.get_by_test_id("enquiries").inner_text()

    # --- An officer of another team: the child among "children missing now"; the briefing; a sighting.
    page, watch = _as(browser, live_server, outsider)
    page.get_by_test_id("missing-now").get_by_role("link", name="Lily Carter").click()
    page.wait_for_url(f"**/missing/{episode.public_id}/")
    _check(page, "briefing for locating", watch)
    assert "14 Mill Lane" in page.get_by_test_id("plan-actions").inner_text()
    page.get_by_test_id("record-sighting").click()
    _fill_when(page, "seen_at", -timedelta(minutes=20))
    page.get_by_label("Where were they seen?").fill("Leeds bus station, stand 4")
    page.get_by_label("What did you see or hear?").fill("With two older boys, heading for the market.")
    _check(page, "sighting", watch)
    page.get_by_role("button", name="Record the sighting").click()
    page.wait_for_url(f"**/missing/{episode.public_id}/")
    assert "Leeds bus station, stand 4" in page.get_by_test_id("sightings").inner_text()

    # --- The officer: the case is theirs at once; the plan shows; record the enquiry, found, interviews.
    page, watch = _as(browser, live_server, officer)
    assert episode.case.reference in page.get_by_test_id("my-cases").inner_text()
    page.goto(f"{live_server.url}/missing/{episode.public_id}/")
    assert officer.display_name in page.get_by_test_id("episode-owner").inner_text()
    assert "14 Mill Lane" in page.content()  # the child's trigger plan, written by another team
    page.get_by_test_id("enquiry-result-link").click()
    _check(page, "enquiry result", watch)
    page.get_by_label("Result", exact=True).fill("Not there. Boyfriend says she went to the bus station.")
    page.get_by_role("button", name="Record the result").click()
    page.wait_for_url(f"**/missing/{episode.public_id}/")
    page.get_by_test_id("found-link").click()
    _check(page, "found", watch)
    _fill_when(page, "found_at")
    page.get_by_label("Where was the child found?").fill("Leeds bus station")
    page.get_by_label("Kind of place").select_option("transport")
    page.get_by_label("Found by").fill("PC Shah")
    page.get_by_label("Condition on return").fill("Cold, no injuries.")
    page.get_by_label("Who at the authority is told").fill("missing.children@bradford.example")
    page.get_by_role("button", name="Record found").click()
    page.wait_for_url(f"**/missing/{episode.public_id}/")
    assert "Requested" in page.get_by_test_id("rhi-status").inner_text()
    page.get_by_test_id("prevention-link").click()
    _check(page, "prevention interview", watch)
    _fill_when(page, "done_at")
    page.get_by_label("In person").check()
    page.get_by_label("Why did the child go missing?").fill("Argument with staff about her phone.")
    page.get_by_label("What happened while they were away?").fill("Stayed with her boyfriend, then the station.")
    page.get_by_role("button", name="Record the interview").click()
    page.wait_for_url(f"**/missing/{episode.public_id}/")

    # --- The supervisor closes it (M-11 is met); the local authority has not answered the RHI yet.
    page, watch = _as(browser, live_server, make_user("ps2", roles=("supervisor",), rank="PS", team="MISS"))
    page.goto(f"{live_server.url}/missing/{episode.public_id}/")
    page.get_by_test_id("close-link").click()
    _check(page, "close", watch)
    page.get_by_label("Why did the child go missing?").select_option("conflict_home")
    page.get_by_label("Closing summary").fill("Found safe; RHI offered; trigger plan to be considered.")
    page.get_by_role("button", name="Close the episode").click()
    page.wait_for_url(f"**/missing/{episode.public_id}/")
    assert page.get_by_test_id("episode-state").inner_text() == "Closed"
    _check(page, "closed episode", watch)
    episode.refresh_from_db()
    assert episode.state == "closed"
    # M-12: closing never ends the return home interview's tracking with the local authority.
    assert "Requested" in page.get_by_test_id("rhi-status").inner_text()
    assert Deadline.objects.filter(case=episode.case, kind="missing.rhi", state__in=LIVE_STATES).exists()
    page.get_by_test_id("rhi-link").click()
    _check(page, "return home interview after closing", watch)
    page.get_by_label("Offered", exact=True).check()
    page.get_by_role("button", name="Record it").click()
    page.wait_for_url(f"**/missing/{episode.public_id}/")
    assert "Offered" in page.get_by_test_id("rhi-status").inner_text()
