"""Demo data for Deadlines (called by haven.demo.seed.seed_demo): handovers awaiting acknowledgement
(M-10) on demo cases, one still in time, one overdue and escalated to the duty inspector, one long
overdue with a critical escalation awaiting acknowledgement. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from haven.accounts.models import User
from haven.cases.choices import CaseState, Sensitivity
from haven.cases.models import Case
from haven.core import clock
from haven.deadlines.choices import DeadlineState
from haven.deadlines.handover import HANDOVER
from haven.deadlines.models import Deadline
from haven.notifications.models import Notification

# (owner of the demo case, new owner, reason, how long ago the handover started)
PLAN = [
    ("investigator", "crsu", "Referral route: CRSU to share with children's services.", timedelta(hours=2, minutes=5)),
    ("sergeant", "response", "Response team to carry out the safe and well check.", timedelta(minutes=80)),
    ("crsu", "investigator", "Exploitation concern: CATE to lead the investigation.", timedelta(minutes=15)),
]


def _backdate(deadline: Deadline, ago: timedelta) -> None:
    """Make the demo look lived-in: the handover started ``ago``, as if the clock had moved on."""
    for escalation in deadline.escalations.all():
        escalation.fire_at -= ago
        escalation.save(update_fields=["fire_at"])
    Deadline.objects.filter(pk=deadline.pk).update(due_at=deadline.due_at - ago, created_at=deadline.created_at - ago)
    Notification.objects.filter(deadline=deadline).update(
        created_at=deadline.created_at - ago, told_at=deadline.created_at - ago
    )
    if deadline.case is None:
        return
    deadline.case.handovers.filter(acknowledged_at__isnull=True, superseded_at__isnull=True).update(
        at=deadline.created_at - ago
    )


@transaction.atomic
def seed_deadlines() -> int:
    """Create the demo records that are missing; return how many deadlines were created."""
    from haven.cases import services as cases
    from haven.cases.models import Handover
    from haven.deadlines.sweep import sweep

    if Handover.objects.filter(reason__in=[p[2] for p in PLAN]).exists():
        return 0
    users = {
        u.username: u
        for u in User.objects.filter(is_active=True, username__in={*(p[0] for p in PLAN), *(p[1] for p in PLAN)})
    }
    used: set[int] = set()
    created = 0
    for owner_name, to_name, reason, ago in PLAN:
        owner, to_user = users.get(owner_name), users.get(to_name)
        if owner is None or to_user is None:
            continue
        case = (
            Case.objects.filter(
                owner=owner, state=CaseState.OPEN, sensitivity=Sensitivity.NORMAL, pending_owner__isnull=True
            )
            .exclude(pk__in=used)
            .order_by("id")
            .first()
        )
        if case is None:
            continue
        used.add(case.pk)
        cases.case_handover(actor=owner, case=case, data=cases.HandoverIn(to_user=to_user.username, reason=reason))
        deadline = Deadline.objects.get(case=case, kind=HANDOVER.code, state=DeadlineState.OPEN)
        _backdate(deadline, ago)
        created += 1
    if created:
        now = clock.now()
        sweep()
        # The overdue ones were escalated just now; show them as escalated when they fell due.
        for deadline in Deadline.objects.filter(kind="cases.handover", due_at__lt=now):
            for escalation in deadline.escalations.filter(fired_at__isnull=False):
                escalation.fired_at = max(escalation.fire_at, deadline.created_at)
                escalation.save(update_fields=["fired_at"])
                Notification.objects.filter(
                    deadline=deadline, level=escalation.notified_level, severity=escalation.severity
                ).update(created_at=escalation.fired_at)
    return created
