"""Police protection's one door to the s62 log: every read and write names the child and the case."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from haven.audit.choices import JustificationKind, Operation, Outcome
from haven.audit.services import access_event_record

if TYPE_CHECKING:
    from haven.protection.models import PoliceProtection


def record(
    *,
    actor: Any,
    protection: PoliceProtection,
    operation: Operation,
    detail: dict[str, Any],
    justification: str = "",
    justification_kind: JustificationKind | None = None,
) -> None:
    access_event_record(
        actor=actor,
        operation=operation,
        person_ids=[protection.child.public_id],
        case_ids=[protection.case.public_id],
        justification=justification,
        justification_kind=justification_kind,
        detail={"protection": str(protection.public_id), **detail},
    )


def record_list(*, actor: Any, protections: Iterable[PoliceProtection], detail: dict[str, Any]) -> None:
    """One consultation row for a list that names children in police protection."""
    found = list(protections)
    if not found:
        return
    access_event_record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=list(dict.fromkeys(p.child.public_id for p in found)),
        case_ids=[p.case.public_id for p in found],
        detail={"protections": [str(p.public_id) for p in found], **detail},
    )


def record_denied(*, actor: Any, protection: PoliceProtection, detail: dict[str, Any]) -> None:
    """A refused read (answered 404), kept in the log."""
    access_event_record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=[protection.child.public_id],
        case_ids=[protection.case.public_id],
        outcome=Outcome.DENIED,
        detail={"protection": str(protection.public_id), **detail},
    )
