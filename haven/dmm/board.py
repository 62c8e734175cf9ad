"""The board: every registered section's rows for the user, the header counts, the 30-day trend, and
whether the deadline sweep is alive. Building it is one s62 consultation of every case and person shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from haven.audit.choices import JustificationKind, Operation
from haven.core import clock
from haven.core.heartbeat import HeartbeatStatus, heartbeat_status
from haven.deadlines.selectors import SWEEP
from haven.dmm.sections import Count, Filters, Listing, Planned, Section, registered, unavailable
from haven.dmm.sections._common import one_build

if TYPE_CHECKING:
    from haven.accounts.models import User


def sweep_heartbeat_name() -> str:
    """The heartbeat the deadline sweep writes (the deadlines app's constant)."""
    return SWEEP


def sweep_status() -> HeartbeatStatus:
    return heartbeat_status(sweep_heartbeat_name())


@dataclass
class SectionView:
    """One section as drawn: its definition and rows, or "not available yet" (``planned``)."""

    key: str
    title: str
    order: int
    section: Section | None = None
    rows: list[Any] = field(default_factory=list)
    planned: Planned | None = None
    total: int = 0  # every row the user may see under the filters; ``rows`` may list only the worst
    bounded: bool = False  # listed at most the board's limit (the user can ask for every row)

    @property
    def available(self) -> bool:
        return self.section is not None

    @property
    def complete(self) -> bool:
        return len(self.rows) >= self.total

    @property
    def template(self) -> str:
        return self.section.template if self.section else "dmm/sections/unavailable.html"

    @property
    def noun(self) -> str:
        """What the total counts, in the number it needs ("1 referral", "3 children")."""
        one, many = self.section.noun if self.section else ("", "")
        return one if self.total == 1 else many

    @property
    def headings(self) -> list[tuple[str, str]]:
        """Each heading and its ``aria-sort``: the order the rows come in marked, the others "none"."""
        if self.section is None:
            return []
        by, direction = self.section.sorted_by
        return [(words, direction if words == by else "none") for words in self.section.columns]


@dataclass
class Board:
    sections: list[SectionView]
    counts: list[Count]
    filters: Filters
    updated_at: datetime
    sweep: HeartbeatStatus

    @property
    def cases(self) -> list[Any]:
        seen: dict[int, Any] = {}
        for view in self.sections:
            for row in view.rows:
                if row.case is not None:
                    seen.setdefault(row.case.pk, row.case)
        return list(seen.values())

    @property
    def person_ids(self) -> list[Any]:
        return sorted(
            {row.person.public_id for v in self.sections for row in v.rows if row.person is not None}, key=str
        )

    def section(self, key: str) -> SectionView | None:
        return next((v for v in self.sections if v.key == key), None)


def board_build(
    *,
    user: User,
    filters: Filters,
    limit: int | None = None,
    show_all: str = "",
    log: bool = True,
    detail: dict[str, Any] | None = None,
) -> Board:
    """Every section for ``user`` (already checked for DMM_BOARD_VIEW), logged as one consultation.

    Each section lists its ``limit`` worst rows (every row if None, as the pack and the meeting's record
    do: D-01), except the section ``show_all`` names, which lists them all; the counts are always of
    every row. Only the rows listed are logged as read.
    """
    listings: dict[str, Listing] = {}
    with one_build():  # the user's access compiled once for every section
        for s in registered():
            listings[s.key] = s.rows(user=user, filters=filters, limit=None if s.key == show_all else limit)
    views = [
        SectionView(
            key=s.key,
            title=s.title,
            order=s.order,
            section=s,
            rows=listings[s.key].rows,
            total=listings[s.key].total,
            bounded=limit is not None and s.key != show_all,
        )
        for s in registered()
    ]
    views += [SectionView(key=p.key, title=p.title, order=p.order, planned=p) for p in unavailable()]
    views.sort(key=lambda v: (v.order, v.key))
    counts: list[Count] = []
    for view in views:
        if view.section is not None and view.section.counts is not None:
            counts += view.section.counts(listings[view.key])
        elif view.planned is not None and view.planned.count_label:
            counts.append(Count(view.key, view.planned.count_label, None, order=20 + view.order))
    counts.sort(key=lambda c: c.order)
    board = Board(sections=views, counts=counts, filters=filters, updated_at=clock.now(), sweep=sweep_status())
    if log:
        board_read_record(user=user, board=board, detail=detail or {"view": "dmm_board"})
    return board


def board_read_record(*, user: User, board: Board, detail: dict[str, Any]) -> None:
    """s62: the board shows these cases and people: one consultation naming them all."""
    from haven.cases import s62

    cases = board.cases
    people = board.person_ids
    if not cases and not people:
        return
    s62.record(
        actor=user,
        operation=Operation.CONSULTATION,
        cases=cases,
        person_ids=people,
        justification="Daily management meeting board (D-01).",
        justification_kind=JustificationKind.STATED,
        detail={**detail, "team": board.filters.team, "area": board.filters.area},
    )
