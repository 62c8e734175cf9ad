"""The one clock. Every piece of Haven asks ``clock.now()`` for the time, never ``datetime.now()``.

Tests move it with :func:`travel` / :func:`freeze` (or the ``clock`` pytest fixture) to prove that
idle sign-outs, deadlines and escalations happen when the law says, across BST changes included.
The offset is process-wide, so a live test server thread sees the same time as the test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_lock = threading.Lock()
_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """Aware UTC now, as moved by tests."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def travel(delta: timedelta) -> None:
    """Move the clock forward (or back) by ``delta``."""
    global _offset, _frozen
    with _lock:
        if _frozen is not None:
            _frozen += delta
        else:
            _offset += delta


def freeze(at: datetime) -> None:
    """Stop the clock at an aware instant."""
    global _frozen
    if at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    with _lock:
        _frozen = at.astimezone(UTC)


def reset() -> None:
    global _offset, _frozen
    with _lock:
        _offset = timedelta(0)
        _frozen = None


@contextmanager
def moved(delta: timedelta) -> Iterator[None]:
    travel(delta)
    try:
        yield
    finally:
        travel(-delta)
