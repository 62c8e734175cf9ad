"""WQ-01 (Haven's own rule): work waiting in a team's queue is allocated within force-policy time. The
allocation deadline is the team's; the duty sergeant is told when it falls due, the duty inspector half
an hour later (critical); allocating meets it, closing the queued case cancels it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven.cases import services as cases
from haven.core import clock
from haven.deadlines.choices import DeadlineState, ResponsibleKind
from haven.deadlines.models import Deadline
from haven.deadlines.sweep import sweep
from haven.notifications.models import Notification


@pytest.fixture
def queued(ranks, make_case, make_user):
    clock.freeze(datetime(2026, 3, 2, 19, 40, tzinfo=UTC))
    handler = make_user("handler", roles=("call_handler",), rank=None, team="CONTACT")
    sergeant = make_user("dutysgt", roles=("supervisor",), rank="PS", team="RESP-A")
    officer = make_user("respofficer", roles=("response_officer",), rank="PC", team="RESP-A")
    case = make_case(ranks["officer"])
    cases.case_queue_put(actor=ranks["officer"], case=case, area="North")
    case.refresh_from_db()
    return {"case": case, "sergeant": sergeant, "officer": officer, "handler": handler}


def _allocate(queued):
    data = cases.CaseAllocateIn(to_user="respofficer", note="")
    cases.case_allocate(actor=queued["sergeant"], case=queued["case"], data=data)


def _deadline(case):
    return Deadline.objects.get(case=case, kind="cases.allocation")


def test_wq01_a_queued_case_has_an_allocation_deadline_owned_by_the_team(queued):
    deadline = _deadline(queued["case"])
    assert deadline.rule_id == "WQ-01"
    assert deadline.key == f"queue:{queued['case'].public_id}"
    assert deadline.responsible_kind == ResponsibleKind.TEAM
    assert deadline.responsible_user is None
    assert deadline.responsible_team.code == "RESP-A"
    assert deadline.due_at == clock.now() + timedelta(minutes=30)


def test_wq01_unallocated_work_escalates_to_the_duty_sergeant_then_the_duty_inspector(queued, ranks):
    deadline = _deadline(queued["case"])
    clock.travel(timedelta(minutes=29))
    sweep()
    assert not Notification.objects.filter(deadline=deadline).exists()
    clock.travel(timedelta(minutes=1))
    sweep()
    assert list(Notification.objects.filter(deadline=deadline).values_list("recipient__username", "severity")) == [
        ("dutysgt", "urgent")
    ]
    clock.travel(timedelta(minutes=30))
    sweep()
    told = dict(Notification.objects.filter(deadline=deadline).values_list("recipient__username", "severity"))
    assert told == {"dutysgt": "urgent", "inspector": "critical"}
    assert Notification.objects.get(deadline=deadline, recipient=ranks["inspector"]).requires_ack


def test_wq01_allocating_meets_the_deadline_and_nothing_escalates(queued, ranks):
    clock.travel(timedelta(minutes=10))
    cases.case_allocate(
        actor=queued["sergeant"], case=queued["case"], data=cases.CaseAllocateIn(to_user="respofficer", note="")
    )
    deadline = _deadline(queued["case"])
    assert deadline.state == DeadlineState.MET
    assert deadline.met_how == f"Allocated to {queued['officer'].rank_and_name}"
    clock.travel(timedelta(hours=2))
    sweep()
    assert not Notification.objects.filter(deadline=deadline).exists()


def test_wq01_closing_a_queued_case_cancels_its_allocation_deadline(queued, ranks):
    cases.case_close(actor=ranks["officer"], case=queued["case"], data=cases.CaseCloseIn(reason="Reported in error"))
    assert _deadline(queued["case"]).state == DeadlineState.CANCELLED


def test_wq01_time_to_allocate_is_force_policy(ranks, make_case, make_user):
    from haven.deadlines.policy import QUEUE_ALLOCATE_WITHIN
    from haven.policy import registry
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    clock.freeze(datetime(2026, 3, 2, 19, 40, tzinfo=UTC))
    make_user("dutysgt", roles=("supervisor",), rank="PS", team="RESP-A")
    admin = make_user("admin", roles=("administrator",), team=None)
    policy_set(
        actor=admin,
        setting=registry.get(QUEUE_ALLOCATE_WITHIN.key),
        data=PolicySetIn(value=timedelta(minutes=15), reason="Force decision"),
    )
    case = make_case(ranks["officer"])
    cases.case_queue_put(actor=ranks["officer"], case=case)
    assert _deadline(case).due_at == clock.now() + timedelta(minutes=15)


def test_allocation_moves_the_owners_deadlines_to_the_allocated_officer(queued, ranks):
    from haven.deadlines import services

    owners = services.deadline_create(
        actor=ranks["officer"],
        case=queued["case"],
        kind="tests.one_hour",
        what="Grade the risk",
        due_at=clock.now() + timedelta(minutes=30),
        key="review",
    )
    assert owners.responsible_kind == ResponsibleKind.OWNER
    cases.case_allocate(
        actor=queued["sergeant"], case=queued["case"], data=cases.CaseAllocateIn(to_user="respofficer", note="")
    )
    owners.refresh_from_db()
    assert owners.responsible_user == queued["officer"]
    assert owners.responsible_team == queued["case"].team
