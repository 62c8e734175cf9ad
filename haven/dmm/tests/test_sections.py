"""Each board section lists exactly the records it must (D-01) and none it must not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.core import clock
from haven.dmm.board import board_build
from haven.dmm.rules import d01_missing_sections
from haven.dmm.sections import Filters

pytestmark = pytest.mark.django_db


def rows(user: Any, key: str, filters: Filters | None = None) -> list[Any]:
    board = board_build(user=user, filters=filters or Filters(), log=False)
    view = board.section(key)
    assert view is not None, f"no section {key}"
    return view.rows


def cases_in(user: Any, key: str, filters: Filters | None = None) -> list[Any]:
    return [r.case.pk if r.case else None for r in rows(user, key, filters)]


# --- Section 1: currently missing --------------------------------------------------------------


def test_d01_section1_lists_children_missing_now_and_not_those_found(inspector: Any, board_episode: Any) -> None:
    missing = board_episode(inspector, grade="medium")
    found = board_episode(inspector, grade="high", state="found", found_at=clock.now() - timedelta(hours=1))
    listed = cases_in(inspector, "missing")
    assert missing.case_id in listed
    assert found.case_id not in listed


def test_d01_section1_orders_ungraded_and_high_first_then_longest_missing(inspector: Any, board_episode: Any) -> None:
    now = clock.now()
    low = board_episode(inspector, grade="low", last_seen_at=now - timedelta(days=3))
    high_recent = board_episode(inspector, grade="high", last_seen_at=now - timedelta(hours=1))
    high_long = board_episode(inspector, grade="high", last_seen_at=now - timedelta(hours=20))
    ungraded = board_episode(inspector, grade="", state="reported")
    assert cases_in(inspector, "missing") == [ungraded.case_id, high_long.case_id, high_recent.case_id, low.case_id]


def test_section1_shows_time_missing_reviews_overdue_enquiries_acknowledgement_and_plan(
    inspector: Any, make_user: Any, board_episode: Any, dated_plan: Any
) -> None:
    from haven.cases.models import Case
    from haven.missing.models import Enquiry, RiskAssessment, SupervisorReview

    now = clock.now()
    clock.freeze(now)
    episode = board_episode(
        inspector, last_seen_at=now - timedelta(hours=5), next_review_due=now - timedelta(minutes=10)
    )
    RiskAssessment.objects.create(
        episode=episode,
        grade="high",
        vocabulary_version="app-2024",
        rationale="r",
        assessed_by=inspector,
        assessed_at=now - timedelta(hours=3),
        next_review_due=now,
    )
    SupervisorReview.objects.create(
        episode=episode,
        reviewer=inspector,
        reviewed_at=now - timedelta(hours=2),
        decision="Keep high",
        next_review_due=now - timedelta(minutes=10),
    )
    for due, status in [
        (now - timedelta(hours=1), "raised"),
        (now - timedelta(hours=1), "completed"),
        (now + timedelta(hours=1), "raised"),
    ]:
        Enquiry.objects.create(
            episode=episode,
            type="cctv",
            description="d",
            raised_by=inspector,
            due_at=due,
            status=status,
            result="done" if status == "completed" else "",
            completed_at=now if status == "completed" else None,
        )
    Case.objects.filter(pk=episode.case_id).update(pending_owner=make_user("newowner", roles=("investigator",)))
    dated_plan(inspector, episode.child, timezone.localdate(now) - timedelta(days=1))

    (row,) = rows(inspector, "missing")
    assert row.missing_for == timedelta(hours=5)
    assert row.last_review_at == now - timedelta(hours=2)
    assert row.review_overdue is True
    assert row.overdue_enquiries == 1  # the completed one and the one not yet due do not count
    assert row.acknowledged is False
    assert row.plan == "out_of_date"


def test_section1_plan_status_none_and_current(inspector: Any, board_episode: Any, dated_plan: Any) -> None:
    with_plan = board_episode(inspector)
    without = board_episode(inspector)
    dated_plan(inspector, with_plan.child, timezone.localdate(clock.now()) + timedelta(days=30))
    plans = {r.case.pk: r.plan for r in rows(inspector, "missing")}
    assert plans == {with_plan.case_id: "current", without.case_id: "none"}


def test_section1_hides_cases_outside_the_users_access(make_user: Any, board_episode: Any) -> None:
    mine = make_user("mine", roles=("response_officer",), team="RESP-A")
    other = make_user("other", roles=("response_officer",), team="RESP-B")
    seen = board_episode(mine)
    hidden = board_episode(other)
    listed = cases_in(mine, "missing")
    assert seen.case_id in listed
    assert hidden.case_id not in listed


def test_whole_force_reader_sees_every_case_but_restricted_ones_hidden_from_them(
    make_user: Any, board_episode: Any, make_deadline: Any
) -> None:
    """``_common.visible`` says "every case but the hidden restricted ones" for whole-force readers:
    the same set as ``case_visible_to``, section by section."""
    from haven.cases.choices import Sensitivity
    from haven.cases.models import Case
    from haven.cases.selectors import case_visible_to

    chief = make_user("chief", roles=("inspector",), team="RESP-A")
    other = make_user("other_owner", roles=("response_officer",), team="RESP-B")
    normal = board_episode(other)
    own_restricted = board_episode(chief)
    named = board_episode(other)
    hidden = board_episode(other)
    restricted = [own_restricted.case_id, named.case_id, hidden.case_id]
    Case.objects.filter(pk__in=restricted).update(sensitivity=Sensitivity.RESTRICTED)
    named.case.members.add(chief)
    for episode in (normal, own_restricted, named, hidden):
        make_deadline(other, episode.case, clock.now() - timedelta(hours=1))
    expected = {normal.case_id, own_restricted.case_id, named.case_id}
    assert set(case_visible_to(chief).values_list("pk", flat=True)) == expected
    assert set(cases_in(chief, "missing")) == expected
    assert set(cases_in(chief, "overdue")) == expected


# --- Section 2: returned in the last 24 hours -------------------------------------------------


def test_d01_section2_lists_returned_without_prevention_interview_or_rhi(inspector: Any, board_episode: Any) -> None:
    from haven.missing.models import PreventionInterview, ReturnHomeInterview

    now = clock.now()

    def found(hours: float, **kw: Any) -> Any:
        return board_episode(
            inspector,
            state="found",
            found_at=now - timedelta(hours=hours),
            last_seen_at=now - timedelta(hours=40),
            **kw,
        )

    def interview(episode: Any) -> None:
        PreventionInterview.objects.create(episode=episode, done_at=now, done_by=inspector, mode="in_person")

    def rhi(episode: Any) -> None:
        ReturnHomeInterview.objects.create(
            episode=episode,
            authority="Leeds",
            recipient="rhi@leeds.example",
            requested_at=now,
            requested_by=inspector,
            due_at=now + timedelta(hours=72),
        )

    nothing_done = found(2)
    interviewed_no_rhi = found(3)
    interview(interviewed_no_rhi)
    rhi_no_interview = found(4)
    rhi(rhi_no_interview)
    both_done = found(20)  # found yesterday, prevention interview done and RHI requested
    interview(both_done)
    rhi(both_done)
    waived_and_rhi = found(
        5, prevention_waived_at=now, prevention_waived_reason="Child refused", prevention_waived_by=inspector
    )
    rhi(waived_and_rhi)
    too_old = found(30)
    still_missing = board_episode(inspector)

    listed = cases_in(inspector, "returned")
    assert set(listed) == {nothing_done.case_id, interviewed_no_rhi.case_id, rhi_no_interview.case_id}
    for absent in (both_done, waived_and_rhi, too_old, still_missing):
        assert absent.case_id not in listed


# --- Section 6: repeat missing without a plan; plans past review ------------------------------


def test_d01_section6_lists_repeat_missing_without_current_plan_and_plans_past_review(
    inspector: Any, make_child: Any, board_episode: Any, dated_plan: Any
) -> None:
    from haven.triggerplans.models import RepeatMissingFlag

    today = timezone.localdate(clock.now())
    no_plan = make_child()
    has_plan = make_child()
    episode = board_episode(
        inspector,
        child=no_plan,
        state="closed",
        last_seen_at=clock.now() - timedelta(days=3),
        found_at=clock.now() - timedelta(days=2),
    )
    flag = RepeatMissingFlag.objects.create(
        child=no_plan, episodes=3, threshold=3, window_days=90, deadline_case=episode.case
    )
    RepeatMissingFlag.objects.create(child=has_plan, episodes=4, threshold=3, window_days=90)
    dated_plan(inspector, has_plan, today + timedelta(days=10))
    stale = dated_plan(inspector, make_child(), today - timedelta(days=1))
    fresh = dated_plan(inspector, make_child(), today)

    found = rows(inspector, "repeat")
    by_kind = {(r.kind, r.person.pk) for r in found}
    assert ("no_plan", no_plan.pk) in by_kind
    assert not any(r.person.pk == has_plan.pk and r.kind == "no_plan" for r in found)
    plan_cases = [r.case.pk for r in found if r.kind == "past_review"]
    assert plan_cases == [stale.case_id]
    assert fresh.case_id not in plan_cases
    (flag_row,) = [r for r in found if r.kind == "no_plan"]
    assert flag_row.case.pk == episode.case_id  # the row links to the case the flag was raised on
    # M-14: "Plan due" is never blank: without its deadline, the force's 7 days after the flag was raised.
    assert flag_row.due_at == flag.raised_at + timedelta(days=7)


# --- Section 7: overdue -----------------------------------------------------------------------


def test_d01_section7_lists_everything_overdue_worst_first(
    inspector: Any, board_episode: Any, make_deadline: Any
) -> None:
    from haven.deadlines import services as deadlines

    now = clock.now()
    case = board_episode(inspector).case
    late = make_deadline(inspector, case, now - timedelta(hours=1), what="Late")
    later = make_deadline(inspector, case, now - timedelta(hours=5), what="Much later")
    make_deadline(inspector, case, now + timedelta(hours=1), what="Not yet due")
    met = make_deadline(inspector, case, now - timedelta(hours=2), what="Met", key="met")
    deadlines.deadline_meet(actor=inspector, case=case, key=met.key, how="done")

    listed = [r.deadline.pk for r in rows(inspector, "overdue")]
    assert listed == [later.pk, late.pk]


# --- Filters, placeholders, counts -----------------------------------------------------------


def test_board_filters_by_team_and_area(make_user: Any, board_episode: Any) -> None:
    chief = make_user("chief", roles=("inspector",), team="RESP-A")
    other_team = make_user("b", roles=("response_officer",), team="RESP-B")
    leeds = board_episode(chief, host_authority="Leeds")
    bradford = board_episode(chief, host_authority="", responsible_authority="Bradford")
    team_b = board_episode(other_team, host_authority="Leeds")

    assert set(cases_in(chief, "missing", Filters(team="RESP-B"))) == {team_b.case_id}
    assert set(cases_in(chief, "missing", Filters(area="Leeds"))) == {leeds.case_id, team_b.case_id}
    assert set(cases_in(chief, "missing", Filters(area="Bradford"))) == {bradford.case_id}
    assert cases_in(chief, "missing", Filters(team="RESP-A", area="Bradford")) == [bradford.case_id]


def test_d01_board_has_every_required_section_or_shows_it_not_available(inspector: Any) -> None:
    board = board_build(user=inspector, filters=Filters(), log=False)
    assert d01_missing_sections(v.key for v in board.sections) == []
    for key in ("protection",):
        view = board.section(key)
        assert view is not None
        assert view.available  # haven.protection's section 3
    counts = {c.key: c.value for c in board.counts}
    assert counts["protection"] == 0  # haven.protection's section 3: nobody in police protection
    assert counts["custody"] == 0  # haven.custody's section 4 (C-10)


def test_d01_rule_names_a_missing_required_section() -> None:
    assert d01_missing_sections(["missing", "overdue"]) == ["protection", "custody"]


def test_header_counts_missing_by_grade_and_overdue(inspector: Any, board_episode: Any, make_deadline: Any) -> None:
    board_episode(inspector, grade="high")
    board_episode(inspector, grade="high")
    case = board_episode(inspector, grade="low").case
    make_deadline(inspector, case, clock.now() - timedelta(minutes=5))
    counts = {c.key: c.value for c in board_build(user=inspector, filters=Filters(), log=False).counts}
    assert counts["missing"] == 3
    assert counts["missing_high"] == 2
    assert counts["missing_low"] == 1
    assert counts["missing_medium"] == 0
    assert counts["overdue"] == 1


def test_each_section_lists_its_worst_rows_up_to_the_limit_and_counts_them_all(
    inspector: Any, board_episode: Any, make_deadline: Any
) -> None:
    now = clock.now()
    low = board_episode(inspector, grade="low", last_seen_at=now - timedelta(days=3))
    high = board_episode(inspector, grade="high", last_seen_at=now - timedelta(hours=1))
    ungraded = board_episode(inspector, grade="", state="reported")
    worst = make_deadline(inspector, low.case, now - timedelta(hours=9), what="Worst")
    make_deadline(inspector, low.case, now - timedelta(hours=1), what="Less")

    board = board_build(user=inspector, filters=Filters(), limit=2, log=False)
    missing, overdue = board.section("missing"), board.section("overdue")
    assert missing is not None
    assert overdue is not None
    assert [r.case.pk for r in missing.rows] == [ungraded.case_id, high.case_id]  # the low-risk child waits
    assert (missing.total, missing.complete) == (3, False)
    assert overdue.total == 2
    most_overdue = board_build(user=inspector, filters=Filters(), limit=1, log=False).section("overdue")
    assert most_overdue is not None
    assert [r.deadline.pk for r in most_overdue.rows] == [worst.pk]
    # D-01: the header counts every child missing, listed or not.
    counts = {c.key: c.value for c in board.counts}
    by_grade = [counts[f"missing_{grade}"] for grade in ("low", "high", "ungraded")]
    assert (counts["missing"], by_grade) == (3, [1, 1, 1])
    assert counts["overdue"] == 2


def test_the_section_asked_for_in_full_lists_every_row(inspector: Any, board_episode: Any) -> None:
    for grade in ("high", "medium", "low"):
        board_episode(inspector, grade=grade)
    board = board_build(user=inspector, filters=Filters(), limit=1, show_all="missing", log=False)
    missing = board.section("missing")
    assert missing is not None
    assert (len(missing.rows), missing.total, missing.complete, missing.bounded) == (3, 3, True, False)


def test_d01_board_without_a_limit_lists_every_row(inspector: Any, board_episode: Any) -> None:
    """The pack and the meeting's record build the board without a limit: every child missing (D-01)."""
    for _ in range(3):
        board_episode(inspector, grade="medium")
    assert len(rows(inspector, "missing")) == 3


def test_trend_counts_children_missing_at_the_end_of_each_day(inspector: Any, board_episode: Any) -> None:
    from haven.dmm.trend import trend_build

    now = clock.now()
    board_episode(inspector, reported_at=now - timedelta(days=3), last_seen_at=now - timedelta(days=3, hours=1))
    board_episode(
        inspector,
        state="found",
        reported_at=now - timedelta(days=10),
        last_seen_at=now - timedelta(days=10, hours=1),
        found_at=now - timedelta(days=8),
    )
    trend = trend_build(user=inspector, filters=Filters())
    missing = next(s for s in trend["series"] if s["key"] == "missing")["values"]
    assert len(missing) == 30
    assert trend["labels"][-1] == "Now"
    # Point i is the midnight that ends a day, (29 - i) days before today's midnight; the last is now.
    assert missing[-1] == 1  # the first is missing now
    assert missing[27] == 1  # two midnights ago: the first was missing (reported three days ago)
    assert missing[26] == 0  # three midnights ago: the first was not yet reported, the second was found
    assert missing[20] == 1  # nine midnights ago: the second was missing
    assert missing[0] == 0


def test_trend_counts_deadlines_overdue_at_the_end_of_each_day(
    inspector: Any, board_episode: Any, make_deadline: Any
) -> None:
    from haven.deadlines.models import Deadline
    from haven.dmm.trend import trend_build

    now = clock.now()
    clock.freeze(now)
    case = board_episode(inspector).case
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)

    def day(k: int) -> Any:  # midday, k days before today
        return midnight - timedelta(days=k, hours=12)

    make_deadline(inspector, case, day(5), key="open")  # overdue from the midnight after it until now
    met = make_deadline(inspector, case, day(10), key="met")
    Deadline.objects.filter(pk=met.pk).update(state="met", met_at=day(3), met_how="done")
    cancelled = make_deadline(inspector, case, day(6), key="cancelled")
    Deadline.objects.filter(pk=cancelled.pk).update(state="cancelled", cancelled_at=day(2), cancelled_reason="moot")
    old = make_deadline(inspector, case, day(40), key="old")  # met long before the window
    Deadline.objects.filter(pk=old.pk).update(state="met", met_at=day(35), met_how="done")
    make_deadline(inspector, case, now + timedelta(hours=1), key="future")

    trend = trend_build(user=inspector, filters=Filters())
    overdue = next(s for s in trend["series"] if s["key"] == "overdue")["values"]
    # Point i is the midnight (29 - i) days before today's; the last point is now.
    by_midnights_ago = {29 - i: v for i, v in enumerate(overdue[:-1])}
    assert overdue[-1] == 1  # now: only the open one
    assert [by_midnights_ago[k] for k in range(1, 13)] == [1, 1, 2, 3, 3, 2, 1, 1, 1, 1, 0, 0]
    assert sum(by_midnights_ago[k] for k in range(13, 30)) == 0
    assert trend_build(user=inspector, filters=Filters(area="Nowhere"))["series"][1]["values"] == [0] * 30
