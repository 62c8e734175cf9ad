"""Every write a person makes to their inbox, declared once: input model, service, API route, page.

Everyone signed in has an inbox (administrators and partners too): every role holds
``notifications:inbox:manage``, which an API token must carry as a scope to mark read or acknowledge.
Each route loads the notification from the caller's own (another's answers 404), and the service says
the same.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from haven.accounts.models import User
from haven.core.errors import NotFound
from haven.core.operations import Api, declare
from haven.core.permissions import Perm
from haven.notifications import selectors, services
from haven.notifications.models import Notification
from haven.notifications.schemas import (
    NotificationAcknowledgeIn,
    NotificationOut,
    NotificationReadIn,
    NotificationsMarkedOut,
    NotificationsReadAllIn,
)


def notification_of(actor: User, notification_id: UUID | str) -> Notification:
    """The caller's own notification with this id, else 404 (the same for another's and a missing one)."""
    notification = selectors.notification_get(user=actor, public_id=notification_id)
    if notification is None:
        raise NotFound("Not found.")
    return notification


def _marked(actor: User, count: int) -> dict[str, Any]:
    return {"marked": count}


notification_mark_read = declare(
    "notifications.notification_mark_read",
    input=NotificationReadIn,
    perm=Perm.NOTIFICATIONS_INBOX_MANAGE,
    service=services.notification_mark_read,
    target="notification",
    api=Api(
        "POST",
        "/{notification_id}/read",
        out=NotificationOut,
        status=200,
        load=notification_of,
        errors=(),
        summary="Mark read",
    ),
    page="notifications:read",
)

notification_acknowledge = declare(
    "notifications.notification_acknowledge",
    input=NotificationAcknowledgeIn,
    perm=Perm.NOTIFICATIONS_INBOX_MANAGE,
    service=services.notification_acknowledge,
    target="notification",
    api=Api(
        "POST",
        "/{notification_id}/acknowledge",
        out=NotificationOut,
        status=200,
        load=notification_of,
        summary="Acknowledge a notification that needs it (it stops escalating)",
    ),
    page="notifications:acknowledge",
)

notification_mark_all_read = declare(
    "notifications.notification_mark_all_read",
    input=NotificationsReadAllIn,
    perm=Perm.NOTIFICATIONS_INBOX_MANAGE,
    service=services.notification_mark_all_read,
    api=Api(
        "POST",
        "/read-all",
        out=NotificationsMarkedOut,
        status=200,
        answer=_marked,
        errors=(),
        summary="Mark every notification read, except those awaiting acknowledgement",
    ),
    page="notifications:read-all",
)
