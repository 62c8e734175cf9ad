"""Section 8 (issue 18, T-01): officers at work beyond their recorded competence, under an inspector's
override of the gate in force now: who, for what work, allowed by whom, why, until when.

Staff records, not a case or a child: ``haven.workforce.selectors.beyond_competence_for_board`` reads
them and logs one consultation naming the officers shown. The team filter narrows to the officers of
that team; the area filter does not apply (an officer has no area), so it shows none under one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from haven.dmm.sections import Count, Filters, Listing, Section
from haven.dmm.sections._html import Cells, epoch, esc
from haven.workforce.selectors import beyond_competence_for_board

if TYPE_CHECKING:
    from haven.accounts.models import User


@dataclass
class BeyondRow:
    officer: Any
    activity: str
    granted_by: Any
    reason: str
    ends_at: datetime
    case: Any = None  # staff, not a case: nothing for the board's case log
    person: Any = None

    @property
    def details(self) -> dict[str, Any]:
        return {"officer": self.officer.rank_and_name, "work": self.activity, "until": self.ends_at.isoformat()}


def row_html(row: BeyondRow, cells: Cells) -> str:
    return (
        '<tr class="govuk-table__row">\n'
        f'<td class="govuk-table__cell">{esc(row.officer.rank_and_name)}</td>\n'
        f'<td class="govuk-table__cell">{esc(row.officer.team.name if row.officer.team_id else "")}</td>\n'
        f'<td class="govuk-table__cell">{esc(row.activity)}</td>\n'
        f'<td class="govuk-table__cell">{esc(row.granted_by.rank_and_name)}: {esc(row.reason)}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{epoch(row.ends_at)}">{cells.short(row.ends_at)}</td>\n'
        "</tr>\n"
    )


def beyond_competence(*, user: User, filters: Filters, limit: int | None = None) -> Listing:
    """Overrides in force, the soonest to end first: at most ``limit`` rows and how many in all."""
    if filters.area:
        return Listing([], 0)
    found = beyond_competence_for_board(user=user, team_code=filters.team, limit=limit)
    rows = [
        BeyondRow(
            officer=b.officer,
            activity=b.override.get_activity_display(),
            granted_by=b.override.granted_by,
            reason=b.override.reason,
            ends_at=b.override.ends_at,
        )
        for b in found.rows
    ]
    return Listing(rows, found.total)


def counts(listing: Listing) -> list[Count]:
    return [Count("beyond", "Working beyond their competence", listing.total, order=80)]


SECTION = Section(
    key="beyond",
    title="Officers working beyond their competence",
    order=8,
    rows=beyond_competence,
    columns=("Officer", "Team", "Work", "Allowed by, and why", "Until"),
    sorted_by=("Until", "ascending"),
    noun=("officer", "officers"),
    rows_html=row_html,
    counts=counts,
    description="Officers an inspector has allowed to do work their training does not yet cover, until the "
    "end the inspector set.",
    empty_text="No officer is working under an override.",
)
