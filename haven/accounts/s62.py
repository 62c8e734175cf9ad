"""The s62 rows of accounts' writes that the auditors must see (a role granted, asked for or refused).

Accounts sits below haven.audit in the layers, so it writes through the recorder AccountsConfig.ready()
installs (haven.audit.services.access_event_record), as its policy reads through haven.policy's
reader. It fails closed: without a recorder, a write that must be logged raises and rolls back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ALERT = "alert"
"""The key of ``detail`` that puts a row on the auditors' alerts page: a sentence for auditors."""

_recorder: Callable[..., Any] | None = None


def install_recorder(recorder: Callable[..., Any]) -> None:
    """Write s62 rows through ``recorder`` (haven.audit.services.access_event_record) from now on."""
    global _recorder
    _recorder = recorder


def record(*, actor: Any, detail: dict[str, Any], alert: str = "") -> Any:
    """One s62 row (an alteration of account data) in the caller's transaction; with ``alert``, one
    the auditors' alerts page lists."""
    if _recorder is None:
        raise RuntimeError("The s62 log is not ready: accounts cannot record this change.")
    if alert:
        detail = {**detail, ALERT: alert}
    return _recorder(actor=actor, operation="alteration", detail=detail)
