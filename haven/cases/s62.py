"""Writing the s62 log (DPA 2018 s62) for cases, through the audit app's one service.

The audit service fails closed: if it cannot write, it raises and the work it records rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from haven.audit.choices import JustificationKind, Operation, Outcome
from haven.audit.services import access_event_record  # fails closed: raises if it cannot log
from haven.core.access import Action, reaches, scope_for

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case


def record(
    *,
    actor: User | None,
    operation: Operation,
    cases: Iterable[Case] = (),
    person_ids: Iterable[Any] = (),
    justification: str = "",
    justification_kind: JustificationKind | None = None,
    recipients: Iterable[Any] = (),
    channel: str = "",
    query: str = "",
    detail: dict[str, Any] | None = None,
    outcome: Outcome = Outcome.ALLOWED,
) -> None:
    """Record one access event about ``cases`` (their subjects are added to ``person_ids``).

    Written in the caller's transaction; if it cannot be written the audit service raises, and the
    read or write it records fails with it.
    """
    cases = list(cases)
    people = {*person_ids, *(c.subject.public_id for c in cases)}
    access_event_record(
        actor=actor,
        operation=operation,
        person_ids=sorted(people, key=str),
        case_ids=[c.public_id for c in cases],
        justification=justification,
        justification_kind=justification_kind,
        recipients=tuple(recipients),
        channel=channel,
        query=query,
        detail=detail,
        outcome=outcome,
    )


def justification_for(user: User, case: Case) -> tuple[JustificationKind | None, str]:
    """Why ``user`` may read ``case`` without stating a reason: (kind, text) for the s62 log."""
    if case.owner_id == user.pk or case.pending_owner_id == user.pk:
        return JustificationKind.ALLOCATED, "Allocated to them."
    if case.is_restricted and case.members.filter(pk=user.pk).exists():
        return JustificationKind.ALLOCATED, "Named member of the restricted case."
    if user.team_id is not None and case.team_id == user.team_id:
        return JustificationKind.TEAM, "Their team's case."
    if reaches(scope_for(user, Action.VIEW), owns=False, team_owns=False):
        roles = ", ".join(user.role_labels())
        return JustificationKind.STATED, f"Force-wide view by role ({roles})."
    return None, ""
