"""The meeting's writes as the pages and the API make them: through their declarations, so the
permission is checked as it is there."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from haven.core import clock
from haven.core.operations import run
from haven.dmm import operations


def start(actor: Any, **data: Any) -> Any:
    """``start(chair, chair="username", attendees=[...], held_on=...)``: the day's meeting."""
    return run(operations.meeting_start, actor=actor, data=data)


def action(owner: Any, *, hours: int = 4, what: str = "Check the address") -> dict[str, Any]:
    """An action for ``owner``, due in ``hours``."""
    return {"what": what, "owner": owner.username, "due_at": clock.now() + timedelta(hours=hours)}


def decide(meeting: Any, case: Any, actor: Any, *actions: dict[str, Any], text: str = "Decided") -> Any:
    """A decision on ``case`` with ``actions`` (see :func:`action`)."""
    data = {"case": case.public_id, "section": "missing", "text": text, "actions": list(actions)}
    return run(operations.decision_record, actor=actor, target=meeting, data=data)


def close(actor: Any, meeting: Any) -> Any:
    return run(operations.meeting_close, actor=actor, target=meeting, data={})


def done(actor: Any, action: Any, outcome: str = "Done") -> Any:
    return run(operations.action_complete, actor=actor, target=action, data={"outcome": outcome})


def cancel(actor: Any, action: Any, reason: str = "No longer needed") -> Any:
    return run(operations.action_cancel, actor=actor, target=action, data={"reason": reason})
