"""My team's deadlines: every live deadline on the team's cases or owned by the team, whoever is named
(someone outside the team too), overdue first; the home section refreshes itself like the inbox count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven.audit.models import AccessEvent
from haven.core import clock
from haven.core.testing import sign_in
from haven.deadlines import services
from haven.deadlines.selectors import team_deadlines

BACKGROUND = {"X-Haven-Background": "1"}


@pytest.fixture
def board(ranks, make_case, make_user):
    """A CATE case with an overdue deadline named to someone in another team, one of the team's, and the
    sergeant's own; and a deadline of another team's case."""
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    case = make_case(ranks["officer"])

    def make(key, minutes, user, on=case):
        return services.deadline_create(
            actor=ranks["officer"],
            case=on,
            kind="tests.one_hour",
            what=f"Task {key}",
            due_at=clock.now() + timedelta(minutes=minutes),
            key=key,
            responsible_user=user,
        )

    make("outsider", -40, ranks["stranger"])  # named to someone in OTHER, on CATE's case
    make("officer", 20, ranks["officer"])
    make("sarge", 45, ranks["sergeant"])
    make("elsewhere", -90, ranks["stranger"], on=make_case(ranks["stranger"]))
    return case


def test_team_deadlines_include_overdue_ones_named_to_someone_outside_the_team(board, ranks):
    assert [d.key for d in team_deadlines(user=ranks["sergeant"])] == ["outsider", "officer"]
    assert [d.key for d in team_deadlines(user=ranks["officer"])] == ["outsider", "sarge"]


def test_home_team_section_shows_the_outsiders_overdue_deadline_first(client, board, ranks):
    sign_in(client, ranks["sergeant"])
    page = client.get("/").content.decode()
    team = page[page.index('data-testid="team-deadlines"') :]
    assert team.index("Task outsider") < team.index("Task officer")
    assert ranks["stranger"].rank_and_name in team
    assert "Overdue by 40 min" in team


def test_home_sections_poll_in_the_background(client, board, ranks):
    sign_in(client, ranks["sergeant"])
    page = client.get("/").content.decode()
    assert 'hx-get="/deadlines/home/team-deadlines/?seen=' in page
    assert 'hx-headers=\'{"X-Haven-Background": "1"}\'' in page


def test_team_section_refresh_answers_the_section_with_the_time_moved_on(client, board, ranks):
    sign_in(client, ranks["sergeant"])
    clock.travel(timedelta(minutes=5))
    response = client.get("/deadlines/home/team-deadlines/", headers=BACKGROUND)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<section")
    assert "Overdue by 45 min" in body
    assert "<html" not in body


def test_a_refresh_showing_the_same_cases_is_not_logged_again_but_new_cases_are(client, board, ranks, make_case):
    sign_in(client, ranks["sergeant"])
    page = client.get("/").content.decode()
    start = page.index("/deadlines/home/team-deadlines/?seen=") + len("/deadlines/home/team-deadlines/?seen=")
    seen = page[start : page.index('"', start)]
    before = AccessEvent.objects.filter(actor=ranks["sergeant"]).count()
    client.get(f"/deadlines/home/team-deadlines/?seen={seen}", headers=BACKGROUND)
    assert AccessEvent.objects.filter(actor=ranks["sergeant"]).count() == before
    other = make_case(ranks["officer"])
    services.deadline_create(
        actor=ranks["officer"],
        case=other,
        kind="tests.one_hour",
        what="Task new",
        due_at=clock.now() + timedelta(minutes=5),
        key="new",
    )
    client.get(f"/deadlines/home/team-deadlines/?seen={seen}", headers=BACKGROUND)
    logged = AccessEvent.objects.filter(actor=ranks["sergeant"]).order_by("-id").first()
    assert logged is not None
    assert other.public_id in logged.case_ids


def test_section_refresh_once_signed_out_is_401_and_an_unknown_section_404(client, board, ranks):
    assert client.get("/deadlines/home/team-deadlines/", headers=BACKGROUND).status_code == 401
    sign_in(client, ranks["sergeant"])
    assert client.get("/deadlines/home/nobodys/", headers=BACKGROUND).status_code == 404


def test_section_refresh_when_nothing_is_left_says_so(client, ranks, make_case):
    sign_in(client, ranks["sergeant"])
    response = client.get("/deadlines/home/team-deadlines/", headers=BACKGROUND)
    assert 'data-testid="team-deadlines-empty"' in response.content.decode()


def test_officers_pages_name_no_rule_ids(client, board, ranks):
    """People's words on people's pages: the kind's label, never its rule id (that is for the API and audit)."""
    sign_in(client, ranks["sergeant"])
    for url in ("/", "/deadlines/", f"/cases/{board.public_id}/"):
        page = client.get(url).content.decode()
        assert "Task " in page, url
        assert "M-04" not in page, url  # the test kind's rule id


def test_an_analyst_in_the_team_is_not_shown_work_they_cannot_act_on(client, board, make_user):
    sign_in(client, make_user("teamanalyst", roles=("analyst",), team="CATE"))
    assert 'data-testid="team-deadlines"' not in client.get("/").content.decode()
