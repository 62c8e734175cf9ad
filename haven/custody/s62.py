"""Custody's one door to the s62 log: every read and write of a detention names its child and case."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from haven.audit.choices import Operation, Outcome
from haven.audit.services import access_event_record

if TYPE_CHECKING:
    from haven.custody.models import Detention


def record(*, actor: Any, detention: Detention, operation: Operation, detail: dict[str, Any]) -> None:
    access_event_record(
        actor=actor,
        operation=operation,
        person_ids=[detention.child.public_id],
        case_ids=[detention.case.public_id],
        detail={"custody_reference": detention.custody_reference, **detail},
    )


def record_list(*, actor: Any, detentions: list[Detention], detail: dict[str, Any]) -> None:
    """One consultation row for a page that lists detentions (in custody now, the report)."""
    if not detentions:
        return
    access_event_record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=list(dict.fromkeys(d.child.public_id for d in detentions)),
        case_ids=list(dict.fromkeys(d.case.public_id for d in detentions)),
        detail={"custody_references": [d.custody_reference for d in detentions], **detail},
    )


def record_denied(*, actor: Any, detention: Detention, detail: dict[str, Any]) -> None:
    access_event_record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=[detention.child.public_id],
        case_ids=[detention.case.public_id],
        outcome=Outcome.DENIED,
        detail={"custody_reference": detention.custody_reference, **detail},
    )
