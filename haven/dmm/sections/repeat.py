"""Section 6 (D-01, M-14, M-15): children flagged repeat missing who have no current trigger plan, and
trigger plans past their review date.

Read-only over haven.triggerplans' models, in a fixed number of queries (the triggerplans selectors
``repeat_missing_without_plan`` and ``plans_past_review`` answer the same questions one child at a time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from haven.deadlines.selectors import deadline_named
from haven.dmm.sections import Filters, Listing, Section
from haven.dmm.sections._common import bounded, filtered, visible, visible_cases
from haven.dmm.sections._html import Cells, epoch, esc
from haven.dmm.sections._refs import cases_by_id, people_by_id
from haven.people.selectors import person_visible_to
from haven.triggerplans.selectors import (
    current_versions_on_open_cases,
    plan_within,
    plans_on_open_cases_past_review,
    repeat_flags_raised,
)

if TYPE_CHECKING:
    from haven.accounts.models import User

NO_PLAN = "no_plan"
PAST_REVIEW = "past_review"


@dataclass
class RepeatRow:
    kind: str  # NO_PLAN | PAST_REVIEW
    case: Any  # the case to open (the plan's, or the episode the flag was raised on), or None
    person: Any
    since: datetime | None = None  # NO_PLAN: flagged repeat missing at
    episodes: int = 0
    due_at: datetime | None = None  # NO_PLAN: the "trigger plan required" deadline
    review_date: date | None = None  # PAST_REVIEW
    area: str = ""

    @property
    def details(self) -> dict[str, Any]:
        return {
            "problem": self.kind,
            "flagged_at": self.since,
            "episodes": self.episodes or None,
            "plan_due_at": self.due_at,
            "review_date": self.review_date.isoformat() if self.review_date else None,
        }

    @property
    def problem(self) -> str:
        return (
            "Repeat missing, no current trigger plan" if self.kind == NO_PLAN else "Trigger plan past its review date"
        )


def row_html(row: RepeatRow, cells: Cells) -> str:
    """One row of the table (``_html``: the markup ``repeat.html`` drew for it)."""
    data = f' data-case="{esc(row.case.public_id)}"' if row.case else ""
    problem = esc(row.problem) + (f" ({row.episodes} episodes)" if row.episodes else "")
    if row.since:
        sort, when = epoch(row.since), f"Flagged {cells.day(row.since)}"
    else:
        sort, when = epoch(row.review_date), f"Review was due {cells.day(row.review_date)}"
    return (
        f'<tr class="govuk-table__row"{data}>\n{cells.case(row)}'
        f'<td class="govuk-table__cell">{problem}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{sort}">{when}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{epoch(row.due_at)}">{cells.short(row.due_at)}</td>\n'
        f"{cells.decide(row)}</tr>\n"
    )


def _without_plan(user: User, filters: Filters, limit: int | None) -> tuple[list[RepeatRow], int]:
    current_plan = current_versions_on_open_cases().filter(plan__case__subject_id=OuterRef("child_id"))
    due = deadline_named(case_id=OuterRef("deadline_case_id"), key=OuterRef("deadline_key")).order_by("-id")
    # A flag raised without its "plan required" deadline is still due: the force's time after it was raised.
    fallback = ExpressionWrapper(F("raised_at") + Value(plan_within()), output_field=DateTimeField())
    flags = (
        repeat_flags_raised()
        .filter(child__in=person_visible_to(user))
        .exclude(Exists(current_plan))
        .annotate(
            due_at=Coalesce(Subquery(due.values("due_at")[:1]), fallback),
            case_visible=ExpressionWrapper(Q(deadline_case_id__in=visible_cases(user)), output_field=BooleanField()),
        )
    )
    flags = filtered(flags, filters, team="deadline_case__team", area=None).order_by("raised_at", "id")
    columns = ("child_id", "deadline_case_id", "case_visible", "raised_at", "episodes", "due_at")
    found, total, _ = bounded(flags.values(*columns), limit)
    # The child and the case apart, by id (``_refs.cases_by_id``): the flag's own query stays small.
    cases = cases_by_id({f["deadline_case_id"] for f in found if f["case_visible"]})
    people = people_by_id({f["child_id"] for f in found})
    return [
        RepeatRow(
            kind=NO_PLAN,
            case=cases.get(f["deadline_case_id"]) if f["case_visible"] else None,
            person=people[f["child_id"]],
            since=f["raised_at"],
            episodes=f["episodes"],
            due_at=f["due_at"],
        )
        for f in found
    ], total


def _past_review(user: User, filters: Filters, limit: int | None) -> tuple[list[RepeatRow], int]:
    plans = plans_on_open_cases_past_review().filter(visible(user))
    plans = filtered(plans, filters, team="case__team", area=None).order_by("current_review_date", "id")
    found, total, _ = bounded(plans.values("case_id", "current_review_date"), limit)
    cases = cases_by_id({p["case_id"] for p in found})
    return [
        RepeatRow(
            kind=PAST_REVIEW,
            case=cases[p["case_id"]],
            person=cases[p["case_id"]].subject,
            review_date=p["current_review_date"],
        )
        for p in found
    ], total


def repeat_missing(*, user: User, filters: Filters, limit: int | None = None) -> Listing:
    """Children without a current plan first (longest flagged first), then plans past review (longest
    past first): at most ``limit`` rows (all if None) and how many of both there are."""
    without, without_total = _without_plan(user, filters, limit)
    past, past_total = _past_review(user, filters, None if limit is None else max(limit - len(without), 0))
    return Listing([*without, *past], without_total + past_total)


SECTION = Section(
    key="repeat",
    title="Repeat missing without a current trigger plan, and plans past review",
    order=6,
    rows=repeat_missing,
    columns=("Case", "Child", "Problem", "Since", "Plan due"),
    rows_html=row_html,
    description="Children over the repeat-missing threshold with no current trigger plan, and plans "
    "whose review date has passed.",
    empty_text="No repeat missing child lacks a current trigger plan, and no plan is past its review.",
)
