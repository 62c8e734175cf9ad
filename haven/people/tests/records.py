"""Linked records (aliases, identifiers, contacts, addresses, flags, relationships) added, changed,
ended and removed through the people services with their input models, as the pages and the API do."""

from __future__ import annotations

from datetime import date
from typing import Any

from haven.people import services
from haven.people.schemas import EndIn, RecordChangeIn, RecordIn, RemoveIn
from haven.people.selectors import Linked, PersonRecords


def add(actor: Any, person: Any, kind: str, /, **values: Any) -> Any:
    """``add(officer, person, "alias", surname="Smith")``; a relationship names ``other=<public id>``."""
    return services.record_add(actor=actor, records=PersonRecords(person, kind), data=RecordIn(**values))


def change(actor: Any, person: Any, record: Any, /, **values: Any) -> Any:
    return services.record_update(actor=actor, linked=Linked(person, record), data=RecordChangeIn(**values))


def end(actor: Any, person: Any, record: Any, end_date: date | None = None) -> Any:
    return services.record_end(actor=actor, linked=Linked(person, record), data=EndIn(end_date=end_date))


def remove(actor: Any, person: Any, record: Any, reason: str) -> None:
    services.record_remove(actor=actor, linked=Linked(person, record), data=RemoveIn(reason=reason))
