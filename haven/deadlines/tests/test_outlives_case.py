"""M-12: closing a case cancels its live deadlines except those of kinds that outlive it: the return home
interview stays open and escalating until it is recorded with the local authority."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from haven.cases import services as cases
from haven.core import clock
from haven.deadlines import services
from haven.deadlines.models import Deadline, DeadlineState
from haven.deadlines.registry import kind_get
from haven.deadlines.sweep import sweep
from haven.notifications.models import Notification


def test_m12_closing_the_case_leaves_the_rhi_deadline_open_and_escalating(ranks, make_case):
    clock.freeze(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    assert kind_get("missing.rhi").outlives_case
    case = make_case(ranks["officer"])
    for key, kind in (("rhi", "missing.rhi"), ("review", "tests.one_hour")):
        services.deadline_create(
            actor=ranks["officer"],
            case=case,
            kind=kind,
            what=key,
            due_at=clock.now() + timedelta(hours=72),
            key=key,
        )
    cases.case_close(actor=ranks["officer"], case=case, data=cases.CaseCloseIn(reason="Child found and safe"))
    states = dict(Deadline.objects.filter(case=case).values_list("key", "state"))
    assert states == {"rhi": DeadlineState.OPEN, "review": DeadlineState.CANCELLED}
    clock.travel(timedelta(hours=72))
    sweep()
    rhi = Deadline.objects.get(case=case, key="rhi")
    assert rhi.state == DeadlineState.BREACHED
    assert Notification.objects.filter(deadline=rhi, recipient=ranks["sergeant"], severity="urgent").exists()
