"""The deadline services other apps call: create, meet, cancel, reschedule, pause and resume."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from haven.core import clock
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.deadlines import services
from haven.deadlines.models import Deadline, DeadlineState
from haven.deadlines.selectors import deadlines_for_case


@pytest.fixture
def case(ranks, make_case):
    return make_case(ranks["officer"])


def _create(case, *, key="pp:1", hours=72, kind="tests.protection", **kw):
    return services.deadline_create(
        actor=case.owner,
        case=case,
        kind=kind,
        what="End police protection",
        due_at=clock.now() + timedelta(hours=hours),
        key=key,
        **kw,
    )


def test_create_copies_the_ladder_and_defaults_responsibility_to_the_owner(case, ranks):
    deadline = _create(case)
    assert deadline.state == DeadlineState.OPEN
    assert deadline.rule_id == "PP-02"
    assert deadline.responsible_user == ranks["officer"]
    assert deadline.responsible_team == ranks["officer"].team
    assert [s["offset_minutes"] for s in deadline.ladder] == [-1440, -720, -120, 0]
    assert deadline.escalations.count() == 4


def test_one_live_deadline_per_case_and_key(case):
    _create(case)
    with pytest.raises(Conflict):
        _create(case)


def test_ensure_leaves_the_live_deadline_of_a_key_as_it_is_and_keeps_the_callers_work(case):
    first = _create(case)
    with transaction.atomic():
        again = services.deadline_ensure(
            actor=None,
            case=case,
            kind="tests.protection",
            what="Asked again",
            due_at=clock.now() + timedelta(hours=5),
            key=first.key,
        )
        assert again is None
        assert Deadline.objects.filter(case=case).count() == 1  # the transaction goes on: a savepoint took it
    assert Deadline.objects.get(pk=first.pk).what == "End police protection"
    services.deadline_meet(actor=None, case=case, key=first.key)
    made = services.deadline_ensure(
        actor=None, case=case, kind="tests.protection", what="Anew", due_at=clock.now(), key=first.key
    )
    assert made is not None
    assert made.what == "Anew"


def test_database_refuses_a_second_live_deadline_for_the_same_key(case):
    first = _create(case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(
            case=case, kind=first.kind, rule_id=first.rule_id, what="x", key=first.key, due_at=first.due_at
        )


def test_unknown_kind_is_refused(case):
    with pytest.raises(LookupError):
        _create(case, kind="no.such.kind")


def test_naive_due_time_is_refused(case):
    with pytest.raises(ValidationFailed):
        services.deadline_create(
            actor=case.owner,
            case=case,
            kind="tests.protection",
            what="x",
            due_at=clock.now().replace(tzinfo=None),
            key="k",
        )


def test_meet_records_who_when_and_how_and_frees_the_key(case, ranks):
    _create(case)
    met = services.deadline_meet(actor=ranks["officer"], case=case, key="pp:1", how="Ended: accommodated by LA")
    assert met is not None
    assert met.state == DeadlineState.MET
    assert met.met_by == ranks["officer"]
    assert met.met_at is not None
    assert met.met_how.startswith("Ended")
    assert not met.escalations.filter(fired_at__isnull=True, skipped=False).exists()
    assert services.deadline_meet(actor=ranks["officer"], case=case, key="pp:1") is None
    _create(case)  # the key is free again


def test_cancel_needs_a_reason(case, ranks):
    _create(case)
    with pytest.raises(ValidationFailed):
        services.deadline_cancel(actor=ranks["officer"], case=case, key="pp:1", reason="  ")
    cancelled = services.deadline_cancel(actor=ranks["officer"], case=case, key="pp:1", reason="Entered in error")
    assert cancelled is not None
    assert cancelled.state == DeadlineState.CANCELLED
    assert cancelled.cancelled_by == ranks["officer"]


def test_reschedule_moves_unfired_steps(case, ranks):
    deadline = _create(case)
    new_due = deadline.due_at + timedelta(hours=5)
    services.deadline_reschedule(actor=ranks["officer"], case=case, key="pp:1", due_at=new_due, reason="Court order")
    fire_times = list(deadline.escalations.order_by("step").values_list("fire_at", flat=True))
    assert fire_times == [
        new_due - timedelta(hours=24),
        new_due - timedelta(hours=12),
        new_due - timedelta(hours=2),
        new_due,
    ]


def test_pause_only_where_the_kind_allows_it(case, ranks):
    _create(case)
    with pytest.raises(Conflict):
        services.deadline_pause(actor=ranks["officer"], case=case, key="pp:1", reason="Child in hospital")


def test_pause_and_resume_moves_the_due_time_by_the_pause(case, ranks):
    deadline = _create(case, key="rhi:1", hours=3, kind="tests.pausable")
    services.deadline_pause(actor=ranks["officer"], case=case, key="rhi:1", reason="Child in hospital")
    clock.travel(timedelta(hours=2))
    resumed = services.deadline_resume(actor=ranks["officer"], case=case, key="rhi:1")
    assert resumed.state == DeadlineState.OPEN
    assert abs((resumed.due_at - deadline.due_at) - timedelta(hours=2)) < timedelta(seconds=5)


def test_deadlines_for_case_needs_sight_of_the_case(case, ranks):
    _create(case)
    assert [d.key for d in deadlines_for_case(user=ranks["officer"], case=case)] == ["pp:1"]
    with pytest.raises(NotFound):
        deadlines_for_case(user=ranks["stranger"], case=case)


def test_closing_the_case_cancels_its_live_deadlines_so_nothing_escalates(case, ranks):
    _create(case, key="pp:1")
    _create(case, key="pp:2", kind="tests.pausable")
    services.deadline_pause(actor=case.owner, case=case, key="pp:2", reason="Child in hospital")
    from haven.cases.services import CaseCloseIn, case_close

    case_close(actor=case.owner, case=case, data=CaseCloseIn(reason="Child returned to parents, no further action"))
    deadlines = Deadline.objects.filter(case=case)
    assert {d.state for d in deadlines} == {DeadlineState.CANCELLED}
    assert all(d.cancelled_reason == f"Case {case.reference} closed." for d in deadlines)
    assert not any(e.fired_at is None and not e.skipped for d in deadlines for e in d.escalations.all())
