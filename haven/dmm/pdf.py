"""The DMM pack: the meeting's record and the board (D-01), as a PDF drawn by WeasyPrint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from haven.audit.choices import JustificationKind, Operation
from haven.cases import s62
from haven.core import clock
from haven.dmm import selectors, services
from haven.dmm.board import board_build
from haven.dmm.sections import Filters

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.dmm.models import Meeting


@transaction.atomic
def pack_pdf(*, user: User, meeting: Meeting, base_url: str = "") -> bytes:
    """Render the pack; the read of everything in it and its export are logged (s62) with it.

    A closed meeting's pack shows the board as it stood when the meeting closed (narrowed to what
    ``user`` may see); an open meeting's, the board now.
    """
    from weasyprint import HTML

    record = selectors.meeting_record(user=user, meeting=meeting, log=False)
    kept = None if meeting.is_open else selectors.board_at_close(user=user, meeting=meeting)
    board = board_build(user=user, filters=Filters(), log=False) if kept is None else None
    html = render_to_string(
        "dmm/pack.html",
        {
            "record": record,
            "meeting": meeting,
            "board": board,
            "kept": kept,
            "printed_at": clock.now(),
            "force_name": settings.HAVEN_FORCE_NAME,
            "user": user,
        },
    )
    shown: list[Any] = board.cases if board is not None else (kept["cases"] if kept else [])
    shown_people: list[Any] = board.person_ids if board is not None else (kept["person_ids"] if kept else [])
    cases = {c.pk: c for c in [*shown, *record.cases]}
    people = sorted({*map(str, shown_people), *(str(c.subject.public_id) for c in cases.values())})
    # s62: the pack is read (a consultation of everything in it) and exported (a disclosure).
    if cases or people:
        s62.record(
            actor=user,
            operation=Operation.CONSULTATION,
            cases=list(cases.values()),
            person_ids=people,
            justification_kind=JustificationKind.STATED,
            justification="DMM pack for the daily management meeting (D-01).",
            detail={"view": "dmm_pack", "meeting": str(meeting.public_id)},
        )
    services.pack_disclosed(actor=user, meeting=meeting, cases=list(cases.values()), person_ids=people)
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf()  # WeasyPrint has no types
    return pdf
