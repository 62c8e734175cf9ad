"""The numbered rules of police protection (domain.md §13, PP-01..PP-10), as plain functions the services
call. The database holds PP-01, PP-03, PP-07 and PP-08 too (check constraints on PoliceProtection)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from haven.protection.choices import CHECKLIST, Item

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.protection.models import Notification, PoliceProtection


def pp01_end_problem(protection: PoliceProtection, ended_at: datetime, now: datetime) -> str:
    """PP-01 (HARD): police protection ends no later than 72 hours after it started (s46(6)); and not
    before it started, nor in the future."""
    if ended_at > protection.expires_at:
        return (
            "Police protection cannot last more than 72 hours: give the time it ended, no later than "
            f"{_words(protection.expires_at)}"
        )
    if ended_at < protection.started_at:
        return "The end cannot be before police protection started"
    if ended_at > now:
        return "The end must be now or in the past"
    return ""


def pp03_problem(initiating: User, designated: User) -> str:
    """PP-03 (HARD): the designated officer is never the officer who used the power (HOC 17/2008)."""
    if initiating.pk == designated.pk:
        return "The designated officer must be a different officer from the one who used the power"
    return ""


def pp04_problem(officer: User, min_seniority: int, min_rank_name: str) -> str:
    """PP-04 (CONF): the designated officer is of at least the rank force policy sets."""
    seniority = officer.rank.seniority if officer.rank is not None and not officer.rank.is_police_staff else -1
    if seniority < min_seniority:
        return (
            f"{officer.rank_and_name} cannot be the designated officer: the designated officer must be of "
            f"{min_rank_name.lower()} rank or above"
        )
    return ""


def done_items(notifications: Iterable[Notification]) -> set[str]:
    """The items recorded (done, or, where the law allows, not done with a reason)."""
    return {n.item for n in notifications}


def pp05_missing(notifications: Iterable[Notification]) -> list[Item]:
    """PP-05 (HARD): the s46(3) items not yet recorded."""
    done = done_items(notifications)
    return [item for item in CHECKLIST if item not in done]


def pp06_problem(notifications: Iterable[Notification]) -> str:
    """PP-06 (HARD): parents, others with parental responsibility and the person the child lived with are
    told, or why not is recorded, before police protection ends."""
    if Item.PARENTS not in done_items(notifications):
        return "Record that the parents and the person the child lived with were told, or why they were not"
    return ""


def pp07_station_problem(accommodation: str, justification: str) -> str:
    """PP-07 (HARD): a police station is not suitable accommodation, save in exceptional circumstances."""
    if accommodation == "police_station" and not justification.strip():
        return "Enter the exceptional circumstances that mean the child must stay at a police station"
    return ""


FORBIDDEN_WORDS = " ".join(("police", "protection", "order"))
"""PP-10 (HARD): the power is not a court order; Haven never calls it one (HOC 17/2008)."""


def _words(moment: datetime) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(moment):%-d %B %Y %H:%M}"
