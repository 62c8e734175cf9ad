"""The board in a real Chromium: accessible (axe-core, WCAG 2.2 AA), no CSP violations, and the
background refresh brings in a child reported missing elsewhere while keeping the filter, the sort
and the scroll position."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.core import clock
from haven.core.heartbeat import WORKER, heartbeat_record
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # A live-server test empties every table afterwards; put back the ranks the migrations seed.
    pytest.mark.usefixtures("leave_database_as_found"),
]


def _rows(page: Any) -> list[str]:
    return page.locator("#table-missing tbody tr").evaluate_all("rows => rows.map(r => r.dataset.case)")


def test_board_refreshes_in_place_keeping_filter_sort_and_scroll(
    live_server: Any, page: Any, make_user: Any, board_episode: Any, settings: Any, artifacts: Any
) -> None:
    from haven.dmm.board import sweep_heartbeat_name

    settings.HAVEN_DMM_REFRESH_SECONDS = 1
    heartbeat_record(name=WORKER)
    heartbeat_record(name=sweep_heartbeat_name())
    chief = make_user("chief", roles=("inspector",), rank="INSP", team="RESP-A")
    b_officer = make_user("bofficer", roles=("response_officer",), team="RESP-B")
    first = board_episode(chief, grade="high", last_seen_at=clock.now() - timedelta(hours=9))
    second = board_episode(chief, grade="medium")
    board_episode(b_officer, grade="high")

    watch = ConsoleWatch(page)
    sign_in(page, live_server, chief)
    page.goto(f"{live_server.url}/dmm/?team=RESP-A")
    assert page.locator("h1").inner_text() == "Daily management meeting board"
    assert set(_rows(page)) == {str(first.case.public_id), str(second.case.public_id)}
    page.wait_for_function("document.querySelector('#table-missing thead th button') !== null")
    assert_accessible(page, "DMM board")
    page.screenshot(path=str(artifacts / "dmm-board.png"), full_page=True)

    # Sort by how long missing, shortest first; scroll the missing table into view.
    page.locator("#table-missing thead th button", has_text="Missing for").click()
    assert page.locator("#table-missing thead th[aria-sort='ascending']").inner_text().startswith("Missing for")
    assert _rows(page) == [str(second.case.public_id), str(first.case.public_id)]
    page.locator("#section-overdue").scroll_into_view_if_needed()
    where = "document.querySelector('#section-overdue').getBoundingClientRect().top"
    place = page.evaluate(where)
    stamp = page.locator("[data-testid=last-updated] time").get_attribute("datetime")

    # Elsewhere, two more children are reported missing: one for this team, one for another.
    newest = board_episode(chief, grade="low", last_seen_at=clock.now() - timedelta(minutes=30))
    board_episode(b_officer, grade="high")

    page.wait_for_function(
        "id => [...document.querySelectorAll('#table-missing tbody tr')].some(r => r.dataset.case === id)",
        arg=str(newest.case.public_id),
        timeout=15_000,
    )
    # The filter held (the other team's child is not shown), the sort held, the place held.
    assert _rows(page) == [str(newest.case.public_id), str(second.case.public_id), str(first.case.public_id)]
    assert page.locator("#table-missing thead th[aria-sort='ascending']").inner_text().startswith("Missing for")
    assert page.locator("#team").input_value() == "RESP-A"
    # The page is not reloaded or scrolled to the top: what the user was reading stays where it was
    # (the browser's scroll anchoring absorbs the new row above it).
    assert abs(page.evaluate(where) - place) <= 2
    assert page.evaluate("window.scrollY") > 0
    assert page.locator("[data-testid=last-updated] time").get_attribute("datetime") != stamp
    assert page.locator("[data-count=missing] .dmm-count__value").inner_text() == "3"
    assert page.evaluate("document.querySelector('#dmm-trend').getContext('2d') !== null")
    assert_accessible(page, "DMM board after a refresh")
    assert watch.csp_violations(page) == []
    assert watch.errors == []


def test_meeting_pages_are_accessible(
    live_server: Any, page: Any, make_user: Any, board_episode: Any, artifacts: Any
) -> None:
    chief = make_user("chief", roles=("inspector",), rank="INSP", team="RESP-A")
    episode = board_episode(chief)
    heartbeat_record(name=WORKER)
    sign_in(page, live_server, chief)
    page.goto(f"{live_server.url}/dmm/meetings/start/")
    assert_accessible(page, "start a meeting")
    page.get_by_role("button", name="Start the meeting").click()
    page.wait_for_url(f"{live_server.url}/dmm/")
    page.get_by_role("link", name=f"Record decision on {episode.case.reference}").click()
    assert_accessible(page, "record a decision")
    page.get_by_label("Decision").fill("Search the park")
    page.get_by_label("Action 1: what is to be done").fill("Search the park")
    page.get_by_role("button", name="Record the decision").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page, "record a decision with errors")
    page.goto(f"{live_server.url}/dmm/meetings/")
    assert_accessible(page, "meetings")
    page.locator("table a").first.click()
    assert_accessible(page, "meeting record")
    page.screenshot(path=str(artifacts / "dmm-meeting.png"), full_page=True)


def test_board_shows_a_child_reported_missing_in_another_browser(
    live_server: Any, page: Any, browser: Any, make_user: Any, make_child: Any, settings: Any
) -> None:
    """Two browser contexts: an inspector watches the board while a call handler reports a child missing."""
    settings.HAVEN_DMM_REFRESH_SECONDS = 1
    heartbeat_record(name=WORKER)
    chief = make_user("chief", roles=("inspector",), rank="INSP", team="RESP-A")
    handler = make_user("handler", roles=("call_handler",), rank=None, team="RESP-A")
    child = make_child("Amber", "Reported")

    sign_in(page, live_server, chief)
    page.goto(f"{live_server.url}/dmm/?team=RESP-A")
    assert page.locator("[data-testid=count-missing]").inner_text().startswith("0")

    other = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    try:
        reporter = other.new_page()
        sign_in(reporter, live_server, handler)
        reporter.goto(f"{live_server.url}/missing/report/{child.public_id}/")
        reporter.get_by_label("Name of the person reporting").fill("Mother")
        seen = timezone.localtime(clock.now() - timedelta(hours=1))
        for part, typed in (("day", seen.day), ("month", seen.month), ("year", seen.year), ("time", f"{seen:%H:%M}")):
            reporter.locator(f"#id_last_seen_at-{part}").fill(str(typed))
        reporter.get_by_label("Where was the child last seen?").fill("School gates")
        reporter.get_by_label("Home", exact=True).check()
        reporter.get_by_label("What happened?").fill("Did not come home from school.")
        reporter.locator("[data-testid=report-continue]").click()
        reporter.locator("[data-testid=report-submit]").click()  # on "check your answers"
        reporter.wait_for_url("**/grade/")
    finally:
        other.close()

    page.wait_for_function(
        "() => document.querySelector('[data-testid=count-missing]').innerText.startsWith('1')", timeout=15_000
    )
    assert "Amber Reported" in page.locator("#table-missing").inner_text()
    assert page.locator("#team").input_value() == "RESP-A"


def test_board_shows_the_most_urgent_and_every_row_on_request_accessibly(
    live_server: Any, page: Any, make_user: Any, board_episode: Any, settings: Any
) -> None:
    settings.HAVEN_DMM_ROWS = 1
    chief = make_user("chief", roles=("inspector",), rank="INSP", team="RESP-A")
    urgent = board_episode(chief, grade="high")
    other = board_episode(chief, grade="low")
    sign_in(page, live_server, chief)
    page.goto(f"{live_server.url}/dmm/")
    assert _rows(page) == [str(urgent.case.public_id)]
    assert page.get_by_test_id("shown-missing").inner_text().startswith("Showing the 1 most urgent.")
    assert_accessible(page, "DMM board, the most urgent rows")
    page.get_by_test_id("show-all-missing").click()
    page.wait_for_url("**/dmm/?all=missing*")
    assert set(_rows(page)) == {str(urgent.case.public_id), str(other.case.public_id)}
    assert_accessible(page, "DMM board, one section in full")
    page.get_by_test_id("show-worst-missing").click()
    page.wait_for_url("**/dmm/#section-missing")
    assert _rows(page) == [str(urgent.case.public_id)]
