"""The person register's one door to the s62 log (haven.audit), so every call looks the same."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from haven.audit.choices import JustificationKind, Operation, Outcome
from haven.audit.services import access_event_record


def record(
    *,
    actor: Any,
    operation: Operation,
    person_ids: Iterable[UUID] = (),
    query: str = "",
    detail: dict[str, Any] | None = None,
    outcome: Outcome = Outcome.ALLOWED,
    justification: str = "",
    justification_kind: JustificationKind | None = None,
) -> None:
    """Log one act of processing of people in the caller's transaction. Fails closed (raises)."""
    access_event_record(
        actor=actor,
        operation=operation,
        person_ids=list(person_ids),
        query=query,
        detail=detail,
        outcome=outcome,
        justification=justification,
        justification_kind=justification_kind,
    )
