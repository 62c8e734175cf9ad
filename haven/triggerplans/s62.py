"""Trigger plans' door to the s62 log: the cases helpers for plan cases, the audit service for flags."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from haven.audit.choices import JustificationKind, Operation
from haven.cases.s62 import justification_for, record

__all__ = ["justification_for", "record", "record_people"]


def record_people(
    *,
    actor: Any,
    operation: Operation,
    person_ids: Iterable[Any],
    justification: str = "",
    justification_kind: JustificationKind | None = None,
    query: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Log processing of people outside any case (repeat-missing flags). Fails closed."""
    record(
        actor=actor,
        operation=operation,
        person_ids=person_ids,
        justification=justification,
        justification_kind=justification_kind
        or (JustificationKind.SYSTEM if actor is None else JustificationKind.STATED),
        query=query,
        detail=detail,
    )
