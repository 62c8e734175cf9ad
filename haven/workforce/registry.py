"""Open work counted by the apps above workforce, for the capacity view (issue 18): each registers a
counter from its ``ready()``.

workforce sits below missing (import-linter layers), so it never imports missing: haven.missing
registers how many open enquiries each officer has. A counter is ``(user_ids) -> {user id: count}``
and shows no record (a count), so nothing is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkCounter:
    """One column of the capacity table: ``key`` (the API's field), ``label`` (the page's heading) and
    ``count(user_ids) -> {user id: open items}``."""

    key: str
    label: str
    count: Callable[[list[int]], dict[int, int]]


_COUNTERS: dict[str, WorkCounter] = {}


def register_work_counter(counter: WorkCounter) -> WorkCounter:
    """Register ``counter`` (the same one again changes nothing; another under the same key is an error)."""
    existing = _COUNTERS.get(counter.key)
    if existing is not None and existing != counter:
        raise ValueError(f"Work counter {counter.key} is already registered differently.")
    _COUNTERS[counter.key] = counter
    return counter


def work_counters() -> list[WorkCounter]:
    return sorted(_COUNTERS.values(), key=lambda c: c.key)
