"""Workforce's one door to the s62 log: officers' training records are staff personal data, so each
write (and each read of another officer's record) is a row. Fails closed, like every app's."""

from __future__ import annotations

from typing import Any

from haven.audit.choices import Operation
from haven.audit.services import access_event_record


def record(*, actor: Any, officer: Any, detail: dict[str, Any], operation: Operation = Operation.ALTERATION) -> None:
    access_event_record(actor=actor, operation=operation, detail={"officer": officer.username, **detail})


def record_team(*, actor: Any, officers: list[str], detail: dict[str, Any]) -> None:
    """One consultation row for a page that shows several officers' training records."""
    access_event_record(actor=actor, operation=Operation.CONSULTATION, detail={"officers": officers, **detail})
