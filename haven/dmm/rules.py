"""The numbered rules of the daily management meeting (domain §4), as plain functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

D01_REQUIRED_SECTIONS = ("missing", "protection", "custody", "overdue")
"""D-01 (HARD): every day's board and pack include all children currently missing, in police protection
and in custody, and everything overdue. A section whose records are not in Haven yet shows as "not
available yet" rather than silently leaving the pack."""


def d01_missing_sections(present: Iterable[str]) -> list[str]:
    """D-01: the required sections absent from a board or pack (neither built nor shown as unavailable)."""
    keys = set(present)
    return [key for key in D01_REQUIRED_SECTIONS if key not in keys]


def d02_action_problems(action: Mapping[str, Any], *, prefix: str = "") -> dict[str, list[str]]:
    """D-02 (HARD): every action a decision creates has what is to be done, an owner and a due time."""
    problems: dict[str, list[str]] = {}
    if not str(action.get("what") or "").strip():
        problems[f"{prefix}what"] = ["Enter what is to be done"]
    if action.get("owner") is None:
        problems[f"{prefix}owner"] = ["Choose who owns the action"]
    if action.get("due_at") is None:
        problems[f"{prefix}due_at"] = ["Enter when the action is due"]
    return problems


def d02_carries_forward(state: str) -> bool:
    """D-02: an action not yet done or cancelled carries into the next meeting automatically."""
    from haven.dmm.choices import ActionState

    return state == ActionState.OPEN
