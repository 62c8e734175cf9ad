"""Section 4 (D-01, C-10): every juvenile in custody now, worst first: charged and refused bail with
neither a request for local authority accommodation nor a certificate, then a certificate citing only a
lack of beds, then the rest by the next review due. For each: the detention clock (hours since the
relevant time, and the limit), the next review due, the appropriate adult, and after charge whether the
s38(6) transfer was requested or refused and whether a certificate was issued.

``haven.custody.selectors.in_custody`` reads them for the user (only detentions on cases they may see).
The team filter narrows to the case's team; a detention has no area of its own, so the area filter
shows none.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from haven.core import clock
from haven.custody.choices import DetentionState
from haven.custody.selectors import in_custody
from haven.dmm.sections import Count, Filters, Listing, Section
from haven.dmm.sections._html import _ID, Cells, epoch, esc, span

if TYPE_CHECKING:
    from haven.accounts.models import User


@dataclass
class CustodyRow:
    detention: Any
    case: Any
    person: Any
    aa: str
    transfer: str
    certificate: str
    attention: int

    @property
    def details(self) -> dict[str, Any]:
        d = self.detention
        return {
            "custody_reference": d.custody_reference,
            "state": d.get_state_display(),
            "relevant_time": d.relevant_time.isoformat(),
            "limit_at": d.limit_at.isoformat() if d.state == DetentionState.DETAINED else None,
            "next_review_due": d.next_review_due.isoformat()
            if d.state == DetentionState.DETAINED and d.next_review_due
            else None,
            "appropriate_adult": self.aa,
            "transfer": self.transfer,
            "certificate": self.certificate,
        }


@cache
def _detail_url() -> str:
    return reverse("custody:detail", args=[_ID])


def _tag(colour: str, words: str) -> str:
    return f'<strong class="govuk-tag govuk-tag--{colour}">{esc(words)}</strong>'


def row_html(row: CustodyRow, cells: Cells) -> str:
    d = row.detention
    now = clock.now()
    url = _detail_url().replace(_ID, str(d.public_id))
    held = span(now - d.relevant_time)
    if d.state == DetentionState.DETAINED:
        clock_cell = f"{esc(held)}<br>limit {esc(cells.short(d.limit_at))}"
        review = esc(cells.short(d.next_review_due))
        if d.next_review_due and d.next_review_due < now:
            review = f"{_tag('red', 'Overdue')} {review}"
        after = "Not charged"
    else:
        clock_cell = f"{esc(held)}<br>charged {esc(cells.short(d.charged_at))}"
        review = "Charged"
        after = _tag("red", "Not requested") if row.attention == 0 else esc(row.transfer)
    certificate = esc(row.certificate or "")
    if row.attention == 1:
        certificate = f"{certificate} {_tag('orange', 'Review')}"
    return (
        '<tr class="govuk-table__row">\n'
        f'<td class="govuk-table__cell" data-sort-value="{esc(d.custody_reference)}">'
        f'<a class="govuk-link" href="{esc(url)}">{esc(d.custody_reference)}</a></td>\n'
        f'<td class="govuk-table__cell">{esc(d.child.full_name)}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{epoch(d.relevant_time)}">{clock_cell}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{epoch(d.next_review_due)}">{review}</td>\n'
        f'<td class="govuk-table__cell">{esc(row.aa)}</td>\n'
        f'<td class="govuk-table__cell" data-sort-value="{row.attention}">{after}</td>\n'
        f'<td class="govuk-table__cell">{certificate}</td>\n'
        f"{cells.decide(row)}</tr>\n"
    )


def children_in_custody(*, user: User, filters: Filters, limit: int | None = None) -> Listing:
    if filters.area:
        return Listing([], 0)
    found, total = in_custody(user=user, team_code=filters.team, limit=limit, log=False)
    rows = [
        CustodyRow(
            detention=r.detention,
            case=r.detention.case,
            person=r.detention.child,
            aa=r.aa,
            transfer=r.transfer,
            certificate=r.certificate,
            attention=r.attention,
        )
        for r in found
    ]
    return Listing(rows, total)


def counts(listing: Listing) -> list[Count]:
    return [Count("custody", "In custody", listing.total, order=35)]


SECTION = Section(
    key="custody",
    title="Children in custody",
    order=4,
    rows=children_in_custody,
    columns=(
        "Custody record",
        "Child",
        "Detention clock",
        "Next review due",
        "Appropriate adult",
        "After charge",
        "Certificate",
    ),
    sorted_by=("After charge", "ascending"),
    noun=("child", "children"),
    rows_html=row_html,
    counts=counts,
    rule_id="C-10",
    description="Every child in custody now: those charged and kept with no request for local authority "
    "accommodation first, then certificates citing only a lack of beds, then the next review due.",
    # Custody records are seen by custody officers and inspectors: to others the section is empty, so it
    # must not claim that no child is in custody.
    empty_text="There is no child in custody that you may see.",
)
