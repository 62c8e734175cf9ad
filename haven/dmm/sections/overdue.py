"""Section 7 (D-01): everything overdue from the deadline engine, the most overdue (worst) first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Least

from haven.core import clock
from haven.deadlines.models import Deadline, DeadlineState
from haven.dmm.sections import Count, Filters, Section, Series, register
from haven.dmm.sections._common import (
    area_expression,
    case_columns,
    filtered,
    live_at_each,
    user_columns,
    visible_cases,
)
from haven.dmm.sections._html import Cells, esc, minutes, span

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


def _visible(user: User) -> QuerySet[Deadline]:
    """``haven.deadlines.selectors.deadlines_visible_to(user)``, with the user's access compiled once
    for the whole board (``_common.visible_cases``)."""
    return Deadline.objects.filter(case_id__in=visible_cases(user)).select_related(
        "case", "responsible_user", "responsible_team"
    )


def _label(kind: str) -> str:
    from haven.deadlines.registry import kind_get

    try:
        return kind_get(kind).label
    except LookupError:
        return kind


def overdue(*, user: User, filters: Filters) -> list[OverdueRow]:
    now = clock.now()
    deadlines = (
        _visible(user)
        .filter(state__in=OVERDUE_STATES, due_at__lt=now)
        .select_related("case__subject", "case__team", "responsible_user__rank")
        .only(
            "public_id",
            "case_id",
            "kind",
            "rule_id",
            "what",
            "key",
            "state",
            "due_at",
            "responsible_user_id",
            "responsible_team_id",
            *case_columns(),
            *user_columns("responsible_user__"),
            "responsible_team__code",
            "responsible_team__name",
        )
        .annotate(area=area_expression("case__missing_episode__"))
    )
    deadlines = filtered(deadlines, filters, team="case__team").order_by("due_at", "id")
    return [
        OverdueRow(
            deadline=d, case=d.case, person=d.case.subject, label=_label(d.kind), overdue_by=now - d.due_at, area=d.area
        )
        for d in deadlines
    ]


def row_html(row: OverdueRow, cells: Cells) -> str:
    """One row of the table (``_html``: the markup ``overdue.html`` drew for it)."""
    d = row.deadline
    if d.responsible_user:
        responsible = esc(d.responsible_user.rank_and_name)
    elif d.responsible_team:
        responsible = esc(d.responsible_team.name)
    else:
        responsible = ""
    return (
        f'<tr class="govuk-table__row" data-case="{esc(row.case.public_id)}">\n{cells.case(row)}'
        f'<td class="govuk-table__cell">{esc(row.label)}: {esc(d.what)}</td>\n'
        f'<td class="govuk-table__cell">{esc(d.rule_id)}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{minutes(row.overdue_by)}">'
        f'<strong class="govuk-tag govuk-tag--red">{span(row.overdue_by)}</strong></td>\n'
        f'<td class="govuk-table__cell">{responsible}</td>\n'
        f"{cells.decide(row)}</tr>\n"
    )


def counts(rows: Sequence[OverdueRow]) -> list[Count]:
    return [Count("overdue", "Overdue", len(rows), order=40)]


def trend(*, user: User, filters: Filters, days: list[datetime]) -> Series:
    """How many deadlines were overdue at the end of each day, in one query.

    A deadline is overdue once its due time has passed, until it is met or cancelled (the earlier of
    the two: PostgreSQL's ``LEAST`` ignores NULLs). Only the deadlines that can be overdue on some day
    of the window are read, each arm through an index of its own (migration ``deadlines`` 0002):
    those neither met nor cancelled, and those met or cancelled since the day before the window.
    Never the history of met deadlines.
    """
    deadlines = _visible(user)
    if filters.area:  # the area needs no join unless it is filtered on
        deadlines = deadlines.annotate(area=area_expression("case__missing_episode__"))
    now, first = days[-1], days[0] - timedelta(days=1)
    deadlines = (
        filtered(deadlines, filters, team="case__team")
        .filter(
            Q(met_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now)
            | Q(met_at__gt=first, due_at__lte=now)
            | Q(cancelled_at__gt=first, due_at__lte=now)
        )
        .annotate(done_at=Least("met_at", "cancelled_at"))
    )
    values = live_at_each(deadlines, start="due_at", end="done_at", days=days, inclusive=False)
    return Series("overdue", "Overdue deadlines", values)


register(
    Section(
        key="overdue",
        title="Overdue",
        order=7,
        rows=overdue,
        template="dmm/sections/overdue.html",
        rows_html=row_html,
        description="Every deadline past its due time and not met, the most overdue first.",
        counts=counts,
        trend=trend,
        empty_text="Nothing you can see is overdue.",
    )
)
