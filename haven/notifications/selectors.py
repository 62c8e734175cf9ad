"""Every read of the inbox: a user sees only their own notifications."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from haven.notifications.models import Notification

if TYPE_CHECKING:
    from haven.accounts.models import User


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).select_related("case")


def notification_get(*, user: User, public_id: object) -> Notification | None:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return notifications_for(user=user).filter(public_id=key).first()


def unread_for(*, user: User) -> QuerySet[Notification]:
    """Unread notifications plus those still awaiting acknowledgement, newest first."""
    return notifications_for(user=user).filter(
        Q(read_at__isnull=True) | Q(requires_ack=True, acknowledged_at__isnull=True)
    )


def unread_count(*, user: User) -> int:
    """The header count: unread notifications plus those still awaiting acknowledgement."""
    return unread_for(user=user).count()


def notifications_with_ids(ids: list[int]) -> QuerySet[Notification]:
    """The notifications ``ids``, unscoped: for the deadline sweep, which escalates those nobody
    acknowledged in time (it chose them by locking their rows)."""
    return Notification.objects.filter(id__in=ids)
