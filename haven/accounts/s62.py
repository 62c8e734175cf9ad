"""Accounts' one door to the s62 log (haven.audit), as every app has, so every call looks the same: the
role grants the auditors must see (asked for, given, refused) are alterations of account data.

Accounts sits below haven.audit in the layers; this module alone reaches up to its service and
vocabulary (import-linter names it), as the other apps' ``s62`` modules do. The service fails closed: a
row it cannot write raises, and the write it records rolls back with it.
"""

from __future__ import annotations

from typing import Any

from haven.audit.choices import Operation
from haven.audit.services import access_event_record

ALERT = "alert"
"""The key of ``detail`` that puts a row on the auditors' alerts page: a sentence for auditors."""


def record(*, actor: Any, detail: dict[str, Any], operation: Operation = Operation.ALTERATION, alert: str = "") -> None:
    """One s62 row about account data in the caller's transaction; with ``alert``, one the auditors'
    alerts page lists. Fails closed (raises)."""
    access_event_record(actor=actor, operation=operation, detail={**detail, ALERT: alert} if alert else detail)
