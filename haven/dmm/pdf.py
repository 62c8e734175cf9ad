"""The DMM pack: the meeting's record and the board (D-01), as a PDF drawn by WeasyPrint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from haven.cases import s62
from haven.dmm import selectors, services
from haven.dmm.board import board_build
from haven.dmm.sections import Filters

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.dmm.models import Meeting


@transaction.atomic
def pack_pdf(*, user: User, meeting: Meeting, base_url: str = "") -> bytes:
    """Render the pack; the read of everything in it and its export are logged (s62) with it."""
    from weasyprint import HTML

    record = selectors.meeting_record(user=user, meeting=meeting, log=False)
    board = board_build(user=user, filters=Filters(), log=False)
    html = render_to_string(
        "dmm/pack.html",
        {"record": record, "meeting": meeting, "board": board, "force_name": settings.HAVEN_FORCE_NAME, "user": user},
    )
    cases = {c.pk: c for c in [*board.cases, *record.cases]}
    people = sorted({*board.person_ids, *(c.subject.public_id for c in cases.values())}, key=str)
    # s62: the pack is read (a consultation of everything in it) and exported (a disclosure).
    if cases or people:
        s62.record(
            actor=user,
            operation="consultation",
            cases=list(cases.values()),
            person_ids=people,
            justification_kind=s62.STATED,
            justification="DMM pack for the daily management meeting (D-01).",
            detail={"view": "dmm_pack", "meeting": str(meeting.public_id)},
        )
    services.pack_disclosed(actor=user, meeting=meeting, cases=list(cases.values()), person_ids=people)
    return HTML(string=html, base_url=base_url).write_pdf()
