"""The numbered rules of trigger plans, as plain functions (domain §13: M-14, M-15, M-16)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from haven.triggerplans.choices import ActionKind, PlanStatus

INFORMATION_ONLY = (
    "This plan is information only: add at least one action that names a place, a person or a contact "
    "(an address to check, an associate to contact, a phone number or account, someone to tell)."
)


def repeat_threshold_crossed(*, episodes: int, threshold: int) -> bool:
    """M-14 (CONF): a child with ``threshold`` or more episodes in the window is repeat missing."""
    return episodes >= threshold


def action_names_something(action: Mapping[str, Any]) -> bool:
    """M-15: an action is directive when it is typed and names a place, person or contact."""
    named = bool(str(action.get("target") or "").strip()) or action.get("person") is not None
    return action.get("kind") in ActionKind.values and named


def plan_is_information_only(actions: Iterable[Mapping[str, Any]]) -> bool:
    """M-15 (HARD): a plan none of whose actions names a place, person or contact is refused."""
    return not any(action_names_something(a) for a in actions)


def status_for(review_date: date | None, *, today: date) -> PlanStatus:
    """ "none" without a current version, "out_of_date" once the review date has passed, else "current"."""
    if review_date is None:
        return PlanStatus.NONE
    return PlanStatus.OUT_OF_DATE if review_date < today else PlanStatus.CURRENT


def exploitation_prompt_text(flag_notes: list[str]) -> str:
    """M-16 (SOFT): the words shown when a child with exploitation-risk flags goes missing."""
    text = (
        "This child has an exploitation-risk flag: consider an exploitation review and whether to refer "
        "to the National Referral Mechanism (NRM)."
    )
    notes = [n for n in flag_notes if n]
    if notes:
        text += " Flag notes: " + "; ".join(notes)
    return text
