"""Section 1 (D-01): children currently missing, by risk, highest first, longest missing first.

For each: time missing, last review and when the next is due, overdue enquiries, the owner and whether
they acknowledged the case (M-10), and the child's trigger plan (none / current / out of date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from haven.core import clock
from haven.dmm.sections import Count, Filters, Listing, Section, TrendSource
from haven.dmm.sections._common import area_expression, bounded, filtered, visible
from haven.dmm.sections._html import Cells, epoch, esc, minutes, span
from haven.dmm.sections._refs import cases_by_id
from haven.missing.choices import RiskGrade
from haven.missing.selectors import episodes_missing_between, episodes_missing_now, last_review_at, overdue_enquiries
from haven.triggerplans.selectors import child_plan_statuses

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.missing.models import Episode

UNGRADED = "ungraded"
GRADE_LABELS = {
    RiskGrade.HIGH.value: "High",
    RiskGrade.MEDIUM.value: "Medium",
    RiskGrade.LOW.value: "Low",
    RiskGrade.VERY_LOW.value: "Very low",
    UNGRADED: "Not yet graded",
}
PLAN_LABELS = {"none": "None", "current": "Current", "out_of_date": "Out of date", "": "Not available yet"}


_EPISODE_REF = ("id", "public_id", "case_id", "child_id", "state", "grade", "last_seen_at", "next_review_due")
_EPISODE = (*_EPISODE_REF, "area", "overdue_enquiries", "last_review_at")


@dataclass(slots=True, eq=False)
class EpisodeRef:
    """The episode a row is about (``_refs``: values, not a model instance)."""

    pk: int
    public_id: Any
    case_id: int
    child_id: int
    state: str
    grade: str
    last_seen_at: datetime
    next_review_due: datetime | None


@dataclass
class MissingRow:
    episode: EpisodeRef
    case: Any
    person: Any
    grade: str
    missing_for: timedelta
    last_review_at: datetime | None
    next_review_due: datetime | None
    overdue_enquiries: int
    acknowledged: bool
    plan: str
    area: str

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS.get(self.grade, self.grade)

    @property
    def grade_sort(self) -> int:
        return {"high": 4, "medium": 3, "low": 2, "very_low": 1}.get(self.grade, 5)

    @property
    def review_overdue(self) -> bool:
        return self.next_review_due is not None and self.next_review_due < clock.now()

    @property
    def plan_label(self) -> str:
        return PLAN_LABELS.get(self.plan, self.plan)

    @property
    def details(self) -> dict[str, Any]:
        return {
            "grade": self.grade,
            "missing_minutes": int(self.missing_for.total_seconds() // 60),
            "last_review_at": self.last_review_at,
            "next_review_due": self.next_review_due,
            "review_overdue": self.review_overdue,
            "overdue_enquiries": self.overdue_enquiries,
            "owner": self.case.owner.username,
            "acknowledged": self.acknowledged,
            "trigger_plan": self.plan or None,
        }


def _grade_rank() -> SqlCase:
    """Not yet graded first (nobody has judged the risk), then high to very low."""
    return SqlCase(
        When(grade="", then=Value(0)),
        When(grade=RiskGrade.HIGH, then=Value(1)),
        When(grade=RiskGrade.MEDIUM, then=Value(2)),
        When(grade=RiskGrade.LOW, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def missing_now(*, user: User, filters: Filters, limit: int | None = None) -> Listing:
    """The children missing now that ``user`` may see: the ``limit`` most urgent (all if None), the total
    and the total by grade."""
    now = clock.now()
    episodes = episodes_missing_now().filter(visible(user)).annotate(area=area_expression())
    episodes = filtered(episodes, filters, team="case__team")
    worst_first = episodes.annotate(
        overdue_enquiries=Coalesce(overdue_enquiries(now), Value(0)),
        last_review_at=last_review_at(),  # the later of the last review and the last grading
        grade_rank=_grade_rank(),
    ).order_by("grade_rank", "last_seen_at", "id")
    # Plain values into small objects (``_refs``): a large force can have thousands missing at once. The
    # header counts every child missing by grade, not only those listed.
    grades = {UNGRADED: Q(grade="")} | {g.value: Q(grade=g.value) for g in RiskGrade}
    rows, total, tally = bounded(worst_first.values(*_EPISODE), limit, grades)
    cases = cases_by_id({v["case_id"] for v in rows}, owner=True, pending_owner=True)
    plans = child_plan_statuses(child_ids=[v["child_id"] for v in rows], narrow=visible(user, "plan__case_id"))
    out = []
    for v in rows:
        case = cases[v["case_id"]]
        out.append(
            MissingRow(
                episode=EpisodeRef(*(v[f] for f in _EPISODE_REF)),
                case=case,
                person=case.subject,
                grade=v["grade"] or UNGRADED,
                missing_for=now - v["last_seen_at"],
                last_review_at=v["last_review_at"],
                next_review_due=v["next_review_due"],
                overdue_enquiries=v["overdue_enquiries"],
                acknowledged=case.pending_owner_id is None,
                plan=plans.get(v["child_id"], ""),
                area=v["area"],
            )
        )
    return Listing(out, total, tally)


_GRADE_TAGS = {"high": "govuk-tag--red", "medium": "govuk-tag--orange", UNGRADED: "govuk-tag--purple"}
_PLAN_CELLS = {
    "out_of_date": '<strong class="govuk-tag govuk-tag--orange">Out of date</strong>',
    "none": '<strong class="govuk-tag govuk-tag--grey">None</strong>',
}


def row_html(row: MissingRow, cells: Cells) -> str:
    """One row of the table (``_html``: the markup ``missing.html`` drew for it)."""
    last = cells.short(row.last_review_at) if row.last_review_at else "None yet"
    if row.next_review_due:
        due = cells.short(row.next_review_due)
        if row.review_overdue:
            due += ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    else:
        due = "Not set"
    n = row.overdue_enquiries
    enquiries = f'<strong class="govuk-tag govuk-tag--red">{n}</strong>' if n else "0"
    owner = esc(row.case.owner.rank_and_name)
    if not row.acknowledged:
        owner += (
            '<br><strong class="govuk-tag govuk-tag--yellow">Not acknowledged</strong> '
            f'<span class="govuk-body-s">handed to {esc(row.case.pending_owner.display_name)}</span>'
        )
    plan = _PLAN_CELLS.get(row.plan) or esc(row.plan_label)
    return (
        f'<tr class="govuk-table__row" data-case="{esc(row.case.public_id)}">\n{cells.case(row)}'
        f'<td class="govuk-table__cell" data-sort-value="{row.grade_sort}"><strong class="govuk-tag '
        f'{_GRADE_TAGS.get(row.grade, "govuk-tag--grey")}">{esc(row.grade_label)}</strong></td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{minutes(row.missing_for)}">{span(row.missing_for)}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{epoch(row.last_review_at)}">{last}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{epoch(row.next_review_due)}">{due}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{n}">{enquiries}</td>\n'
        f'<td class="govuk-table__cell">{owner}</td>\n'
        f'<td class="govuk-table__cell">{plan}</td>\n'
        f"{cells.decide(row)}</tr>\n"
    )


def counts(listing: Listing) -> list[Count]:
    """Missing now, by grade (the header's first figures): every child missing, listed or not."""
    figures = [Count("missing", "Missing now", listing.total, order=10)]
    for order, (grade, label) in enumerate(GRADE_LABELS.items(), start=11):
        figures.append(Count(f"missing_{grade}", label, listing.tally.get(grade, 0), order=order, group="missing"))
    return figures


def trend_rows(*, since: datetime, until: datetime) -> QuerySet[Episode]:
    """The episodes that can count as missing after ``since`` and up to ``until``; each counts from its
    report until the child is back (``back_at``)."""
    return episodes_missing_between(since=since, until=until)


TREND = TrendSource(
    "missing", "Missing", trend_rows, start="reported_at", end="back_at", inclusive=True, case="case", episode=""
)


SECTION = Section(
    key="missing",
    title="Children currently missing",
    order=1,
    rows=missing_now,
    columns=(
        "Case",
        "Child",
        "Risk",
        "Missing for",
        "Last review",
        "Next review due",
        "Overdue enquiries",
        "Owner",
        "Trigger plan",
    ),
    rows_html=row_html,
    description="By risk: not yet graded and high first, then the longest missing.",
    counts=counts,
    trend=TREND,
    empty_text="No child you can see is missing now.",
)
