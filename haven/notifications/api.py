"""The notifications routes of the JSON API (registered in config/api.py at /api/v1/notifications).

Everyone signed in has an inbox; each caller sees only their own notifications (others' answer 404).
Every role holds ``notifications:inbox:view`` (reading) and ``notifications:inbox:manage`` (marking
read, acknowledging); an API token needs them among its scopes like any other permission.
The writes are the routes of haven/notifications/operations.py.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.params import functions as params

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.permissions import Perm
from haven.notifications import operations, selectors
from haven.notifications.schemas import NotificationCountOut, NotificationOut
from haven.notifications.views import _log_cases

router = Router(tags=["notifications"])


class NotificationPage(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get(
    "",
    auth=needs(Perm.NOTIFICATIONS_INBOX_VIEW),
    response={200: list[NotificationOut], **errors(422)},
    summary="Your notifications, newest first",
)
def notification_list(
    request: HttpRequest,
    page: Query[NotificationPage],
    unread: bool = params.Query(False, description="Only unread ones and those awaiting acknowledgement."),
) -> object:
    user = actor(request)
    rows = selectors.notifications_for(user=user)
    if unread:
        rows = selectors.unread_for(user=user)
    items = list(rows[page.offset : page.offset + page.limit])
    _log_cases(user, items)
    return items


@router.get(
    "/count",
    auth=needs(Perm.NOTIFICATIONS_INBOX_VIEW),
    response={200: NotificationCountOut, **errors()},
    summary="How many notifications need your attention",
)
def notification_count(request: HttpRequest) -> object:
    return {"unread": selectors.unread_count(user=actor(request))}


mount(
    router,
    operations.notification_mark_all_read,
    operations.notification_mark_read,
    operations.notification_acknowledge,
)
