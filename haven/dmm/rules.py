"""The numbered rules of the daily management meeting (domain §4), as plain functions."""

from __future__ import annotations

from collections.abc import Iterable

D01_REQUIRED_SECTIONS = ("missing", "protection", "custody", "overdue")
"""D-01 (HARD): every day's board and pack include all children currently missing, in police protection
and in custody, and everything overdue. A section whose records are not in Haven yet shows as "not
available yet" rather than silently leaving the pack."""


def d01_missing_sections(present: Iterable[str]) -> list[str]:
    """D-01: the required sections absent from a board or pack (neither built nor shown as unavailable)."""
    keys = set(present)
    return [key for key in D01_REQUIRED_SECTIONS if key not in keys]


# D-02 (HARD): every action a decision creates has what is to be done, an owner and a due time. They
# are the required fields of haven.dmm.schemas.ActionIn; that the owner can see the case and the time
# is still to come are checked by haven.dmm.services.decision_record.


def d02_carries_forward(state: str) -> bool:
    """D-02: an action not yet done or cancelled carries into the next meeting automatically."""
    from haven.dmm.choices import ActionState

    return state == ActionState.OPEN
