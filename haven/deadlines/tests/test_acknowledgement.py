"""Critical escalations need acknowledgement; an unacknowledged one climbs one level, once per notification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven.core import clock
from haven.deadlines import services
from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step, register_kind
from haven.deadlines.sweep import sweep
from haven.notifications.models import Notification
from haven.notifications.services import notification_acknowledge

CRITICAL_KIND = register_kind(
    DeadlineKind(
        code="tests.critical",
        rule_id="PP-01",
        label="Test critical",
        ladder=(Step(timedelta(0), Notify.SUPERVISOR, Severity.CRITICAL),),
    )
)


@pytest.fixture
def escalated(ranks, make_case):
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    case = make_case(ranks["officer"])
    deadline = services.deadline_create(
        actor=ranks["officer"], case=case, kind="tests.critical", what="End PP", due_at=clock.now(), key="pp:1"
    )
    sweep()
    return deadline


def _levels(deadline):
    return sorted(Notification.objects.filter(deadline=deadline).values_list("recipient__username", flat=True))


def test_critical_escalation_needs_acknowledgement(escalated):
    told = Notification.objects.get(deadline=escalated)
    assert told.recipient.username == "sergeant"
    assert told.requires_ack


def test_unacknowledged_critical_escalation_climbs_to_the_next_level_after_the_policy_time(escalated):
    clock.travel(timedelta(minutes=29))
    sweep()
    assert _levels(escalated) == ["sergeant"]
    clock.travel(timedelta(minutes=1))
    sweep()
    assert _levels(escalated) == ["inspector", "sergeant"]
    sweep()
    assert _levels(escalated) == ["inspector", "sergeant"]  # once per notification
    clock.travel(timedelta(minutes=30))
    sweep()
    assert _levels(escalated) == ["inspector", "sergeant", "superintendent"]


def test_acknowledged_critical_escalation_does_not_climb(escalated, ranks):
    told = Notification.objects.get(deadline=escalated)
    notification_acknowledge(actor=ranks["sergeant"], notification=told)
    clock.travel(timedelta(hours=2))
    sweep()
    assert _levels(escalated) == ["sergeant"]


def test_meeting_the_deadline_stops_the_climb(escalated, ranks):
    services.deadline_meet(actor=ranks["officer"], case=escalated.case, key="pp:1", how="Done")
    clock.travel(timedelta(hours=2))
    sweep()
    assert _levels(escalated) == ["sergeant"]
