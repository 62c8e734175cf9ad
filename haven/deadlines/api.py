"""The deadlines routes of the JSON API (registered in config/api.py at /api/v1/deadlines).

Read-only: deadlines are created, met and cancelled by the domain services of the records they serve.
Every list goes through the cases the caller may see and is logged as a consultation of those cases.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.cases.selectors import case_get, case_read_record
from haven.core.permissions import Perm
from haven.deadlines import presenters, selectors
from haven.deadlines.models import Deadline, DeadlineState, Escalation
from haven.deadlines.registry import Notify, Severity

if TYPE_CHECKING:
    from haven.cases.models import Case

router = Router(tags=["deadlines"])


class DeadlineWhose(StrEnum):
    MINE = "mine"
    TEAM = "team"


class DeadlineStepOut(Schema):
    offset_minutes: int = Field(description="From the due time; negative is before it.")
    notify: Notify
    severity: Severity


class DeadlineOut(Schema):
    id: UUID
    case_id: UUID | None = Field(description="None for a person's own duty on no case (a refresher, T-02).")
    case_reference: str | None
    kind: str
    kind_label: str
    rule_id: str
    what: str
    due_at: datetime
    state: DeadlineState
    overdue: bool
    time_left: str = Field(description='In words: "due in 2 h 10 min", "overdue by 35 min".')
    responsible_user: str | None = Field(description="The responsible user's username.")
    responsible_team: str | None = Field(description="The responsible team's code.")
    met_at: datetime | None
    met_how: str
    cancelled_at: datetime | None
    cancelled_reason: str
    ladder: list[DeadlineStepOut] = Field(description="The escalation ladder copied when the deadline was created.")


class EscalationState(StrEnum):
    PENDING = "pending"
    FIRED = "fired"
    SKIPPED = "skipped"


class EscalationOut(Schema):
    deadline_id: UUID
    deadline_kind: str = Field(description="The deadline's kind, e.g. `missing.review`.")
    case_id: UUID
    case_reference: str
    step: int = Field(description="The rung of the deadline's ladder, from 1.")
    offset_minutes: int = Field(description="From the due time; negative is before it.")
    notify: Notify = Field(description="Who the ladder says to tell at this step.")
    notified_level: str = Field(description="Who was actually told (stepped up when nobody held the rank), or empty.")
    severity: Severity
    fire_at: datetime
    fired_at: datetime | None
    state: EscalationState = Field(
        description="pending: not yet due; fired: the recipients were told; skipped: not sent, the deadline was "
        "met, cancelled or moved on."
    )
    recipients: list[UUID] = Field(description="The users told (their ids), when it fired.")


class EscalationQuery(Schema):
    deadline: UUID | None = Field(None, description="Only this deadline's steps.")
    fired: bool | None = Field(None, description="true: only steps that fired; false: only those that did not.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class DeadlinePage(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


def _out(row: presenters.DeadlineRow) -> dict[str, Any]:
    d: Deadline = row.deadline
    case = d.case  # None: the caller's own duty on no case ("mine" holds those too)
    return {
        "id": d.public_id,
        "case_id": case.public_id if case else None,
        "case_reference": case.reference if case else None,
        "kind": d.kind,
        "kind_label": row.label,
        "rule_id": d.rule_id,
        "what": d.what,
        "due_at": d.due_at,
        "state": d.state,
        "overdue": row.overdue,
        "time_left": row.words,
        "responsible_user": d.responsible_user.username if d.responsible_user else None,
        "responsible_team": d.responsible_team.code if d.responsible_team else None,
        "met_at": d.met_at,
        "met_how": d.met_how,
        "cancelled_at": d.cancelled_at,
        "cancelled_reason": d.cancelled_reason,
        "ladder": d.ladder,
    }


def _respond(user: Any, deadlines: list[Deadline], query: str = "") -> list[dict[str, Any]]:
    case_read_record(
        user=user, cases=[d.case for d in {d.case_id: d for d in deadlines}.values() if d.case is not None], query=query
    )
    return [_out(r) for r in presenters.rows(deadlines)]


@router.get(
    "",
    auth=needs(Perm.CASES_CASE_VIEW),
    response={200: list[DeadlineOut], **errors(422)},
    summary="Your (or your team's) open deadlines",
)
def deadline_list(
    request: HttpRequest,
    page: Query[DeadlinePage],
    whose: DeadlineWhose = DeadlineWhose.MINE,
) -> object:
    user = actor(request)
    query = selectors.team_deadlines(user=user) if whose == DeadlineWhose.TEAM else selectors.my_deadlines(user=user)
    return _respond(user, list(query[page.offset : page.offset + page.limit]), request.GET.urlencode())


@router.get(
    "/feed",
    auth=needs(Perm.DMM_BOARD_VIEW),
    response={200: list[DeadlineOut], **errors(422)},
    summary="Daily management meeting feed: overdue (worst first) and due within 24 hours",
)
def deadline_feed(request: HttpRequest, page: Query[DeadlinePage]) -> object:
    user = actor(request)
    deadlines = selectors.deadline_feed(user=user)[page.offset : page.offset + page.limit]
    return _respond(user, deadlines, request.GET.urlencode())


def _escalation_out(e: Escalation) -> dict[str, Any]:
    state = EscalationState.SKIPPED if e.skipped else EscalationState.FIRED if e.fired_at else EscalationState.PENDING
    return {
        "deadline_id": e.deadline.public_id,
        "deadline_kind": e.deadline.kind,
        "case_id": cast("Case", e.deadline.case).public_id,
        "case_reference": cast("Case", e.deadline.case).reference,
        "step": e.step,
        "offset_minutes": e.offset_minutes,
        "notify": e.notify,
        "notified_level": e.notified_level,
        "severity": e.severity,
        "fire_at": e.fire_at,
        "fired_at": e.fired_at,
        "state": state,
        "recipients": [r for r in e.recipients if isinstance(r, str)],
    }


@router.get(
    "/escalations",
    auth=needs(Perm.CASES_CASE_VIEW),
    response={200: list[EscalationOut], **errors(404, 422)},
    summary="Escalations: each step of the ladders of the deadlines on cases you can see, the latest first",
)
def escalation_list(request: HttpRequest, query: Query[EscalationQuery]) -> object:
    user = actor(request)
    rows = selectors.escalations_visible_to(user=user, deadline=query.deadline, fired=query.fired)
    shown = list(rows[query.offset : query.offset + query.limit])
    case_read_record(
        user=user,
        cases=[e.deadline.case for e in {e.deadline.case_id: e for e in shown}.values() if e.deadline.case is not None],
        query=request.GET.urlencode(),
    )
    return [_escalation_out(e) for e in shown]


@router.get(
    "/cases/{case_id}",
    auth=needs(Perm.CASES_CASE_VIEW),
    response={200: list[DeadlineOut], **errors(404, 422)},
    summary="A case's deadlines",
)
def case_deadlines(request: HttpRequest, case_id: UUID) -> object:
    user = actor(request)
    case = case_get(user=user, public_id=case_id)  # logs the consultation; 404 if hidden
    return [_out(r) for r in presenters.rows(selectors.deadlines_for_case(user=user, case=case))]
