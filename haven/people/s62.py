"""The person register's one door to the s62 log (haven.audit), so every call looks the same."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID


def record(
    *,
    actor: Any,
    operation: str,
    person_ids: Iterable[UUID] = (),
    query: str = "",
    detail: dict[str, Any] | None = None,
    outcome: str = "allowed",
    justification: str = "",
    justification_kind: str = "",
) -> None:
    """Log one act of processing of people in the caller's transaction. Fails closed (raises)."""
    from haven.audit.services import access_event_record

    access_event_record(
        actor=actor,
        operation=operation,  # type: ignore[arg-type]
        person_ids=list(person_ids),
        query=query,
        detail=detail,
        outcome=outcome,
        justification=justification,
        justification_kind=justification_kind,
    )
