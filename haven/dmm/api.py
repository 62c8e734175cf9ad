"""The DMM routes of the JSON API (registered in config/api.py at /api/v1/dmm).

The board is the same as the page: every section's rows for the caller, logged as one s62 consultation.
Writes are built from their declarations in ``haven.dmm.operations``.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.params import functions as params
from pydantic import StringConstraints

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.permissions import Perm
from haven.core.types import Line
from haven.dmm import operations, selectors
from haven.dmm.board import board_build
from haven.dmm.schemas import BoardOut, MeetingDetailOut, MeetingOut, ObligationOut
from haven.dmm.sections import Filters

router = Router(tags=["dmm"])

TeamCode = Annotated[str, StringConstraints(pattern=r"^[\w-]{0,16}$")]


class BoardQuery(Schema):
    team: TeamCode = Field("", description="A team code: only that team's cases.")
    area: Annotated[str, Line(200)] = Field("", description="A local-authority area: only cases in it.")
    limit: int | None = Field(
        None, ge=1, le=10_000, description="At most this many rows per section, the worst first (default: every row)."
    )


@router.get(
    "/board",
    auth=needs(Perm.DMM_BOARD_VIEW),
    response={200: BoardOut, **errors(422)},
    summary="The DMM board: every section and the counts",
)
def board(request: HttpRequest, filters: Query[BoardQuery]) -> object:
    user = actor(request)
    return board_build(
        user=user,
        filters=Filters(team=filters.team, area=filters.area.strip()),
        limit=filters.limit,
        detail={"view": "dmm_board_api"},
    )


@router.get(
    "/meetings",
    auth=needs(Perm.DMM_BOARD_VIEW),
    response={200: list[MeetingOut], **errors(422)},
    summary="Meetings, latest first",
)
def meeting_list(
    request: HttpRequest, limit: int = params.Query(50, ge=1, le=500), offset: int = params.Query(0, ge=0, le=1_000_000)
) -> object:
    user = actor(request)
    return list(selectors.meeting_list(user=user)[offset : offset + limit])


@router.get(
    "/meetings/{meeting_id}",
    auth=needs(Perm.DMM_BOARD_VIEW),
    response={200: MeetingDetailOut, **errors(404, 422)},
    summary="One meeting's record",
)
def meeting_get(request: HttpRequest, meeting_id: UUID) -> object:
    user = actor(request)
    return selectors.meeting_record(user=user, meeting=selectors.meeting_get(user=user, public_id=meeting_id))


@router.get(
    "/cases/{case_id}/obligations",
    auth=needs(Perm.DMM_BOARD_VIEW),
    response={200: list[ObligationOut], **errors(404, 422)},
    summary="The case's open obligations a DMM action may meet (its ``meets``)",
)
def obligations(request: HttpRequest, case_id: UUID) -> object:
    user = actor(request)
    return selectors.obligation_choices(user=user, case_id=case_id)


mount(
    router,
    operations.meeting_start,
    operations.decision_record,
    operations.meeting_close,
    operations.action_complete,
    operations.action_cancel,
)
