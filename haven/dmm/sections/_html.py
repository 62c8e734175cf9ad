"""The rows of the board's tables, written in Python (a section's ``rows_html``).

The board lists every row, and a large force has over a thousand children missing and as many
deadlines overdue at once. Drawn by the template language, which pays for every variable, filter,
``{% url %}`` and ``{% include %}``, those rows alone took most of a second; written here they take a
few milliseconds. The markup is the one the section templates drew (the tests compare the two): the
table itself (caption, headers, the empty text) stays in each section's template, which calls
``{% dmm_rows view %}`` for its rows. Every value is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from html import escape
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3

from haven.deadlines.selectors import span_words

_ID = "00000000-0000-0000-0000-000000000000"


def esc(value: object) -> str:
    """As the templates' autoescape does (``&<>"'``)."""
    return escape(str(value), quote=True)


def _months() -> list[str]:
    # Django's "M" (Jan, Feb…), in the active language: made once per board, not per row.
    return ["", *(str(MONTHS_3[m]).title() for m in range(1, 13))]


@dataclass
class Cells:
    """What every row of a section shares: the meeting's "Record decision" link, the link patterns and
    the month names; and the cells the sections have in common."""

    section: str
    can_decide: bool = False
    meeting: Any = None
    months: list[str] = field(default_factory=_months)
    zone: tzinfo = field(default_factory=timezone.get_current_timezone)

    def __post_init__(self) -> None:
        self._case_url = reverse("cases:detail", args=[_ID])
        self._person_url = reverse("people:detail", args=[_ID])
        self._decide_url = (
            reverse("dmm:decide", args=[self.meeting.public_id]) if self.can_decide and self.meeting else ""
        )

    # --- values, as the templates' filters wrote them ---

    def short(self, value: datetime | None) -> str:
        """``|date:"j M H:i"`` (local time)."""
        if value is None:
            return ""
        local = value.astimezone(self.zone)
        return f"{local.day} {self.months[local.month]} {local:%H:%M}"

    def day(self, value: date | datetime | None) -> str:
        """``|date:"j M Y"`` (local time for a datetime)."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(self.zone)
        return f"{value.day} {self.months[value.month]} {value.year}"

    # --- the cells every section has ---

    def case(self, row: Any) -> str:
        """The case (a link to it, or to the person when there is no case) and the child."""
        if row.case is not None:
            url = self._case_url.replace(_ID, str(row.case.public_id))
            first = (
                f'<td class="govuk-table__cell" data-sort-value="{esc(row.case.reference)}">'
                f'<a class="govuk-link" href="{esc(url)}">{esc(row.case.reference)}</a></td>'
            )
        else:
            url = self._person_url.replace(_ID, str(row.person.public_id))
            first = (
                '<td class="govuk-table__cell" data-sort-value="">'
                f'<a class="govuk-link" href="{esc(url)}">Person record</a></td>'
            )
        return f'{first}\n<td class="govuk-table__cell">{esc(row.person)}</td>\n'

    def decide(self, row: Any) -> str:
        """While a meeting is open (and the user chairs): "Record decision" on the row's case."""
        if not self.can_decide:
            return ""
        if row.case is None:
            return '<td class="govuk-table__cell"></td>'
        return (
            '<td class="govuk-table__cell dmm-noprint"><a class="govuk-link" '
            f'href="{esc(self._decide_url)}?case={esc(row.case.public_id)}&amp;section={esc(self.section)}">'
            f'Record decision<span class="govuk-visually-hidden"> on {esc(row.case.reference)}</span></a></td>'
        )


def epoch(value: object) -> int:
    """Seconds since 1970 of a datetime or date (0 for none), for ``data-sort-value``."""
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, date):
        return int(datetime.combine(value, time(0), tzinfo=timezone.get_current_timezone()).timestamp())
    return 0


def minutes(value: timedelta | None) -> int:
    """Whole minutes, for ``data-sort-value``."""
    return 0 if value is None else int(value.total_seconds() // 60)


def span(value: timedelta | None) -> str:
    """``2 d 4 h``, ``3 h 10 min``, ``25 min``."""
    return "" if value is None else span_words(value)
