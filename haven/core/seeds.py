"""Reference rows the migrations put in every database (the ranks, the standard qualifications).

Each app registers, from its ``ready()``, one idempotent function that puts back whatever of its own
reference rows is missing. The migrations seed a new database through the same functions; the test suite
runs them all after a test that empties every table (a live-server or transactional test's flush), so a
test after it finds the database as a force would.
"""

from __future__ import annotations

from collections.abc import Callable

_SEEDS: dict[str, Callable[[], int]] = {}


def register_seed(name: str, ensure: Callable[[], int]) -> None:
    """``ensure()`` puts back the missing rows of ``name`` and says how many it put back."""
    _SEEDS[name] = ensure


def seeds() -> dict[str, Callable[[], int]]:
    return dict(_SEEDS)


def seed_all() -> dict[str, int]:
    """Run every registered seed; how many rows each put back."""
    return {name: ensure() for name, ensure in _SEEDS.items()}
