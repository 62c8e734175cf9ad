"""The notifications routes of the JSON API (registered in config/api.py at /api/v1/notifications).

Everyone signed in has an inbox; each caller sees only their own notifications (others' answer 404).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from haven.api.auth import actor
from haven.api.errors import errors
from haven.notifications import selectors, services
from haven.notifications.models import Notification, NotificationSeverity
from haven.notifications.views import _log_cases

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: UUID
    created_at: datetime
    subject: str
    body: str
    severity: NotificationSeverity
    case_id: UUID | None
    case_reference: str | None
    link: str = Field(description="A path inside Haven, or empty.")
    requires_ack: bool
    ack_by_link: bool = Field(description="Acknowledged by doing what the link asks (a handover), not by this API.")
    read_at: datetime | None
    acknowledged_at: datetime | None


class NotificationCountOut(Schema):
    unread: int = Field(description="Unread notifications plus those awaiting acknowledgement.")


class NotificationPage(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.public_id,
        "created_at": n.created_at,
        "subject": n.subject,
        "body": n.body,
        "severity": n.severity,
        "case_id": n.case.public_id if n.case is not None else None,
        "case_reference": n.case.reference if n.case is not None else None,
        "link": n.link,
        "requires_ack": n.requires_ack,
        "ack_by_link": n.ack_by_link,
        "read_at": n.read_at,
        "acknowledged_at": n.acknowledged_at,
    }


@router.get("", response={200: list[NotificationOut], **errors(422)}, summary="Your notifications, newest first")
def notification_list(
    request: HttpRequest,
    page: Query[NotificationPage],
    unread: bool = Query(False, description="Only unread ones and those awaiting acknowledgement."),
) -> object:
    user = actor(request)
    rows = selectors.notifications_for(user=user)
    if unread:
        rows = selectors.unread_for(user=user)
    items = list(rows[page.offset : page.offset + page.limit])
    _log_cases(user, items)
    return [_out(n) for n in items]


@router.get(
    "/count", response={200: NotificationCountOut, **errors()}, summary="How many notifications need your attention"
)
def notification_count(request: HttpRequest) -> object:
    return {"unread": selectors.unread_count(user=actor(request))}


@router.post("/{notification_id}/read", response={200: NotificationOut, **errors(404, 422)}, summary="Mark read")
def notification_read(request: HttpRequest, notification_id: UUID) -> object:
    return _out(services.notification_mark_read(actor=actor(request), public_id=notification_id))


@router.post(
    "/{notification_id}/acknowledge",
    response={200: NotificationOut, **errors(404, 409, 422)},
    summary="Acknowledge a notification that needs it (it stops escalating)",
)
def notification_acknowledge(request: HttpRequest, notification_id: UUID) -> object:
    return _out(services.notification_acknowledge(actor=actor(request), public_id=notification_id))
