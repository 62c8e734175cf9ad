"""The sweep escalates each ladder step when its time comes, not before, exactly once (clock travel)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven.core import clock
from haven.deadlines import services
from haven.deadlines.models import DeadlineState, Escalation
from haven.deadlines.selectors import SWEEP, sweep_status
from haven.deadlines.sweep import sweep
from haven.notifications.models import Notification


@pytest.fixture
def case(ranks, make_case):
    return make_case(ranks["officer"])


def _told(deadline):
    return sorted(
        (n.recipient.username, n.severity)
        for n in Notification.objects.filter(deadline=deadline).select_related("recipient")
    )


def _fired_steps(deadline):
    return list(deadline.escalations.filter(fired_at__isnull=False).order_by("step").values_list("step", flat=True))


def test_pp02_police_protection_ladder_fires_each_step_at_its_time_and_not_before(case, ranks):
    """PP-01/PP-02: T-24h responsible, T-12h duty inspector, T-2h superintendent, T critical."""
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    deadline = services.deadline_create(
        actor=ranks["officer"],
        case=case,
        kind="tests.protection",
        what="End police protection",
        due_at=clock.now() + timedelta(hours=72),
        key="pp:1",
    )
    expectations = [
        (timedelta(hours=48), [0], [("officer", "warning")]),
        (timedelta(hours=60), [0, 1], [("inspector", "urgent"), ("officer", "warning")]),
        (
            timedelta(hours=70),
            [0, 1, 2],
            [("inspector", "urgent"), ("officer", "warning"), ("superintendent", "urgent")],
        ),
        (
            timedelta(hours=72),
            [0, 1, 2, 3],
            # one inbox item per deadline and recipient: the superintendent's is raised to critical
            [("inspector", "urgent"), ("officer", "warning"), ("superintendent", "critical")],
        ),
    ]
    start = clock.now()
    for at, steps, told in expectations:
        clock.freeze(start + at - timedelta(minutes=1))
        sweep()
        assert _fired_steps(deadline) == steps[:-1], f"step fired early at {at}"
        clock.freeze(start + at)
        sweep()
        assert _fired_steps(deadline) == steps
        assert _told(deadline) == told
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED
    critical = Notification.objects.get(deadline=deadline, severity="critical")
    assert critical.requires_ack


def test_sweeping_again_sends_nothing_new(case, ranks):
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    deadline = services.deadline_create(
        actor=ranks["officer"],
        case=case,
        kind="tests.one_hour",
        what="Review",
        due_at=clock.now() + timedelta(hours=1),
        key="r:1",
    )
    clock.travel(timedelta(hours=2))
    sweep()
    sweep()
    assert Notification.objects.filter(deadline=deadline).count() == 1


def test_bst_end_one_hour_deadline_fires_after_sixty_real_minutes(case, ranks):
    """BST ends at 01:00 UTC on the last Sunday of October: 01:30 BST + 1 h is 01:30 GMT, not 02:30."""
    clock.freeze(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # 01:30 BST
    deadline = services.deadline_create(
        actor=ranks["officer"],
        case=case,
        kind="tests.one_hour",
        what="Review",
        due_at=clock.now() + timedelta(hours=1),
        key="r:1",
    )
    clock.travel(timedelta(minutes=59))
    sweep()
    assert _fired_steps(deadline) == []
    clock.travel(timedelta(minutes=1))  # 60 real minutes: 01:30 GMT, the same wall-clock time as the start
    sweep()
    assert _fired_steps(deadline) == [0]
    assert _told(deadline) == [("sergeant", "urgent")]


def test_met_before_due_never_escalates(case, ranks):
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    deadline = services.deadline_create(
        actor=ranks["officer"],
        case=case,
        kind="tests.protection",
        what="End PP",
        due_at=clock.now() + timedelta(hours=72),
        key="pp:1",
    )
    clock.travel(timedelta(hours=47))
    services.deadline_meet(actor=ranks["officer"], case=case, key="pp:1", how="Ended")
    for hours in (1, 12, 24, 100):
        clock.travel(timedelta(hours=hours))
        sweep()
    assert not Notification.objects.filter(deadline=deadline).exists()
    assert _fired_steps(deadline) == []
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET


def test_catches_up_every_missed_step_after_downtime(case, ranks):
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    deadline = services.deadline_create(
        actor=ranks["officer"],
        case=case,
        kind="tests.protection",
        what="End PP",
        due_at=clock.now() + timedelta(hours=72),
        key="pp:1",
    )
    clock.travel(timedelta(hours=80))  # the worker was down the whole time
    result = sweep()
    assert result.fired == 4
    assert _fired_steps(deadline) == [0, 1, 2, 3]


def test_deadline_created_overdue_fires_only_its_latest_step(case, ranks):
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    deadline = services.deadline_create(
        actor=ranks["officer"],
        case=case,
        kind="tests.protection",
        what="End PP",
        due_at=clock.now() + timedelta(hours=1),
        key="pp:1",
    )
    sweep()
    assert _fired_steps(deadline) == [2]
    assert Escalation.objects.filter(deadline=deadline, skipped=True).count() == 2


def test_no_supervisor_in_team_steps_up_to_the_duty_inspector(ranks, make_case, make_user):
    lone = make_user("lone", roles=("investigator",), team="SOLO")
    case = make_case(lone)
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    deadline = services.deadline_create(
        actor=lone, case=case, kind="tests.one_hour", what="Review", due_at=clock.now() + timedelta(hours=1), key="r:1"
    )
    clock.travel(timedelta(hours=1))
    sweep()
    assert _told(deadline) == [("inspector", "urgent")]
    assert deadline.escalations.get().notified_level == "duty_inspector"


def test_sweep_writes_its_heartbeat(db):
    assert not sweep_status().alive
    sweep()
    status = sweep_status()
    assert status.name == SWEEP
    assert status.alive
    clock.travel(timedelta(minutes=3))
    assert not sweep_status().alive


def test_nobody_at_or_above_the_level_falls_back_to_the_nearest_level_below(ranks, make_case):
    from haven.accounts.models import User

    User.objects.filter(username="superintendent").update(is_active=False)
    case = make_case(ranks["officer"])
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    deadline = services.deadline_create(
        actor=ranks["officer"],
        case=case,
        kind="tests.protection",
        what="End PP",
        due_at=clock.now() + timedelta(hours=72),
        key="pp:1",
    )
    clock.travel(timedelta(hours=70))
    sweep()
    step = deadline.escalations.get(step=2)
    assert step.notify == "superintendent"
    assert step.notified_level == "duty_inspector"
    assert ("inspector", "urgent") in _told(deadline)
