"""The DMM pack: the meeting's record and the board (D-01), as a PDF drawn by WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from haven.audit.choices import JustificationKind, Operation
from haven.cases import s62
from haven.core import clock
from haven.dmm import selectors, services
from haven.dmm.board import board_build
from haven.dmm.sections import Filters
from haven.dmm.sections._html import span
from haven.dmm.trend import trend_build

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.dmm.models import Meeting


@dataclass(frozen=True)
class Pack:
    """The pack's HTML and what it shows (for the s62 rows its reader writes)."""

    html: str
    cases: list[Any]
    person_ids: list[str]


def pack_build(*, user: User, meeting: Meeting) -> Pack:
    """The pack's HTML: the meeting's record, the board (a closed meeting's as it stood at the close,
    narrowed to what ``user`` may see; an open meeting's as it is now), the 30-day chart, and whatever
    is overdue marked. Logs nothing: :func:`pack_pdf` logs the read and the export with the PDF."""
    record = selectors.meeting_record(user=user, meeting=meeting, log=False)
    kept = None if meeting.is_open else selectors.board_at_close(user=user, meeting=meeting)
    board = board_build(user=user, filters=Filters(), log=False) if kept is None else None
    printed_at = clock.now()
    if board is not None:
        trend = trend_build(user=user, filters=Filters(), now={c.key: c.value for c in board.counts})
    else:
        trend = trend_build(user=user, filters=Filters(), until=meeting.closed_at or printed_at)
    html = render_to_string(
        "dmm/pack.html",
        {
            "record": record,
            "meeting": meeting,
            "board": board,
            "kept": kept,
            "kept_sections": kept_sections(kept) if kept else [],
            "chart": trend_svg(trend),
            "trend": trend,
            "printed_at": printed_at,
            "force_name": settings.HAVEN_FORCE_NAME,
            "user": user,
        },
    )
    shown: list[Any] = board.cases if board is not None else (kept["cases"] if kept else [])
    shown_people: list[Any] = board.person_ids if board is not None else (kept["person_ids"] if kept else [])
    cases = {c.pk: c for c in [*shown, *record.cases]}
    people = sorted({*map(str, shown_people), *(str(c.subject.public_id) for c in cases.values())})
    return Pack(html, list(cases.values()), people)


@transaction.atomic
def pack_pdf(*, user: User, meeting: Meeting, base_url: str = "") -> bytes:
    """Render the pack; the read of everything in it and its export are logged (s62) with it."""
    from weasyprint import HTML

    pack = pack_build(user=user, meeting=meeting)
    # s62: the pack is read (a consultation of everything in it) and exported (a disclosure).
    if pack.cases or pack.person_ids:
        s62.record(
            actor=user,
            operation=Operation.CONSULTATION,
            cases=pack.cases,
            person_ids=pack.person_ids,
            justification_kind=JustificationKind.STATED,
            justification="DMM pack for the daily management meeting (D-01).",
            detail={"view": "dmm_pack", "meeting": str(meeting.public_id)},
        )
    services.pack_disclosed(actor=user, meeting=meeting, cases=pack.cases, person_ids=pack.person_ids)
    pdf: bytes = HTML(string=pack.html, base_url=base_url).write_pdf()  # WeasyPrint has no types
    return pdf


# --- The 30-day chart, drawn as SVG (WeasyPrint draws SVG; a PDF runs no script) --------------------

CHART_WIDTH, CHART_HEIGHT = 760, 200  # in the SVG's own units; the chart is 100% of the page's width
LEFT, RIGHT, TOP, BOTTOM = 36, 150, 10, 30  # margins: the y axis's numbers, the legend, the x axis's days
# Colours that differ in print too: each series also has its own dash pattern and marker.
STYLES = [("#d4351c", ""), ("#1d70b8", "6 4"), ("#00703c", "2 2"), ("#4c2c92", "8 2 2 2")]


def trend_svg(trend: dict[str, Any]) -> SafeString:
    """The board's 30-day trend as an SVG line chart: a line per series, the y axis from 0 to the
    highest value, a day label every fifth day and the last point's, a legend with each line's figure
    now. Every value is escaped; the numbers are the chart's own."""
    labels: list[str] = trend["labels"]
    series: list[dict[str, Any]] = trend["series"]
    if not labels or not series:
        return mark_safe("")  # noqa: S308 - nothing to draw
    top = max([1, *(v or 0 for s in series for v in s["values"])])
    step = max(1, -(-top // 4))
    top = step * 4
    plot_w, plot_h = CHART_WIDTH - LEFT - RIGHT, CHART_HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / max(1, len(labels) - 1))

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" class="chart" '
        f'role="img" aria-label="{escape(_chart_words(trend))}">'
    ]
    for n in range(0, top + 1, step):
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(n):.1f}" y2="{y(n):.1f}" stroke="#ddd" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(n) + 3:.1f}" text-anchor="end" font-size="9">{n}</text>'
        )
    for i, label in enumerate(labels):
        if i % 5 == 0 or i == len(labels) - 1:
            at = f'x="{x(i):.1f}" y="{TOP + plot_h + 14}"'
            parts.append(f'<text {at} text-anchor="middle" font-size="8">{escape(label)}</text>')
    for index, s in enumerate(series):
        colour, dash = STYLES[index % len(STYLES)]
        points = " ".join(f"{x(i):.1f},{y(v or 0):.1f}" for i, v in enumerate(s["values"]))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dashes}/>')
        last = (s["values"] or [0])[-1] or 0
        legend_y = TOP + 14 + index * 16
        parts.append(
            f'<line x1="{LEFT + plot_w + 12}" x2="{LEFT + plot_w + 32}" y1="{legend_y - 3}" y2="{legend_y - 3}" '
            f'stroke="{colour}" stroke-width="2"{dashes}/>'
            f'<text x="{LEFT + plot_w + 36}" y="{legend_y}" font-size="9">{escape(s["label"])}: {last}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def _chart_words(trend: dict[str, Any]) -> str:
    first, last = trend["labels"][0], trend["labels"][-1]
    lines = "; ".join(f"{s['label']} from {s['values'][0] or 0} to {s['values'][-1] or 0}" for s in trend["series"])
    return f"Line chart, {first} to {last}: {lines}"


# --- A closed meeting's board, as it was kept, in words -----------------------------------------


def kept_sections(kept: dict[str, Any]) -> list[dict[str, Any]]:
    """The board kept at the close (``Meeting.board_at_close``), each row in words with whether it was
    overdue then: every row of the overdue section, and a child missing whose review was overdue or
    who had overdue enquiries."""
    out = []
    for section in kept["sections"]:
        rows = []
        for row in section["rows"]:
            words, overdue = _kept_row(section.get("key", ""), row.get("details") or {})
            rows.append({**row, "words": words, "overdue": overdue})
        out.append({**section, "rows": rows})
    return out


def _when(value: Any) -> str:
    """A time or a day kept in the snapshot (JSON: ISO text), in words; "" for anything else."""
    if isinstance(value, str):
        day = parse_date(value) if len(value) == 10 else None  # noqa: PLR2004 - a day alone: YYYY-MM-DD
        if day is not None:
            return day.strftime("%-d %b %Y")
        value = parse_datetime(value)
    if not isinstance(value, datetime):
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)  # written in the force's time zone
    return timezone.localtime(value).strftime("%-d %b %H:%M")


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _when(value) or str(value)


def _kept_row(key: str, d: dict[str, Any]) -> tuple[str, bool]:
    if key == "missing":
        review = _when(d.get("next_review_due")) or "not set"
        words = (
            f"Risk {str(d.get('grade') or 'not yet graded').replace('_', ' ')}; "
            f"missing {span(timedelta(minutes=int(d.get('missing_minutes') or 0)))}; "
            f"next review due {review}; overdue enquiries {d.get('overdue_enquiries') or 0}"
        )
        return words, bool(d.get("review_overdue") or d.get("overdue_enquiries"))
    if key == "overdue":
        late = span(timedelta(minutes=int(d.get("overdue_minutes") or 0)))
        return f"{d.get('what', '')}: due {_when(d.get('due_at'))}, overdue by {late}", True
    # Other sections: their details, without ids, as "name: value" pairs.
    shown = [
        f"{k.replace('_', ' ')}: {_word(v)}"
        for k, v in d.items()
        if v not in (None, "") and k not in ("deadline", "kind", "rule_id", "episode", "case", "person")
    ]
    return "; ".join(shown), False
