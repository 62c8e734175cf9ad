"""Section 5 (D-01, S-02): child concern referrals not yet reviewed or shared, oldest first: waiting for
the CRSU's decision, for a signed-off colleague's approval of it, or for a supervisor's review; with how
long each has waited and when it should be shared by (its colour's target, force policy).

``haven.referrals.selectors.not_reviewed_or_shared`` reads them for the user (only referrals they may
see; one about a restricted case only if they may see that case). The team filter narrows to the team
of the officer who raised it; a referral has no area of its own, so the area filter shows none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from haven.core import clock
from haven.dmm.sections import Count, Filters, Listing, Section
from haven.dmm.sections._html import _ID, Cells, epoch, esc, span
from haven.referrals.choices import PersonRole
from haven.referrals.selectors import not_reviewed_or_shared, people_of, waiting_label

if TYPE_CHECKING:
    from haven.accounts.models import User


@dataclass
class ReferralRow:
    referral: Any
    case: Any
    person: Any
    waiting_for: str
    submitted_at: datetime
    share_by: datetime | None
    overdue: bool

    @property
    def details(self) -> dict[str, Any]:
        return {
            "referral": self.referral.reference,
            "waiting_for": self.waiting_for,
            "colour": self.referral.rag or None,
            "submitted_at": self.submitted_at.isoformat(),
            "share_by": self.share_by.isoformat() if self.share_by else None,
            "share_overdue": self.overdue,
            "team": self.referral.team.code if self.referral.team_id else None,
        }


_TAG = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}


def _colour(referral: Any) -> str:
    """As the CRSU queue draws it (referrals/_rag.html); until rated, the raising officer's grade."""
    if referral.rag:
        return f'<strong class="govuk-tag {_TAG[referral.rag]}">{esc(referral.get_rag_display())}</strong>'
    grade = f" (officer: {esc(referral.get_officer_grade_display().lower())})" if referral.officer_grade else ""
    return f'<strong class="govuk-tag govuk-tag--grey">Not rated</strong>{grade}'


@cache
def _detail_url() -> str:
    """The referral page's URL with a placeholder id, reversed once (as ``Cells`` does for cases): the board
    draws up to every row on each 30-second refresh."""
    return reverse("referrals:detail", args=[_ID])


def row_html(row: ReferralRow, cells: Cells) -> str:
    url = _detail_url().replace(_ID, str(row.referral.public_id))
    share_by = cells.short(row.share_by) if row.share_by else "Not set"
    if row.overdue:
        share_by = f'<strong class="govuk-tag govuk-tag--red">Overdue</strong> {share_by}'
    waited = span(clock.now() - row.submitted_at)
    return (
        '<tr class="govuk-table__row">\n'
        f'<td class="govuk-table__cell" data-sort-value="{esc(row.referral.reference)}">'
        f'<a class="govuk-link" href="{esc(url)}">{esc(row.referral.reference)}</a></td>\n'
        f'<td class="govuk-table__cell">{esc(row.person) if row.person else ""}</td>\n'
        f'<td class="govuk-table__cell">{esc(row.referral.team.name if row.referral.team_id else "")}</td>\n'
        f'<td class="govuk-table__cell">{_colour(row.referral)}</td>\n'
        f'<td class="govuk-table__cell">{esc(row.waiting_for)}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{epoch(row.submitted_at)}">{esc(waited)}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{epoch(row.share_by) if row.share_by else 0}">'
        f"{share_by}</td>\n"
        f"{cells.decide(row)}</tr>\n"
    )


def referrals_waiting(*, user: User, filters: Filters, limit: int | None = None) -> Listing:
    if filters.area:
        return Listing([], 0)
    now = clock.now()
    found = not_reviewed_or_shared(user=user, team_code=filters.team, limit=limit)
    rows = []
    for referral in found.rows:
        children = people_of(referral, PersonRole.CHILD)
        rows.append(
            ReferralRow(
                referral=referral,
                case=referral.case,
                person=children[0].person if children else None,
                waiting_for=waiting_label(referral),
                submitted_at=referral.submitted_at or now,
                share_by=referral.share_by,
                overdue=referral.shared_at is None and referral.share_by is not None and referral.share_by < now,
            )
        )
    return Listing(rows, found.total)


def counts(listing: Listing) -> list[Count]:
    return [Count("referrals", "Referrals not yet reviewed or shared", listing.total, order=45)]


SECTION = Section(
    key="referrals",
    title="Child concern referrals not yet reviewed or shared",
    order=5,
    rows=referrals_waiting,
    columns=("Referral", "Child", "Team", "Colour", "Waiting for", "Waited", "Share by"),
    sorted_by=("Waited", "descending"),
    noun=("referral", "referrals"),
    rows_html=row_html,
    counts=counts,
    rule_id="S-02",
    description="Referrals raised by officers that the CRSU has not yet decided on or shared, whose decision "
    "waits for approval, or that no supervisor has reviewed yet: the oldest first.",
    empty_text="Every referral has been reviewed and decided.",
)
