"""The one clock. Every piece of Haven asks ``clock.now()`` for the time, never ``datetime.now()``.

Tests move it with :func:`travel` / :func:`freeze` (or the ``clock`` pytest fixture) to prove that
idle sign-outs, deadlines and escalations happen when the law says, across BST changes included.
The offset is process-wide, so a live test server thread sees the same time as the test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

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


def working_days_after[When: (date, datetime)](start: When, count: int) -> When:
    """``count`` working days (Monday to Friday) after ``start``: a date, or a moment kept at its UK wall-clock
    time (shared on a Friday afternoon, due on Monday afternoon). Bank holidays are not known to Haven yet."""
    day = timezone.localtime(start) if isinstance(start, datetime) else start
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5:  # noqa: PLR2004 - Saturday is 5
            count -= 1
    return day


def duration_words(value: timedelta) -> str:
    """How long, as people say it: "3 days 4 hours", "5 hours 20 minutes", "40 minutes", "under a minute"."""
    minutes = max(0, int(value.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins and not days:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts) or "under a minute"
