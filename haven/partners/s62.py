"""Partners' one door to the s62 log: sharing is a disclosure naming the agency (DP-01), and each read
of what was shared, by a partner user or by the police side, is a consultation. Fails closed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from haven.audit.choices import JustificationKind, Operation
from haven.audit.services import access_event_record


def disclosure(
    *,
    actor: Any,
    item: Any,
    lawful_basis: str,
    justification: str,
    person_ids: Iterable[UUID] = (),
) -> None:
    access_event_record(
        actor=actor,
        operation=Operation.DISCLOSURE,
        person_ids=person_ids,
        case_ids=[item.case.public_id] if item.case is not None else [],
        justification=justification,
        justification_kind=JustificationKind.STATED if actor is not None else None,
        recipients=[
            {
                "name": item.agency.name,
                "organisation": item.agency.name,
                "agency": str(item.agency.public_id),
                "lawful_basis": lawful_basis,
            }
        ],
        channel="partner portal",
        detail={
            "item": str(item.public_id),
            "kind": item.kind,
            "reference": item.reference,
            "fields": sorted(item.projection),
            "restricted": item.restricted,
        },
    )


def record(*, actor: Any, items: list[Any], detail: dict[str, Any], operation: Operation) -> None:
    """One row for a read or write of shared items (their cases named, when they have one)."""
    access_event_record(
        actor=actor,
        operation=operation,
        case_ids=[i.case.public_id for i in items if i.case is not None],
        detail={"items": [str(i.public_id) for i in items], **detail},
    )
