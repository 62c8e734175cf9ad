"""The 30-day trend from settled figures: the same counts as row by row, access kept exact (restricted
cases, readers without a whole-force scope), each past day settled once and again by the nightly job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.cases.choices import Sensitivity
from haven.cases.models import Case
from haven.core import clock
from haven.dmm.models import RestrictedTrendFigure, TrendDay, TrendFigure
from haven.dmm.sections import Filters, trend_days
from haven.dmm.trend import WINDOW_DAYS, live_for, sources, trend_series

pytestmark = pytest.mark.django_db


def _midday(days_ago: int) -> Any:
    midnight = timezone.localtime(clock.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=days_ago, hours=12)


def _series(user: Any, filters: Filters | None = None) -> dict[str, list[int]]:
    days = trend_days(clock.now(), WINDOW_DAYS)
    return {s.key: s.values for s in trend_series(user=user, filters=filters or Filters(), days=days)}


def _row_by_row(user: Any, filters: Filters | None = None) -> dict[str, list[int]]:
    days = trend_days(clock.now(), WINDOW_DAYS)
    return {s.key: live_for(s, user=user, filters=filters or Filters(), days=days) for s in sources()}


@pytest.fixture
def history(make_user: Any, board_episode: Any, make_deadline: Any) -> dict[str, Any]:
    """Episodes and deadlines in two teams and two areas, live on different days of the window."""
    from haven.deadlines.models import Deadline

    clock.freeze(clock.now())
    a = make_user("trend_a", roles=("inspector",), team="RESP-A")
    b = make_user("trend_b", roles=("response_officer",), team="RESP-B")
    leeds = board_episode(a, reported_at=_midday(6), last_seen_at=_midday(6), host_authority="Leeds")
    board_episode(
        b,
        state="found",
        reported_at=_midday(12),
        last_seen_at=_midday(12),
        found_at=_midday(4),
        host_authority="Bradford",
    )
    board_episode(b, reported_at=_midday(2), last_seen_at=_midday(2), host_authority="Leeds")
    make_deadline(a, leeds.case, _midday(5), key="open")
    met = make_deadline(a, leeds.case, _midday(9), key="met")
    Deadline.objects.filter(pk=met.pk).update(state="met", met_at=_midday(3), met_how="done")
    return {"a": a, "b": b}


def test_trend_from_settled_figures_counts_as_row_by_row_does(inspector: Any, history: dict[str, Any]) -> None:
    for filters in (Filters(), Filters(team="RESP-B"), Filters(area="Leeds"), Filters(team="RESP-A", area="Leeds")):
        settled = _series(inspector, filters)
        assert settled == _row_by_row(inspector, filters), filters
    everyone = _series(inspector)
    assert everyone["missing"][-1] == 2  # now: the two not found
    assert everyone["missing"][29 - 5] == 2  # five midnights before today's: Leeds and Bradford
    assert everyone["missing"][29 - 1] == 2  # one: Leeds and the last one reported (Bradford was found)
    assert everyone["overdue"][29 - 4] == 2  # four midnights ago both deadlines were overdue
    assert TrendFigure.objects.exists()
    assert TrendDay.objects.count() == (WINDOW_DAYS - 1) * len(sources())


def test_trend_counts_a_restricted_case_only_for_readers_who_may_see_it(
    make_user: Any, board_episode: Any, inspector: Any
) -> None:
    clock.freeze(clock.now())
    owner = make_user("restricted_owner", roles=("inspector",))
    episode = board_episode(owner, reported_at=_midday(3), last_seen_at=_midday(3))
    Case.objects.filter(pk=episode.case_id).update(sensitivity=Sensitivity.RESTRICTED)
    two_midnights_ago = 29 - 2
    assert _series(owner)["missing"][two_midnights_ago] == 1  # their own restricted case
    assert _series(inspector)["missing"][two_midnights_ago] == 0  # a whole-force reader who may not see it
    assert _series(inspector) == _row_by_row(inspector)
    figure = RestrictedTrendFigure.objects.get(case_id=episode.case_id, day=timezone.localdate(_midday(2)))
    assert figure.value == 1
    assert not TrendFigure.objects.exists()  # the only case missing is restricted: no aggregate names it


def test_trend_for_a_reader_without_whole_force_scope_counts_through_their_own_access(
    history: dict[str, Any],
) -> None:
    officer = history["b"]  # a response officer sees their own team's cases only
    series = _series(officer)
    assert series == _row_by_row(officer)
    assert series["missing"][29 - 5] == 1  # team B's Bradford child, not team A's Leeds child
    assert series["missing"][29 - 1] == 1  # team B's last one reported
    assert not TrendDay.objects.exists()  # nothing settled for them: counted row by row


def test_each_past_day_is_settled_once_and_again_by_the_nightly_job(
    inspector: Any, board_episode: Any, history: dict[str, Any]
) -> None:
    from haven.dmm.tasks import trend_settle

    before = _series(inspector)["missing"]
    # Entered late: a child missing since seven days ago, found yesterday.
    board_episode(inspector, state="found", reported_at=_midday(7), last_seen_at=_midday(7), found_at=_midday(1))
    assert _series(inspector)["missing"][29 - 5] == before[29 - 5]  # the settled figure stands for now
    assert _series(inspector)["missing"][-1] == before[-1]  # and now is counted live: found already
    trend_settle(0)  # the nightly job settles the window again
    after = _series(inspector)["missing"]
    assert after[29 - 5] == before[29 - 5] + 1
    assert after == _row_by_row(inspector)["missing"]


def test_area_filter_offers_the_areas_the_chart_counted_and_those_listed_but_none_hidden(
    signed_in: Any, make_user: Any, board_episode: Any
) -> None:
    client, user = signed_in(roles=("inspector",))
    clock.freeze(clock.now())
    board_episode(user, host_authority="Leeds")  # missing now, listed (reported today: not yet in the chart)
    board_episode(
        user, state="found", reported_at=_midday(6), last_seen_at=_midday(6), found_at=_midday(3), host_authority="York"
    )  # counted by the chart only
    hidden = board_episode(
        make_user("area_owner", roles=("inspector",)),
        state="found",
        reported_at=_midday(6),
        last_seen_at=_midday(6),
        found_at=_midday(3),
        host_authority="Wakefield",
    )
    Case.objects.filter(pk=hidden.case_id).update(sensitivity=Sensitivity.RESTRICTED)
    page = client.get("/dmm/").content.decode()
    assert '<option value="Leeds">' in page
    assert '<option value="York">' in page
    assert "Wakefield" not in page  # only a restricted case the reader may not see was there


def test_the_chart_ends_at_the_boards_header_figures(signed_in: Any, board_episode: Any, make_deadline: Any) -> None:
    from haven.deadlines.models import Deadline

    client, user = signed_in(roles=("inspector",))
    case = board_episode(user).case
    make_deadline(user, case, clock.now() - timedelta(hours=2), key="late")
    paused = make_deadline(user, case, clock.now() - timedelta(hours=3), key="paused")
    # A paused clock is not overdue on the board; counted from its times alone it would be.
    Deadline.objects.filter(pk=paused.pk).update(state="paused", paused_at=clock.now(), paused_reason="Court order")
    response = client.get("/dmm/")
    counts = {c.key: c.value for c in response.context["board"].counts}
    last = {s["key"]: s["values"][-1] for s in response.context["trend"]["series"]}
    assert counts["overdue"] == 1
    assert last == {"missing": counts["missing"], "overdue": 1}
