"""The board and meeting pages: who may see them, what they show, the background refresh, the s62
log (board and pack are consultations, the exported pack a disclosure), the PDF, and a fixed number
of queries however many rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.core import clock
from haven.dmm.tests.meetings import action, close, decide, start
from haven.ui.forms import GovukDateInput

pytestmark = pytest.mark.django_db


def events(**filters: Any) -> list[Any]:
    from haven.audit.models import AccessEvent

    return list(AccessEvent.objects.filter(**filters).order_by("id"))


def test_board_needs_the_board_permission(signed_in: Any) -> None:
    client, _ = signed_in(roles=("administrator",))
    assert client.get("/dmm/").status_code == 403
    assert client.get("/dmm/refresh/").status_code == 403


def test_board_shows_rows_linking_to_their_cases_and_logs_one_consultation(signed_in: Any, board_episode: Any) -> None:
    client, user = signed_in(roles=("inspector",))
    episode = board_episode(user)
    response = client.get("/dmm/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="/cases/{episode.case.public_id}/"' in body
    assert "Children currently missing" in body
    assert 'data-testid="unavailable-protection"' not in body  # D-01: haven.protection's section 3 is there
    assert 'hx-headers=\'{"X-Haven-Background": "1"}\'' in body  # polling is not activity
    (event,) = events(operation="consultation", actor=user, detail__view="dmm_board")
    assert episode.case.public_id in event.case_ids
    assert episode.child.public_id in event.person_ids


def test_refresh_swaps_only_the_section_bodies_and_keeps_the_filter(signed_in: Any, board_episode: Any) -> None:
    client, user = signed_in(roles=("inspector",), team="RESP-A")
    board_episode(user, host_authority="Leeds")
    response = client.get("/dmm/refresh/?area=Bradford", headers={"X-Haven-Background": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="section-missing-body" hx-swap-oob="true"' in body
    assert 'id="dmm-counts" hx-swap-oob="true"' in body
    assert "<h1" not in body  # bodies only, never the page
    assert "No child you can see is missing now." in body  # the area filter still applies
    # Nothing shown, nothing consulted; unfiltered, the refresh is logged like the board.
    assert events(operation="consultation", actor=user, detail__view="dmm_board_refresh") == []
    client.get("/dmm/refresh/", headers={"X-Haven-Background": "1"})
    (event,) = events(operation="consultation", actor=user, detail__view="dmm_board_refresh")
    assert event.case_ids


def test_board_warns_when_the_deadline_sweep_is_not_running(signed_in: Any) -> None:
    from haven.core.heartbeat import heartbeat_record
    from haven.dmm.board import sweep_heartbeat_name

    client, _ = signed_in(roles=("inspector",))
    assert 'data-testid="sweep-warning"' in client.get("/dmm/").content.decode()
    heartbeat_record(name=sweep_heartbeat_name())
    assert 'data-testid="sweep-warning"' not in client.get("/dmm/").content.decode()
    clock.travel(timedelta(minutes=10))
    assert 'data-testid="sweep-warning"' in client.get("/dmm/").content.decode()


def test_board_trend_data_is_a_json_script_not_an_inline_script(signed_in: Any) -> None:
    client, _ = signed_in(roles=("inspector",))
    body = client.get("/dmm/").content.decode()
    assert '<script id="dmm-trend-data" type="application/json">' in body
    assert "chartjs/chart.umd.min.js" in body


def test_board_rows_escape_what_they_show(
    signed_in: Any, board_episode: Any, make_child: Any, make_deadline: Any
) -> None:
    client, user = signed_in(roles=("inspector",))
    episode = board_episode(user, child=make_child("Amy <b>", "O'Neil & Co"))
    make_deadline(user, episode.case, clock.now() - timedelta(hours=1), what="<script>alert(1)</script>")
    body = client.get("/dmm/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # the overdue row
    assert "Amy <b>" not in body
    assert body.count("Amy &lt;b&gt; O&#x27;Neil &amp; Co") == 2  # missing now, and overdue


def _populate(owner: Any, n: int, board_episode: Any, make_child: Any, dated_plan: Any, make_deadline: Any) -> None:
    from haven.missing.models import Enquiry, PreventionInterview, SupervisorReview
    from haven.triggerplans.models import RepeatMissingFlag

    now = clock.now()
    today = timezone.localdate(now)
    for i in range(n):
        missing = board_episode(owner, grade=["high", "medium", "low"][i % 3])
        Enquiry.objects.create(
            episode=missing, type="cctv", description="d", raised_by=owner, due_at=now - timedelta(hours=1)
        )
        SupervisorReview.objects.create(episode=missing, reviewer=owner, decision="ok", next_review_due=now)
        make_deadline(owner, missing.case, now - timedelta(minutes=i + 1))
        found = board_episode(owner, state="found", found_at=now - timedelta(hours=1))
        if i % 2:
            PreventionInterview.objects.create(episode=found, done_at=now, done_by=owner, mode="phone")
        child = make_child()
        RepeatMissingFlag.objects.create(
            child=child, episodes=3, threshold=3, window_days=90, deadline_case=found.case, deadline_key="k"
        )
        dated_plan(owner, make_child(), today - timedelta(days=1))
        dated_plan(owner, missing.child, today + timedelta(days=5))


@pytest.mark.parametrize(
    ("limit", "more", "listed"),
    [(100, 27, 30), (2, 20, 2)],  # every row listed; and rows beyond the limit (counted, not listed)
)
def test_board_makes_a_fixed_number_of_queries_however_many_rows(
    signed_in: Any,
    board_episode: Any,
    make_child: Any,
    dated_plan: Any,
    make_deadline: Any,
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
    settings: Any,
    limit: int,
    more: int,
    listed: int,
) -> None:
    settings.HAVEN_DMM_ROWS = limit
    client, user = signed_in(roles=("inspector",))
    _populate(user, 3, board_episode, make_child, dated_plan, make_deadline)
    client.get("/dmm/")  # the day's first view settles the trend's past days (haven.dmm.trend): once a day
    with CaptureQueriesContext(connection) as few:
        response = client.get("/dmm/")
    assert response.status_code == 200
    assert response.content.decode().count('class="govuk-table__row" data-case=') >= min(3, limit) * 4
    _populate(user, more, board_episode, make_child, dated_plan, make_deadline)
    with django_assert_num_queries(len(few.captured_queries)):  # exactly as many, not merely no more
        response = client.get("/dmm/")
    page = response.content.decode()
    assert page.count('class="govuk-table__row" data-case=') >= listed * 4
    assert f'data-testid="count-missing">{3 + more} children' in page
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/dmm/refresh/", headers={"X-Haven-Background": "1"})


def test_board_lists_each_sections_worst_rows_and_shows_all_on_request(
    signed_in: Any, board_episode: Any, settings: Any
) -> None:
    settings.HAVEN_DMM_ROWS = 2
    client, user = signed_in(roles=("inspector",))
    now = clock.now()
    episodes = [board_episode(user, grade="medium", last_seen_at=now - timedelta(hours=h)) for h in (9, 5, 1)]
    page = client.get("/dmm/").content.decode()
    assert 'data-testid="count-missing">3 children' in page
    assert "Showing the 2 most urgent." in page
    assert 'href="/dmm/?all=missing#section-missing"' in page
    assert page.count('class="govuk-table__row" data-case=') == 2
    assert str(episodes[2].case.public_id) not in page  # missing for the shortest time: not listed
    # s62: only what was shown was read.
    (logged,) = events(operation="consultation", actor=user, detail__view="dmm_board")
    assert set(logged.case_ids) == {episodes[0].case.public_id, episodes[1].case.public_id}

    everything = client.get("/dmm/?all=missing").content.decode()
    assert everything.count('class="govuk-table__row" data-case=') == 3
    assert "Show only the most urgent" in everything
    refreshed = client.get("/dmm/refresh/?all=missing", headers={"X-Haven-Background": "1"}).content.decode()
    assert str(episodes[2].case.public_id) in refreshed  # the refresh keeps the full list
    assert client.get("/dmm/?all=nonsense").status_code == 200  # not a section: the board as usual
    in_leeds = client.get("/dmm/?area=Leeds").content.decode()  # the filter carries into the link
    assert 'href="/dmm/?area=Leeds&amp;all=missing#section-missing"' in in_leeds


def test_meeting_flow_through_the_pages(signed_in: Any, make_user: Any, board_episode: Any) -> None:
    client, chair = signed_in(roles=("inspector",), team="RESP-A")
    owner = make_user("owner", roles=("response_officer",), team="RESP-A")
    case = board_episode(owner).case
    today = timezone.localdate(clock.now())
    response = client.post(
        "/dmm/meetings/start/",
        {
            **GovukDateInput.post_data("held_on", today, time=False),
            "chair": chair.username,
            "attendees": [owner.username],
        },
    )
    assert response.status_code == 302
    from haven.dmm.models import Meeting

    meeting = Meeting.objects.get()
    board = client.get("/dmm/").content.decode()
    assert f"/dmm/meetings/{meeting.public_id}/decide/?case={case.public_id}&amp;section=missing" in board

    url = f"/dmm/meetings/{meeting.public_id}/decide/?case={case.public_id}&section=missing"
    due = GovukDateInput.post_data("action_1_due_at", clock.now() + timedelta(hours=3))
    # D-02: an action without an owner is refused, with the GOV.UK error summary, keeping what was typed.
    response = client.post(
        url,
        {"case": case.public_id, "text": "Search the park", "action_1_what": "Search the park", **due},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "govuk-error-summary" in body
    assert 'href="#id_action_1_owner">Choose who owns the action' in body
    assert "Search the park" in body
    response = client.post(
        url,
        {
            "case": case.public_id,
            "text": "Search the park",
            "action_1_what": "Search the park",
            "action_1_owner": owner.username,
            **due,
        },
    )
    assert response.status_code == 302
    detail = client.get(f"/dmm/meetings/{meeting.public_id}/").content.decode()
    assert "Search the park" in detail
    assert client.post(f"/dmm/meetings/{meeting.public_id}/close/").status_code == 302
    detail = client.get(f"/dmm/meetings/{meeting.public_id}/").content.decode()
    assert "its record is read-only" in detail
    assert 'data-testid="close-meeting"' not in detail
    response = client.get(url)
    assert response.status_code == 302  # a closed meeting takes no more decisions


def test_meeting_pages_are_for_chairs(signed_in: Any) -> None:
    client, _ = signed_in(roles=("response_officer",))
    assert client.get("/dmm/meetings/start/").status_code == 403
    assert client.get("/dmm/meetings/").status_code == 200


def test_pack_pdf_renders_and_is_logged_as_consultation_and_disclosure(
    signed_in: Any, make_user: Any, board_episode: Any
) -> None:
    client, chair = signed_in(roles=("inspector",))
    owner = make_user("owner", roles=("response_officer",))
    case = board_episode(owner).case
    meeting = start(chair)
    decide(meeting, case, chair, action(owner, hours=2, what="Do it"))
    close(chair, meeting)
    response = client.get(f"/dmm/meetings/{meeting.public_id}/pack.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    (disclosure,) = events(operation="disclosure", actor=chair)
    assert case.public_id in disclosure.case_ids
    assert disclosure.channel == "pdf"
    assert disclosure.recipients
    consultations = events(operation="consultation", actor=chair, detail__view="dmm_pack")
    assert consultations
    assert case.public_id in consultations[0].case_ids


def test_d01_pack_lists_every_child_missing_whatever_the_boards_limit(
    signed_in: Any, board_episode: Any, settings: Any
) -> None:
    settings.HAVEN_DMM_ROWS = 1
    client, chair = signed_in(roles=("inspector",))
    cases = {board_episode(chair, grade="medium").case.public_id for _ in range(3)}
    meeting = start(chair)
    assert client.get(f"/dmm/meetings/{meeting.public_id}/pack.pdf").status_code == 200
    (read,) = events(operation="consultation", actor=chair, detail__view="dmm_pack")
    assert cases <= set(read.case_ids)
