"""Section 2 (D-01): children returned in the last 24 hours without a prevention interview (M-11) or a
return home interview request to the local authority (M-12). A supervisor-approved waiver counts as
the prevention interview being dealt with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from haven.core import clock
from haven.dmm.sections import Filters, Listing, Section
from haven.dmm.sections._common import area_expression, bounded, filtered, visible
from haven.dmm.sections._html import Cells, epoch, esc
from haven.dmm.sections._refs import cases_by_id
from haven.missing.selectors import episodes_found_between

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.missing.models import Episode

RETURNED_WITHIN = timedelta(hours=24)


@dataclass
class ReturnedRow:
    episode: Episode
    case: Any
    person: Any
    found_at: datetime
    interview: str  # "done" | "waived" | "outstanding"
    rhi_requested: bool
    area: str

    @property
    def details(self) -> dict[str, Any]:
        return {
            "found_at": self.found_at,
            "prevention_interview": self.interview,
            "rhi_requested": self.rhi_requested,
            "owner": self.case.owner.username,
        }

    @property
    def interview_label(self) -> str:
        return {"done": "Done", "waived": "Waived (approved)", "outstanding": "Not done"}[self.interview]


def row_html(row: ReturnedRow, cells: Cells) -> str:
    """One row of the table (``_html``: the markup ``returned.html`` drew for it)."""
    interview = (
        '<strong class="govuk-tag govuk-tag--red">Not done</strong>'
        if row.interview == "outstanding"
        else esc(row.interview_label)
    )
    rhi = "Requested" if row.rhi_requested else '<strong class="govuk-tag govuk-tag--red">Not requested</strong>'
    return (
        f'<tr class="govuk-table__row" data-case="{esc(row.case.public_id)}">\n{cells.case(row)}'
        f'<td class="govuk-table__cell" data-sort-value="{epoch(row.found_at)}">{cells.short(row.found_at)}</td>\n'
        f'<td class="govuk-table__cell">{interview}</td>\n'
        f'<td class="govuk-table__cell">{rhi}</td>\n'
        f'<td class="govuk-table__cell">{esc(row.case.owner.rank_and_name)}</td>\n'
        f"{cells.decide(row)}</tr>\n"
    )


def returned_without_interview(*, user: User, filters: Filters, limit: int | None = None) -> Listing:
    now = clock.now()
    episodes = (
        episodes_found_between(since=now - RETURNED_WITHIN, until=now)
        .filter(visible(user))
        .only("case_id", "child_id", "state", "found_at", "prevention_waived_at")
        .annotate(area=area_expression())
        # Listed while either is still outstanding.
        .filter(Q(interviewed=False, prevention_waived_at__isnull=True) | Q(rhi=False))
    )
    episodes = filtered(episodes, filters, team="case__team").order_by("found_at", "id")
    found, total, _ = bounded(episodes, limit)
    cases = cases_by_id({e.case_id for e in found}, owner=True)  # apart: see ``_refs.cases_by_id``
    rows = [
        ReturnedRow(
            episode=e,
            case=cases[e.case_id],
            person=cases[e.case_id].subject,
            found_at=e.found_at or now,  # never None: filtered above
            interview="done" if e.interviewed else ("waived" if e.prevention_waived_at else "outstanding"),
            rhi_requested=e.rhi,
            area=e.area,
        )
        for e in found
    ]
    return Listing(rows, total)


SECTION = Section(
    key="returned",
    title="Returned in the last 24 hours without a prevention interview or return home interview request",
    order=2,
    rows=returned_without_interview,
    columns=("Case", "Child", "Found", "Prevention interview", "Return home interview", "Owner"),
    sorted_by=("Found", "ascending"),
    rows_html=row_html,
    description="Found since this time yesterday, with the prevention interview or the request to the "
    "local authority for a return home interview still outstanding.",
    empty_text="Every child found in the last 24 hours has had a prevention interview and a return home "
    "interview request.",
)
