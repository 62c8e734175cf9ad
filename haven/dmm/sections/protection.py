"""Section 3 (D-01, PP-01, PP-05): children in police protection now, the fewest hours left until the 72
hours run out first, with the notifications done and missing and the designated officer.

``haven.protection.selectors.open_protections`` reads them for the user (only those they may see). The
team filter narrows to the case's team; police protection has no area of its own, so the area filter
shows none. The board logs the cases and children it shows (one s62 row), so the selector does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from haven.dmm.sections import Count, Filters, Listing, Section
from haven.dmm.sections._html import _ID, Cells, epoch, esc
from haven.protection.selectors import missing, open_protections

if TYPE_CHECKING:
    from haven.accounts.models import User

CHECKLIST_SIZE = 6  # the five s46(3) items and the parents (s46(4))
SHORT = {
    "la_found": "LA where found",
    "la_appropriate": "LA where the child lives",
    "child_informed": "child told",
    "wishes": "wishes and feelings",
    "inquiry": "inquiry",
    "parents": "parents",
}
"""The checklist's items in a few words, for a narrow table cell (the record's page says them in full)."""


@dataclass
class ProtectionRow:
    protection: Any
    case: Any
    person: Any
    hours_left: int
    missing: list[Any]

    @property
    def details(self) -> dict[str, Any]:
        return {
            "expires_at": self.protection.expires_at.isoformat(),
            "hours_left": self.hours_left,
            "notifications_done": CHECKLIST_SIZE - len(self.missing),
            "notifications_missing": ", ".join(SHORT.get(str(item), str(item)) for item in self.missing) or None,
            "designated_officer": self.protection.designated_officer.rank_and_name,
        }


@cache
def _detail_url() -> str:
    return reverse("protection:detail", args=[_ID])


def _hours(row: ProtectionRow) -> str:
    tag = "govuk-tag--red" if row.hours_left < 12 else "govuk-tag--orange" if row.hours_left < 24 else "govuk-tag--blue"
    words = "72 hours run out" if row.hours_left == 0 else f"{row.hours_left} h left"
    return f'<strong class="govuk-tag {tag}">{esc(words)}</strong>'


def row_html(row: ProtectionRow, cells: Cells) -> str:
    url = _detail_url().replace(_ID, str(row.protection.public_id))
    if row.missing:
        labels = "; ".join(SHORT.get(str(item), str(item)) for item in row.missing)
        notes = f"{CHECKLIST_SIZE - len(row.missing)} of {CHECKLIST_SIZE} done. Missing: {esc(labels)}"
    else:
        notes = "All done"
    return (
        '<tr class="govuk-table__row">\n'
        f"{cells.case(row)}"
        f'<td class="govuk-table__cell" data-sort-value="{epoch(row.protection.expires_at)}">'
        f'<a class="govuk-link" href="{esc(url)}">{_hours(row)}</a> '
        f"by {esc(cells.short(row.protection.expires_at))}</td>\n"
        f'<td class="govuk-table__cell" data-sort-value="{len(row.missing)}">{notes}</td>\n'
        f'<td class="govuk-table__cell">{esc(row.protection.designated_officer.rank_and_name)}</td>\n'
        f"{cells.decide(row)}</tr>\n"
    )


def children_in_protection(*, user: User, filters: Filters, limit: int | None = None) -> Listing:
    if filters.area:
        return Listing([], 0)
    found = open_protections(user=user, team_code=filters.team, log=False)
    rows = [
        ProtectionRow(protection=p, case=p.case, person=p.child, hours_left=p.hours_left(), missing=missing(p))
        for p in found
    ]
    return Listing(rows[:limit] if limit is not None else rows, len(rows))


def counts(listing: Listing) -> list[Count]:
    return [Count("protection", "In police protection", listing.total, order=30)]


SECTION = Section(
    key="protection",
    title="Children in police protection",
    order=3,
    rows=children_in_protection,
    columns=("Case", "Child", "Hours left of 72", "Notifications", "Designated officer"),
    sorted_by=("Hours left of 72", "ascending"),
    noun=("child", "children"),
    rows_html=row_html,
    counts=counts,
    rule_id="PP-01",
    description="Children in police protection now, the fewest hours left first: no child may be kept more than "
    "72 hours. With the notifications done or still missing and the designated officer.",
    empty_text="No child is in police protection.",
)
