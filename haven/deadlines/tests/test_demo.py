"""The demo seed gives the demo force deadlines to look at: open, overdue, escalated. Idempotent."""

from __future__ import annotations

from haven.deadlines.demo import seed_deadlines
from haven.deadlines.models import Deadline, DeadlineState, Escalation
from haven.notifications.models import Notification


def test_demo_deadlines_open_overdue_and_escalated(db, monkeypatch):
    from haven.demo import seed

    # Only the parts this test needs: the demo users, people and cases, then the deadlines.
    for name in ("seed_missing", "seed_triggerplans", "seed_dmm", "seed_deadlines"):
        if hasattr(seed, name):
            monkeypatch.setattr(seed, name, lambda: 0)
    seed.seed_demo()

    assert seed_deadlines() == 3
    assert seed_deadlines() == 0
    from haven.deadlines.demo import PLAN

    deadlines = list(Deadline.objects.filter(kind="cases.handover", case__handovers__reason__in=[p[2] for p in PLAN]))
    assert len(deadlines) == 3
    states = sorted(d.state for d in deadlines)
    assert states == [DeadlineState.BREACHED, DeadlineState.BREACHED, DeadlineState.OPEN]
    assert Escalation.objects.filter(fired_at__isnull=False, notify="duty_inspector").count() >= 2
    assert Notification.objects.filter(
        recipient__username="inspector", severity="critical", acknowledged_at=None
    ).exists()
