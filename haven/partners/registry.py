"""What partners tells the apps above it, through functions they register from their ``ready()``.

partners sits below missing (import-linter layers), so it never imports missing: when a local
authority sends back a return home interview's outcome, each registered listener is called, in the
same transaction, and haven.missing records it on the episode (closing M-12's loop).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from haven.partners.choices import RhiOutcome


@dataclass(frozen=True)
class RhiResult:
    """A return home interview's outcome as the local authority sent it back.

    ``reference`` is what the requester gave ``rhi_request`` (an episode's public id); ``outcome`` is
    offered, completed, declined or not done; ``findings`` what it found (or why it was not done)."""

    reference: str
    outcome: RhiOutcome
    interviewer: str
    done_at: datetime | None
    findings: str
    agency: str


RhiListener = Callable[..., Any]
"""``listener(*, actor, result: RhiResult) -> None``, called inside the partner's write."""

_RHI_LISTENERS: list[RhiListener] = []


def register_rhi_listener(listener: RhiListener) -> None:
    """Be told of every return home interview outcome a partner sends back (from ``ready()``)."""
    if listener not in _RHI_LISTENERS:
        _RHI_LISTENERS.append(listener)


def rhi_listeners() -> list[RhiListener]:
    return list(_RHI_LISTENERS)
