"""Section 7 (D-01): everything overdue from the deadline engine, the most overdue (worst) first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from haven.core import clock
from haven.deadlines.registry import kind_get
from haven.deadlines.selectors import deadlines_overdue, deadlines_overdue_between
from haven.dmm.sections import Count, Filters, Listing, Section, TrendSource
from haven.dmm.sections._common import (
    area_expression,
    bounded,
    filtered,
    visible,
)
from haven.dmm.sections._html import Cells, esc, minutes, span
from haven.dmm.sections._refs import (
    DeadlineRef,
    cases_by_id,
    teams_by_id,
    users_by_id,
)
from haven.missing.selectors import episode_of_case

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.deadlines.models import Deadline

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


def _label(kind: str) -> str:
    try:
        return kind_get(kind).label
    except LookupError:
        return kind


def overdue(*, user: User, filters: Filters, limit: int | None = None) -> Listing:
    """Open and breached deadlines past due (index ``deadlines_state_due``) on cases the user may see:
    the ``limit`` most overdue (all if None) and how many there are.

    The cases and children, and the responsible users and teams, come in queries of their own by id:
    joined in the first, PostgreSQL misjudged how many deadlines are overdue (open ones are mostly not
    yet due) and hashed the whole case table, and it joined users, ranks and teams to every overdue
    deadline before the limit (3,000 at t1). The area is read from the case's episode directly.
    """
    now = clock.now()
    area = episode_of_case().annotate(a=area_expression()).values("a")[:1]
    deadlines = deadlines_overdue(now).filter(visible(user)).annotate(area=Coalesce(Subquery(area), Value("")))
    deadlines = filtered(deadlines, filters, team="case__team").order_by("due_at", "id")
    # Plain values into small objects (``_refs``): thousands of rows at a large force.
    rows, total, _ = bounded(deadlines.values(*_DEADLINE, "area", "responsible_user_id", "responsible_team_id"), limit)
    cases = cases_by_id({v["case_id"] for v in rows})
    users = users_by_id({v["responsible_user_id"] for v in rows} - {None})
    teams = teams_by_id({v["responsible_team_id"] for v in rows} - {None})
    out = []
    for v in rows:
        d = DeadlineRef(
            **{("pk" if f == "id" else f): v[f] for f in _DEADLINE},
            responsible_user=users.get(v["responsible_user_id"]),
            responsible_team=teams.get(v["responsible_team_id"]),
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
        f'<td class="govuk-table__cell" data-sort-value="{minutes(row.overdue_by)}">'
        f'<strong class="govuk-tag govuk-tag--red">{span(row.overdue_by)}</strong></td>\n'
        f'<td class="govuk-table__cell">{responsible}</td>\n'
        f"{cells.decide(row)}</tr>\n"
    )


def counts(listing: Listing) -> list[Count]:
    return [Count("overdue", "Overdue", listing.total, order=40)]


def trend_rows(*, since: datetime, until: datetime) -> QuerySet[Deadline]:
    """The deadlines that can be overdue after ``since`` and up to ``until``: due by then and neither met
    nor cancelled, or met or cancelled since (each arm through an index of its own, migration
    ``deadlines`` 0002). Never the history of met deadlines.

    A deadline is overdue once its due time has passed, until it is met or cancelled (the earlier of the
    two: PostgreSQL's ``LEAST`` ignores NULLs).
    """
    return deadlines_overdue_between(since=since, until=until)


TREND = TrendSource(
    "overdue",
    "Overdue deadlines",
    trend_rows,
    start="due_at",
    end="done_at",
    inclusive=False,
    case="case",
    episode="case__missing_episode__",
)


SECTION = Section(
    key="overdue",
    title="Overdue",
    order=7,
    rows=overdue,
    columns=("Case", "Child", "What", "Overdue by", "Responsible"),
    sorted_by=("Overdue by", "descending"),
    noun=("overdue", "overdue"),
    rows_html=row_html,
    description="Every deadline past its due time and not met, the most overdue first.",
    counts=counts,
    trend=TREND,
    empty_text="Nothing you can see is overdue.",
)
