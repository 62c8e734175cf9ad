"""The DMM routes of the JSON API (registered in config/api.py at /api/v1/dmm).

The board is the same as the page: every section's rows for the caller, logged as one s62 consultation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from haven.accounts.models import User
from haven.api.auth import require
from haven.api.errors import errors
from haven.core.types import Moment
from haven.cases.selectors import case_get
from haven.core.errors import ValidationFailed
from haven.core.permissions import Perm
from haven.dmm import selectors, services
from haven.dmm.board import board_build
from haven.dmm.choices import ActionState, MeetingState
from haven.dmm.models import Action, Meeting
from haven.dmm.sections import Filters

router = Router(tags=["dmm"])

PlainText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$")]
LongText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")]
Username = Annotated[str, StringConstraints(pattern=r"^[\w.@+-]{1,150}$")]
TeamCode = Annotated[str, StringConstraints(pattern=r"^[\w-]{0,16}$")]


class BoardQuery(Schema):
    team: TeamCode = Field("", description="A team code: only that team's cases.")
    area: PlainText = Field("", max_length=200, description="A local-authority area: only cases in it.")
    limit: int | None = Field(
        None, ge=1, le=10_000, description="At most this many rows per section, the worst first (default: every row)."
    )


class CountOut(Schema):
    key: str
    label: str
    value: int | None = Field(description="None: not available yet (the records are not in Haven yet).")


class RowOut(Schema):
    case_id: UUID | None
    case_reference: str | None
    person_id: UUID | None
    person_name: str | None
    details: dict[str, Any]


class SectionOut(Schema):
    key: str
    title: str
    order: int
    available: bool
    total: int = Field(description="How many rows the section has in all (``rows`` may list only the worst).")
    rows: list[RowOut]


class BoardOut(Schema):
    updated_at: datetime
    sweep_running: bool = Field(description="False when the deadline sweep has not run lately: escalations are behind.")
    counts: list[CountOut]
    sections: list[SectionOut]


class UserRef(Schema):
    username: str
    name: str


class MeetingOut(Schema):
    id: UUID
    held_on: date
    chair: UserRef
    state: MeetingState
    started_at: datetime
    closed_at: datetime | None


class ActionOut(Schema):
    id: UUID
    case_id: UUID
    case_reference: str
    what: str
    owner: UserRef
    due_at: datetime
    state: ActionState
    carried: bool = Field(description="Carried forward into this meeting from an earlier one (D-02).")
    state_at_close: ActionState | None
    outcome: str


class DecisionOut(Schema):
    id: UUID
    case_id: UUID
    case_reference: str
    section: str
    text: str
    recorded_at: datetime
    recorded_by: UserRef
    actions: list[UUID]


class MeetingDetailOut(MeetingOut):
    attendees: list[UserRef]
    other_attendees: str
    decisions: list[DecisionOut]
    actions: list[ActionOut]


class MeetingIn(Schema):
    held_on: date | None = Field(None, description="The day of the meeting; today if left out.")
    chair: Username | None = Field(None, description="The chair's username; you if left out.")
    attendees: list[Username] = Field(default_factory=list, max_length=200)
    other_attendees: LongText = Field("", max_length=5_000)


class ActionIn(Schema):
    what: PlainText = Field(min_length=1, max_length=200)
    owner: Username
    due_at: Moment


class DecisionIn(Schema):
    case: UUID = Field(description="The public id of the board row's case.")
    section: TeamCode = Field("", description="The key of the board section the row was in.")
    text: LongText = Field(min_length=1, max_length=5_000)
    actions: list[ActionIn] = Field(default_factory=list, max_length=10)


class OutcomeIn(Schema):
    outcome: LongText = Field(min_length=1, max_length=5_000)


def _user(user: User) -> dict[str, str]:
    return {"username": user.username, "name": user.rank_and_name}


def _meeting(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.public_id,
        "held_on": m.held_on,
        "chair": _user(m.chair),
        "state": m.state,
        "started_at": m.started_at,
        "closed_at": m.closed_at,
    }


def _action(a: Action, *, carried: bool = False, state_at_close: str = "") -> dict[str, Any]:
    return {
        "id": a.public_id,
        "case_id": a.case.public_id,
        "case_reference": a.case.reference,
        "what": a.what,
        "owner": _user(a.owner),
        "due_at": a.due_at,
        "state": a.state,
        "carried": carried,
        "state_at_close": state_at_close or None,
        "outcome": a.outcome,
    }


def _meeting_detail(user: User, meeting: Meeting, *, log: bool = True) -> dict[str, Any]:
    record = selectors.meeting_record(user=user, meeting=meeting, log=log)
    out = _meeting(meeting)
    out["attendees"] = [_user(u) for u in record.attendees]
    out["other_attendees"] = meeting.other_attendees
    out["decisions"] = [
        {
            "id": d.public_id,
            "case_id": d.case.public_id,
            "case_reference": d.case.reference,
            "section": d.section,
            "text": d.text,
            "recorded_at": d.recorded_at,
            "recorded_by": _user(d.recorded_by),
            "actions": [a.public_id for a in d.actions.all()],
        }
        for d in record.decisions
    ]
    out["actions"] = [
        _action(i.action, carried=i.carried, state_at_close=i.state_at_close) for i in [*record.raised, *record.carried]
    ]
    return out


def _username(name: str, field: str) -> User:
    user = User.objects.filter(username=name, is_active=True).select_related("rank").first()
    if user is None:
        raise ValidationFailed("Check the usernames.", fields={field: [f"There is no active user {name}."]})
    return user


@router.get("/board", response={200: BoardOut, **errors(422)}, summary="The DMM board: every section and the counts")
def board(request: HttpRequest, filters: Query[BoardQuery]) -> object:
    user = require(request, Perm.DMM_BOARD_VIEW)
    built = board_build(
        user=user,
        filters=Filters(team=filters.team, area=filters.area.strip()),
        limit=filters.limit,
        detail={"view": "dmm_board_api"},
    )
    return {
        "updated_at": built.updated_at,
        "sweep_running": built.sweep.alive,
        "counts": [{"key": c.key, "label": c.label, "value": c.value} for c in built.counts],
        "sections": [
            {
                "key": v.key,
                "title": v.title,
                "order": v.order,
                "available": v.available,
                "total": v.total,
                "rows": [
                    {
                        "case_id": r.case.public_id if r.case else None,
                        "case_reference": r.case.reference if r.case else None,
                        "person_id": r.person.public_id if r.person else None,
                        "person_name": str(r.person) if r.person else None,
                        "details": r.details,
                    }
                    for r in v.rows
                ],
            }
            for v in built.sections
        ],
    }


@router.get("/meetings", response={200: list[MeetingOut], **errors(422)}, summary="Meetings, latest first")
def meeting_list(
    request: HttpRequest, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000)
) -> object:
    user = require(request, Perm.DMM_BOARD_VIEW)
    return [_meeting(m) for m in selectors.meeting_list(user=user)[offset : offset + limit]]


@router.post(
    "/meetings",
    response={201: MeetingDetailOut, **errors(400, 409, 422)},
    summary="Start a meeting (D-02: open actions carry into it)",
)
def meeting_start(request: HttpRequest, payload: MeetingIn) -> Status:
    user = require(request, Perm.DMM_MEETING_CHAIR)
    chair = _username(payload.chair, "chair") if payload.chair else None
    attendees = [_username(name, "attendees") for name in dict.fromkeys(payload.attendees)]
    meeting = services.meeting_start(
        actor=user, held_on=payload.held_on, chair=chair, attendees=attendees, other_attendees=payload.other_attendees
    )
    return Status(201, _meeting_detail(user, meeting, log=False))


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingDetailOut, **errors(404, 422)}, summary="One meeting's record"
)
def meeting_get(request: HttpRequest, meeting_id: UUID) -> object:
    user = require(request, Perm.DMM_BOARD_VIEW)
    return _meeting_detail(user, selectors.meeting_get(user=user, public_id=meeting_id))


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: MeetingDetailOut, **errors(400, 404, 409, 422)},
    summary="Record a decision on a case and its actions (D-02: each action becomes a deadline)",
)
def decision_record(request: HttpRequest, meeting_id: UUID, payload: DecisionIn) -> Status:
    user = require(request, Perm.DMM_BOARD_VIEW)
    meeting = selectors.meeting_get(user=user, public_id=meeting_id)  # 404 before 403: board viewers see meetings
    require(request, Perm.DMM_MEETING_CHAIR)
    case = case_get(user=user, public_id=payload.case, log=False)
    actions = [
        {"what": a.what, "owner": _username(a.owner, f"action_{n}_owner"), "due_at": a.due_at, "slot": n}
        for n, a in enumerate(payload.actions, start=1)
    ]
    services.decision_record(
        actor=user, meeting=meeting, case=case, text=payload.text, section=payload.section, actions=actions
    )
    return Status(201, _meeting_detail(user, meeting, log=False))


@router.post(
    "/meetings/{meeting_id}/close",
    response={200: MeetingDetailOut, **errors(404, 409, 422)},
    summary="Close a meeting: its record becomes read-only",
)
def meeting_close(request: HttpRequest, meeting_id: UUID) -> object:
    user = require(request, Perm.DMM_BOARD_VIEW)
    meeting = selectors.meeting_get(user=user, public_id=meeting_id)
    require(request, Perm.DMM_MEETING_CHAIR)
    meeting = services.meeting_close(actor=user, meeting=meeting)
    return _meeting_detail(user, meeting, log=False)


@router.post(
    "/actions/{action_id}/done",
    response={200: ActionOut, **errors(400, 404, 409, 422)},
    summary="Record a DMM action done (its deadline is met)",
)
def action_done(request: HttpRequest, action_id: UUID, payload: OutcomeIn) -> object:
    user = require(request, Perm.DMM_BOARD_VIEW)
    action = selectors.action_get(user=user, public_id=action_id)
    return _action(services.action_complete(actor=user, action=action, outcome=payload.outcome))
