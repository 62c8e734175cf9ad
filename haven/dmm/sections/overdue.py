"""Section 7 (D-01): everything overdue from the deadline engine, the most overdue (worst) first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Least

from haven.cases.models import Case
from haven.core import clock
from haven.deadlines.models import Deadline, DeadlineState
from haven.dmm.sections import Count, Filters, Listing, Section, Series, register
from haven.dmm.sections._common import (
    area_expression,
    bounded,
    filtered,
    live_at_each,
    visible_cases,
)
from haven.dmm.sections._html import Cells, esc, minutes, span
from haven.dmm.sections._refs import (
    DeadlineRef,
    case_ref,
    case_values,
    team_ref,
    team_values,
    user_ref,
    user_values,
)

if TYPE_CHECKING:
    from haven.accounts.models import User

OVERDUE_STATES = (DeadlineState.OPEN, DeadlineState.BREACHED)
_DEADLINE = ("id", "public_id", "case_id", "kind", "rule_id", "what", "key", "state", "due_at")


@dataclass
class OverdueRow:
    deadline: DeadlineRef
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


def overdue(*, user: User, filters: Filters, limit: int | None = None) -> Listing:
    """Open and breached deadlines past due (index ``deadlines_state_due``) on cases the user may see:
    the ``limit`` most overdue (all if None) and how many there are.

    The cases and children come in a second query by id: joined in the first,
    PostgreSQL misjudged how many deadlines are overdue (open ones are mostly not yet due) and hashed
    the whole case table for a few thousand rows. The area is read from the case's episode directly.
    """
    from haven.missing.models import Episode

    now = clock.now()
    area = Episode.objects.filter(case_id=OuterRef("case_id")).order_by().annotate(a=area_expression()).values("a")[:1]
    deadlines = Deadline.objects.filter(
        case_id__in=visible_cases(user), state__in=OVERDUE_STATES, due_at__lt=now
    ).annotate(area=Coalesce(Subquery(area), Value("")))
    deadlines = filtered(deadlines, filters, team="case__team").order_by("due_at", "id")
    # Plain values into small objects (``_refs``): thousands of rows at a large force.
    rows, total = bounded(
        deadlines.values(*_DEADLINE, "area", *user_values("responsible_user__"), *team_values("responsible_team__")),
        limit,
        deadlines.order_by().count,  # without the joins of the responsible user and team
    )
    cases = {
        v["id"]: case_ref(v, "")
        for v in Case.objects.filter(pk__in={v["case_id"] for v in rows}).order_by().values(*case_values(""))
    }
    out = []
    for v in rows:
        d = DeadlineRef(
            **{("pk" if f == "id" else f): v[f] for f in _DEADLINE},
            responsible_user=user_ref(v, "responsible_user__"),
            responsible_team=team_ref(v, "responsible_team__"),
        )
        case = cases[d.case_id]
        out.append(
            OverdueRow(
                deadline=d,
                case=case,
                person=case.subject,
                label=_label(d.kind),
                overdue_by=now - d.due_at,
                area=v["area"],
            )
        )
    return Listing(out, total)


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


def counts(listing: Listing) -> list[Count]:
    return [Count("overdue", "Overdue", listing.total, order=40)]


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
