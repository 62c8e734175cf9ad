"""Obligations follow the owner: when a case changes owner (an accepted handover, an allocation from a
team's queue: ``haven.cases.hooks.on_owner_changed``), its live deadlines of the case owner's move to the
new owner, its team's deadlines follow the case's team, and named people's stay (docs/deadlines.md,
"Whose a deadline is"). The move is written on the case's timeline and the new owner gets one inbox item
listing what is now theirs, overdue first. ``DeadlinesConfig.ready`` registers the listener.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from haven.core import clock
from haven.deadlines import services
from haven.deadlines.choices import DeadlineState
from haven.deadlines.presenters import kind_label
from haven.deadlines.selectors import time_left_words

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case
    from haven.deadlines.models import Deadline

LISTED = 10
"""Deadlines named one by one in the new owner's inbox item; more are counted."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def owner_changed(case: Case, *, previous_owner: User, actor: User) -> None:
    """Move the case owner's live deadlines to the new owner and the team's to the case's team; record it."""
    from haven.cases.services import case_event_record

    moved = services.deadlines_follow_owner(case=case)
    parts = []
    if moved.to_owner and case.owner is not None:
        parts.append(f"{_plural(len(moved.to_owner), 'deadline')} moved to {case.owner.rank_and_name}")
    if moved.to_team and case.team is not None:
        parts.append(f"{_plural(len(moved.to_team), 'team deadline')} moved to {case.team.name}")
    if not parts:
        return
    case_event_record(case=case, author=actor, text=f"{'; '.join(parts)}.")
    if moved.to_owner and case.owner is not None:
        _tell_new_owner(case, case.owner, moved.to_owner)


def _tell_new_owner(case: Case, owner: User, deadlines: list[Deadline]) -> None:
    """One inbox item: what is now theirs, the overdue ones first (case reference only: no names)."""
    from haven.notifications.services import notification_send

    now = clock.now()
    overdue = [d for d in deadlines if d.due_at <= now and d.state != DeadlineState.PAUSED]
    rest = [d for d in deadlines if d not in overdue]
    subject = f"{_plural(len(deadlines), 'deadline')} on case {case.reference} moved to you"
    if overdue:
        subject += f", {len(overdue)} overdue"
    lines = [f"{d.what} ({kind_label(d.kind).lower()}): {time_left_words(d.due_at, now=now)}." for d in overdue + rest]
    if len(lines) > LISTED:
        lines = [*lines[:LISTED], f"And {len(lines) - LISTED} more on the case page."]
    notification_send(
        recipient=owner,
        subject=subject,
        body="The case is yours now, and so are these:\n" + "\n".join(lines),
        case=case,
        link=reverse("cases:detail", args=[case.public_id]),
        severity="urgent" if overdue else "info",
        email=bool(overdue),  # the allocation or handover already e-mailed them; overdue work is news
    )
