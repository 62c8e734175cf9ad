"""The audit routes of the JSON API (registered in config/api.py at /api/v1/audit)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.audit import selectors
from haven.audit.choices import Operation
from haven.core.errors import ValidationFailed
from haven.core.permissions import Perm
from haven.core.types import Moment

router = Router(tags=["audit"])


class EventFilter(Schema):
    person: UUID | None = Field(None, description="A person's public id: who accessed this person.")
    case: UUID | None = Field(None, description="A case's public id: who accessed this case.")
    user: str | None = Field(
        None,
        max_length=150,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="A username (as it is now or was then), a user id or a user's name: what they accessed.",
    )
    operation: Operation | None = Field(None, description="Only this kind of processing.")
    since: Moment | None = Field(None, description="From this time (inclusive), with a time zone.")
    until: Moment | None = Field(None, description="Before this time (exclusive), with a time zone.")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class EventOut(Schema):
    id: UUID = Field(alias="public_id")
    occurred_at: datetime
    operation: str
    outcome: str
    username: str = Field(alias="actor_username", description="The username when the event happened.")
    person_ids: list[UUID]
    case_ids: list[UUID]
    justification_kind: str
    justification: str
    recipients: list[dict[str, Any]]
    channel: str
    query: str
    request_id: str


class EventPage(Schema):
    count: int = Field(description="How many events match in all.")
    events: list[EventOut]


# DP-02: the log is not shown to exist to anyone who may not read it (404, not 403), token or session.
AUDITORS = needs(Perm.AUDIT_LOG_VIEW, hidden=True)


@router.get(
    "/events",
    auth=AUDITORS,
    response={200: EventPage, **errors(403, 404, 422)},
    summary="Search the s62 log: who accessed a person or case, what a user accessed",
)
def event_list(request: HttpRequest, filters: Query[EventFilter]) -> dict[str, Any]:
    user = actor(request)
    log_filter = selectors.LogFilter(
        person=filters.person,
        case=filters.case,
        user=(filters.user or "").strip(),
        since=filters.since,
        until=filters.until,
        operation=filters.operation.value if filters.operation else "",
    )
    if log_filter.is_empty:
        raise ValidationFailed("Name a person, a case or a user.", fields={"__all__": ["Give person, case or user."]})
    events, total = selectors.access_event_search(
        actor=user, log_filter=log_filter, limit=filters.limit, offset=filters.offset, channel="api"
    )
    return {"count": total, "events": events}


class SubjectAccessOut(Schema):
    person: UUID
    generated_at: datetime
    truncated: bool = Field(description="True when only the newest events are listed.")
    by_operation: dict[str, int]
    events: list[EventOut]


@router.get(
    "/subject-access/{person_id}",
    auth=AUDITORS,
    response={200: SubjectAccessOut, **errors(403, 404, 422)},
    summary="Subject-access report: every processing of one person's data the log records",
)
def subject_access(request: HttpRequest, person_id: UUID) -> dict[str, Any]:
    user = actor(request)
    report = selectors.subject_access_report(actor=user, person=person_id, channel="api")
    return {
        "person": report.person,
        "generated_at": report.generated_at,
        "truncated": report.truncated,
        "by_operation": report.by_operation,
        "events": report.events,
    }
