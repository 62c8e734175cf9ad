"""Home page: "My deadlines" and "My team's deadlines", overdue first then soonest, time left in words."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from haven.core import clock
from haven.core.testing import sign_in
from haven.deadlines import services
from haven.deadlines.selectors import deadline_feed, my_deadlines, team_deadlines, time_left_words


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(hours=2, minutes=10), "due in 2 h 10 min"),
        (timedelta(hours=3), "due in 3 h"),
        (timedelta(minutes=5), "due in 5 min"),
        (timedelta(seconds=30), "due now"),
        (timedelta(days=2, hours=4), "due in 2 d 4 h"),
        (-timedelta(minutes=35), "overdue by 35 min"),
        (-timedelta(hours=1, minutes=1), "overdue by 1 h 1 min"),
    ],
)
def test_time_left_in_words(delta, words):
    now = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    assert time_left_words(now + delta, now=now) == words


def test_time_left_counts_real_minutes_across_the_end_of_bst():
    start = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST; at 01:00 UTC clocks go back to 01:00 GMT
    assert time_left_words(start + timedelta(hours=1), now=start) == "due in 1 h"


@pytest.fixture
def board(ranks, make_case):
    """Three deadlines of the officer (one overdue), one of the sergeant in the same team."""
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    case = make_case(ranks["officer"])

    def make(key, minutes, user):
        return services.deadline_create(
            actor=ranks["officer"],
            case=case,
            kind="tests.one_hour",
            what=f"Task {key}",
            due_at=clock.now() + timedelta(minutes=minutes),
            key=key,
            responsible_user=user,
        )

    make("later", 300, ranks["officer"])
    make("soon", 130, ranks["officer"])
    make("late", -35, ranks["officer"])
    make("sarge", 45, ranks["sergeant"])
    return case


def test_my_deadlines_overdue_first_then_soonest(board, ranks):
    assert [d.key for d in my_deadlines(user=ranks["officer"])] == ["late", "soon", "later"]
    assert [d.key for d in team_deadlines(user=ranks["officer"])] == ["sarge"]
    assert [d.key for d in team_deadlines(user=ranks["stranger"])] == []


def test_deadline_feed_overdue_worst_first(board, ranks):
    assert [d.key for d in deadline_feed(user=ranks["inspector"])] == ["late", "sarge", "soon", "later"]


def test_home_page_shows_both_sections_with_time_left(client, board, ranks):
    sign_in(client, ranks["officer"])
    page = client.get("/").content.decode()
    mine = page[page.index('data-testid="my-deadlines"') : page.index('data-testid="team-deadlines"')]
    assert re.findall(r"Task (\w+)", mine) == ["late", "soon", "later"]
    assert "Overdue by 35 min" in mine
    assert "Due in 2 h 10 min" in mine
    team = page[page.index('data-testid="team-deadlines"') :]
    assert "Task sarge" in team
    assert "Due in 45 min" in team


def test_home_sections_log_the_cases_they_show(client, board, ranks):
    from haven.audit.models import AccessEvent

    sign_in(client, ranks["officer"])
    before = AccessEvent.objects.filter(case_ids__contains=[board.public_id], operation="consultation").count()
    client.get("/")
    assert AccessEvent.objects.filter(case_ids__contains=[board.public_id], operation="consultation").count() > before


def test_deadlines_page_lists_mine_and_my_teams(client, board, ranks):
    sign_in(client, ranks["sergeant"])
    page = client.get("/deadlines/").content.decode()
    assert "Task sarge" in page
    assert "Task late" not in page
    page = client.get("/deadlines/?show=team").content.decode()
    assert re.findall(r"Task (\w+)", page) == ["late", "soon", "later"]


def test_case_deadlines_tag_renders_the_cases_deadlines(rf, board, ranks):
    from django.template import engines

    template = engines["django"].from_string("{% load deadlines %}{% case_deadlines case %}")
    html = template.render({"case": board, "user": ranks["officer"]})
    assert html.count('data-testid="case-deadline"') == 4
    assert template.render({"case": board, "user": ranks["stranger"]}).count('data-testid="case-deadline"') == 0
