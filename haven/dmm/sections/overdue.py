"""Section 7 (D-01): everything overdue from the deadline engine, the most overdue (worst) first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count as SqlCount
from django.db.models import Q

from haven.core import clock
from haven.deadlines.models import Deadline, DeadlineState
from haven.deadlines.selectors import deadlines_visible_to
from haven.dmm.sections import Count, Filters, Section, Series, register
from haven.dmm.sections._common import area_expression, filtered

if TYPE_CHECKING:
    from haven.accounts.models import User

OVERDUE_STATES = (DeadlineState.OPEN, DeadlineState.BREACHED)


@dataclass
class OverdueRow:
    deadline: Deadline
    case: Any
    person: Any
    label: str
    overdue_by: timedelta
    area: str

    @property
    def details(self) -> dict[str, Any]:
        d = self.deadline
        return {
            "deadline": str(d.public_id),
            "kind": d.kind,
            "rule_id": d.rule_id,
            "what": d.what,
            "due_at": d.due_at,
            "overdue_minutes": int(self.overdue_by.total_seconds() // 60),
            "responsible": d.responsible_user.username if d.responsible_user else None,
        }


def _label(kind: str) -> str:
    from haven.deadlines.registry import kind_get

    try:
        return kind_get(kind).label
    except LookupError:
        return kind


def overdue(*, user: User, filters: Filters) -> list[OverdueRow]:
    now = clock.now()
    deadlines = (
        deadlines_visible_to(user)
        .filter(state__in=OVERDUE_STATES, due_at__lt=now)
        .select_related("case__subject", "case__team", "responsible_user__rank")
        .annotate(area=area_expression("case__missing_episode__"))
    )
    deadlines = filtered(deadlines, filters, team="case__team").order_by("due_at", "id")
    return [
        OverdueRow(
            deadline=d, case=d.case, person=d.case.subject, label=_label(d.kind), overdue_by=now - d.due_at, area=d.area
        )
        for d in deadlines
    ]


def counts(rows: Sequence[OverdueRow]) -> list[Count]:
    return [Count("overdue", "Overdue", len(rows), order=40)]


def trend(*, user: User, filters: Filters, days: list[datetime]) -> Series:
    """How many deadlines were overdue at the end of each day: one query with a filtered count per day."""
    deadlines = filtered(
        deadlines_visible_to(user).annotate(area=area_expression("case__missing_episode__")), filters, team="case__team"
    )
    first = days[0] - timedelta(days=1)
    deadlines = deadlines.filter(due_at__lte=days[-1]).exclude(met_at__lte=first).exclude(cancelled_at__lte=first)
    figures = deadlines.aggregate(
        **{
            f"d{i}": SqlCount(
                "id",
                filter=Q(due_at__lt=at)
                & (Q(met_at__isnull=True) | Q(met_at__gt=at))
                & (Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=at)),
            )
            for i, at in enumerate(days)
        }
    )
    return Series("overdue", "Overdue deadlines", [figures[f"d{i}"] or 0 for i in range(len(days))])


register(
    Section(
        key="overdue",
        title="Overdue",
        order=7,
        rows=overdue,
        template="dmm/sections/overdue.html",
        description="Every deadline past its due time and not met, the most overdue first.",
        counts=counts,
        trend=trend,
        empty_text="Nothing you can see is overdue.",
    )
)
