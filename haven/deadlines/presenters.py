"""Deadlines as rows for pages and the API: kind label, time left in words, overdue or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from haven.core import clock
from haven.deadlines.models import Deadline, DeadlineState
from haven.deadlines.registry import kind_get
from haven.deadlines.selectors import time_left_words


def kind_label(code: str) -> str:
    try:
        return kind_get(code).label
    except LookupError:
        return code


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    label: str
    words: str
    overdue: bool
    paused: bool
    link: str = ""  # a deadline with no case: where its kind says it is done (the officer's training record)


def _link(deadline: Deadline) -> str:
    if deadline.case_id is not None:
        return ""
    try:
        link = kind_get(deadline.kind).link
    except LookupError:
        return ""
    return link(deadline, deadline.responsible_user) if link and deadline.responsible_user else ""


def rows(deadlines: list[Deadline], *, now: datetime | None = None) -> list[DeadlineRow]:
    now = now or clock.now()
    out = []
    for d in deadlines:
        paused = d.state == DeadlineState.PAUSED
        live = d.state in (DeadlineState.OPEN, DeadlineState.BREACHED)
        out.append(
            DeadlineRow(
                deadline=d,
                label=kind_label(d.kind),
                words="paused" if paused else (time_left_words(d.due_at, now=now) if live else d.get_state_display()),
                overdue=live and d.due_at <= now,
                paused=paused,
                link=_link(d),
            )
        )
    return out
