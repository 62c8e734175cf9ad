"""Guidance's one door to the s62 log. Guidance itself is not personal data, so reading the library
is not logged; who read which item is staff data, like a training record: recording a read leaves a
row (through the workforce record it counts toward), and showing a manager who has read an item is a
consultation naming every officer shown. Fails closed, like every app's."""

from __future__ import annotations

from typing import Any

from haven.audit.choices import Operation
from haven.audit.services import access_event_record


def record_readers(*, actor: Any, officers: list[str], detail: dict[str, Any]) -> None:
    access_event_record(actor=actor, operation=Operation.CONSULTATION, detail={"officers": officers, **detail})


def record_read(*, actor: Any, detail: dict[str, Any]) -> None:
    access_event_record(actor=actor, operation=Operation.ALTERATION, detail={"officer": actor.username, **detail})
