"""The board's sections: each is one small module in this package that declares its ``SECTION``.

A section is a key, a title, an order, a selector that returns its rows for the user (narrowed by the
team and area filters, worst first, at most a limit of them, with how many there are in all: a
:class:`Listing`, in a fixed number of queries however many rows), the table's headings (one template,
``dmm/sections/_table.html``, draws every section, its rows written by ``rows_html``), and optionally
the counts it adds to the header and the daily series it adds to the trend chart.

Adding a section (police protection, custody, referrals…) is one module here declaring ``SECTION``, and
one line in ``DmmConfig.ready`` passing it to :func:`register_board_section`. Rule D-01: the board (and
so the pack) must include children in police protection and in custody; until their apps exist,
:data:`PLANNED` shows those sections as "not available yet".

Each row a selector returns has ``case`` (a ``cases.Case`` with ``subject`` loaded, or None) and
``person`` (the child): the board logs every case and person it shows as one s62 consultation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class Filters:
    """The board's filters: a team code and a local-authority area ("" for any)."""

    team: str = ""
    area: str = ""

    @property
    def any(self) -> bool:
        return bool(self.team or self.area)


@dataclass(frozen=True)
class Count:
    """One figure in the header ("High: 3"). ``value`` None means "not available yet"."""

    key: str
    label: str
    value: int | None
    order: int = 50
    group: str = ""


@dataclass(frozen=True)
class Series:
    """One line of the 30-day trend chart: a value per day (oldest first)."""

    key: str
    label: str
    values: list[int]


@dataclass
class Listing:
    """A section's rows, worst first, and how many there are in all.

    ``rows`` holds at most the limit the board asked for (every row for the pack and the meeting's
    record, D-01); ``total`` counts every row the user may see under the filters, and ``tally`` splits
    that total by group (missing now by grade) for the header's figures.
    """

    rows: list[Any]
    total: int
    tally: dict[str, int] = field(default_factory=dict)


RowsSelector = Callable[..., Listing]  # (*, user, filters, limit: int | None) -> Listing
CountsBuilder = Callable[[Listing], list[Count]]  # the listing -> header counts (from its total and tally)


@dataclass(frozen=True)
class TrendSource:
    """A section's line in the 30-day trend chart: which rows count, and from when until when each is live.

    ``rows(since=, until=)`` returns, over every case, the rows that can be live at some instant after
    ``since`` and up to ``until``, never the whole history (each section reads through indexes of its
    own). A row is live from its ``start`` (at that instant if ``inclusive``, else just after) until its
    ``end`` (NULL: still live). ``case`` is the path from a row to its case, and ``episode`` the path to
    the missing episode that gives its area (``_common.area_expression``). ``haven.dmm.trend`` counts
    them: per reader for today, from the settled figures for the days before.
    """

    key: str
    label: str
    rows: Callable[..., Any]  # (*, since: datetime, until: datetime) -> QuerySet
    start: str
    end: str
    inclusive: bool
    case: str = "case"
    episode: str = ""


RowsHtml = Callable[[Any, Any], str]  # (row, _html.Cells) -> one <tr>, escaped


@dataclass(frozen=True)
class Section:
    """One section of the board (see the module docstring)."""

    key: str
    title: str
    order: int
    rows: RowsSelector
    columns: tuple[str, ...]  # the table's headings, in order (the meeting's column is added when it applies)
    sorted_by: tuple[str, str] = ("", "")  # (heading, "ascending" | "descending"): the order the rows come in
    noun: tuple[str, str] = ("child", "children")  # what the total counts: one, many
    template: str = "dmm/sections/_table.html"
    description: str = ""
    counts: CountsBuilder | None = None
    trend: TrendSource | None = None
    rows_html: RowsHtml | None = None  # the template's {% dmm_rows view %}: rows written in Python (_html)
    empty_text: str = "Nothing to show."
    rule_id: str = "D-01"


@dataclass(frozen=True)
class Planned:
    """A section D-01 needs whose records are not in Haven yet: shown as "not available yet" while
    ``app`` is not installed. Its section (key ``key``) is registered when the app lands."""

    key: str
    title: str
    order: int
    app: str
    count_label: str = ""


PLANNED: tuple[Planned, ...] = (
    Planned("referrals", "Child concern referrals not yet reviewed or shared", 5, "haven.referrals"),
)

_SECTIONS: dict[str, Section] = {}


def register_board_section(section: Section) -> None:
    """Add ``section`` to the board (registering the same key again replaces it, so ready() may run twice)."""
    _SECTIONS[section.key] = section


def registered() -> list[Section]:
    """The sections on the board, in order."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def unavailable() -> list[Planned]:
    """Planned sections whose app is truly absent (and no module registered them)."""
    return [p for p in PLANNED if p.key not in _SECTIONS and not apps.is_installed(p.app)]


def trend_days(now: datetime, days: int = 30) -> list[datetime]:
    """The instants the trend is measured at: the end of each of the last ``days`` days, and now."""
    from datetime import timedelta

    from django.utils import timezone

    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    ends = [midnight - timedelta(days=d) for d in range(days - 1, 0, -1)]
    return [*(e.astimezone(now.tzinfo) for e in ends), now]
