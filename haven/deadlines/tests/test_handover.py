"""Rule M-10: a handover starts an acknowledgement deadline for the new owner that escalates to the
duty inspector when not acknowledged within the force's time; acknowledging meets it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven.cases import services as cases
from haven.core import clock
from haven.deadlines.models import Deadline, DeadlineState
from haven.deadlines.sweep import sweep
from haven.notifications.models import Notification


@pytest.fixture
def handed(ranks, make_case, make_user):
    clock.freeze(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    new_owner = make_user("newowner", roles=("investigator",), rank="DC", team="OCSET")
    case = make_case(ranks["officer"])
    handover = cases.case_handover(
        actor=ranks["officer"], case=case, data=cases.HandoverIn(to_user=new_owner.username, reason="OCSET to lead")
    )
    return {"case": case, "handover": handover, "new": new_owner}


def _deadline(handed):
    return Deadline.objects.get(case=handed["case"], kind="cases.handover")


def test_m10_handover_creates_an_acknowledgement_deadline_for_the_new_owner(handed):
    deadline = _deadline(handed)
    assert deadline.rule_id == "M-10"
    assert deadline.responsible_user == handed["new"]
    assert deadline.due_at == clock.now() + timedelta(hours=1)
    inbox = Notification.objects.get(recipient=handed["new"], deadline=deadline)
    assert inbox.requires_ack
    assert inbox.ack_by_link


def test_m10_unacknowledged_handover_escalates_to_the_duty_inspector(handed, ranks):
    clock.travel(timedelta(minutes=59))
    sweep()
    assert not Notification.objects.filter(recipient=ranks["inspector"]).exists()
    clock.travel(timedelta(minutes=1))
    sweep()
    told = Notification.objects.get(recipient=ranks["inspector"])
    assert handed["case"].reference in told.subject
    assert told.severity == "urgent"


def test_m10_acknowledging_the_handover_meets_the_deadline_and_nothing_escalates(handed, ranks):
    clock.travel(timedelta(minutes=30))
    cases.case_handover_acknowledge(actor=handed["new"], case=handed["case"])
    deadline = _deadline(handed)
    assert deadline.state == DeadlineState.MET
    assert deadline.met_by == handed["new"]
    assert Notification.objects.get(recipient=handed["new"], deadline=deadline).acknowledged_at is not None
    clock.travel(timedelta(hours=5))
    sweep()
    assert not Notification.objects.filter(recipient=ranks["inspector"]).exists()


def test_m10_a_newer_handover_cancels_the_older_deadline(handed, ranks, make_user):
    other = make_user("other", roles=("investigator",), rank="DC", team="CATE")
    cases.case_handover(
        actor=ranks["officer"],
        case=handed["case"],
        data=cases.HandoverIn(to_user=other.username, reason="Changed my mind"),
    )
    states = dict(Deadline.objects.filter(case=handed["case"]).values_list("responsible_user__username", "state"))
    assert states == {"newowner": DeadlineState.CANCELLED, "other": DeadlineState.OPEN}


def test_m10_acknowledgement_time_is_force_policy(ranks, make_case, make_user):
    from haven.policy import registry
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    admin = make_user("admin", roles=("administrator",), team=None)
    policy_set(
        actor=admin,
        setting=registry.get("deadlines.handover_ack_within"),
        data=PolicySetIn(value=timedelta(minutes=20), reason="Faster"),
    )
    new_owner = make_user("newowner", roles=("investigator",), team="OCSET")
    case = make_case(ranks["officer"])
    cases.case_handover(
        actor=ranks["officer"], case=case, data=cases.HandoverIn(to_user=new_owner.username, reason="OCSET to lead")
    )
    deadline = Deadline.objects.get(case=case, kind="cases.handover")
    assert abs(deadline.due_at - (clock.now() + timedelta(minutes=20))) < timedelta(seconds=5)
