"""The partner's acknowledgement deadline (S-02): expected within one working day, chased when late.

The deadline is on the police side's case (the engine's deadlines live on cases) and is the sharer's:
its ladder tells them, then their supervisor, that the agency has not acknowledged.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from haven.deadlines import services as engine
from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.partners.models import SharedItem

ACKNOWLEDGE = DeadlineKind(
    code="partners.acknowledge",
    rule_id="S-02",
    label="Partner acknowledgement",
    ladder=(
        Step(timedelta(0), Notify.RESPONSIBLE, Severity.WARNING),
        Step(timedelta(hours=4), Notify.SUPERVISOR, Severity.URGENT),
    ),
    outlives_case=True,  # the agency still owes its answer when the police case closes
)

KINDS = (ACKNOWLEDGE,)


def key(item: SharedItem) -> str:
    return f"shared:{item.public_id}:acknowledge"


def open_acknowledgement(*, actor: User | None, item: SharedItem) -> None:
    if item.case is None:
        return
    engine.deadline_create(
        actor=actor,
        case=item.case,
        kind=ACKNOWLEDGE.code,
        what=f"{item.agency.name} to acknowledge {item.get_kind_display().lower()}",
        due_at=item.acknowledge_due_at,
        key=key(item),
        responsible_user=item.shared_by if item.shared_by_id else None,
        responsible_kind="named" if item.shared_by_id else None,
    )


def cancel_acknowledgement(*, actor: User, item: SharedItem, reason: str) -> None:
    if item.case is not None:
        engine.deadline_cancel(actor=actor, case=item.case, key=key(item), reason=reason)


def meet_acknowledgement(*, actor: User, item: SharedItem) -> None:
    if item.case is not None:
        engine.deadline_meet(actor=actor, case=item.case, key=key(item), how=f"Acknowledged by {item.agency.name}")
