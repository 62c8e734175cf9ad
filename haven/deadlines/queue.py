"""WQ-01 (Haven's own rule): work waiting in a team's queue is allocated within force-policy time.

When a case is put in its team's queue (``haven.cases.hooks.on_case_queued``) an allocation deadline
starts, owned by the team (nobody by name), due after ``deadlines.queue_allocate_within``: when due the
team's duty sergeant (the supervisor level) is told, half an hour later the duty inspector (critical).
Allocating the case (``on_owner_changed``) meets it; closing the case cancels it (``handover.case_closed``).
``DeadlinesConfig.ready`` registers :data:`ALLOCATION` and these listeners.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from haven.core import clock
from haven.deadlines import services
from haven.deadlines.choices import LIVE_STATES, ResponsibleKind
from haven.deadlines.policy import QUEUE_ALLOCATE_WITHIN
from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step
from haven.deadlines.selectors import deadline_named
from haven.policy.selectors import policy_value

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case

ALLOCATION = DeadlineKind(
    code="cases.allocation",
    rule_id="WQ-01",
    label="Allocate from the team queue",
    description="Work waiting in a team's queue must be allocated to an officer.",
    ladder=(
        Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT),
        Step(timedelta(minutes=30), Notify.DUTY_INSPECTOR, Severity.CRITICAL),
    ),
    pausable=False,
)


def allocate_within() -> timedelta:
    """Force policy: how long work may wait in a queue (at least a minute: the setting's rule)."""
    return policy_value(QUEUE_ALLOCATE_WITHIN)


def queue_key(case: Case) -> str:
    return f"queue:{case.public_id}"


def case_queued(case: Case, *, actor: User) -> None:
    """WQ-01: the case waits in ``case.team``'s queue: an allocation deadline owned by that team.

    Queued again while the deadline is still open (a case put back): the deadline already running stands.
    """
    if deadline_named(case_id=case.pk, key=queue_key(case)).filter(state__in=LIVE_STATES).exists():
        return
    services.deadline_create(
        actor=actor,
        case=case,
        kind=ALLOCATION.code,
        what="Allocate the case to an officer",
        due_at=clock.now() + allocate_within(),
        key=queue_key(case),
        responsible_team=case.team,
        responsible_kind=ResponsibleKind.TEAM,
    )


def case_allocated(case: Case, *, previous_owner: User, actor: User) -> None:
    """WQ-01: the case has an owner: the allocation deadline (if live) is met."""
    owner = case.owner
    how = f"Allocated to {owner.rank_and_name}" if owner is not None else "Allocated"
    services.deadline_meet(actor=actor, case=case, key=queue_key(case), how=how)
