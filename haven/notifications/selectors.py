"""Every read of the inbox: a user sees only their own notifications."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from haven.cases.selectors import case_visible_to
from haven.notifications.models import Notification

if TYPE_CHECKING:
    from haven.accounts.models import User


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).select_related("case", "deadline")


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


@dataclass(frozen=True)
class InboxRow:
    """One notification as the inbox shows it: ``about`` is the child's (the case subject's) name when
    the reader may see the case now, else the case reference, else empty. Resolved when the inbox is
    shown, never stored: the notification itself (and its e-mail, DP-01) names nobody."""

    notification: Notification
    about: str


def inbox_rows(*, user: User, notifications: list[Notification]) -> list[InboxRow]:
    """The inbox's rows, with the child's name for the cases ``user`` may see (``case_visible_to``)."""
    case_ids = {n.case_id for n in notifications if n.case_id is not None}
    names: dict[int, str] = {}
    if case_ids:
        visible = case_visible_to(user).filter(pk__in=case_ids)
        for pk, forenames, surname in visible.values_list("pk", "subject__forenames", "subject__surname"):
            names[pk] = f"{forenames} {surname}".strip()
    return [
        InboxRow(
            notification=n,
            about="" if n.case_id is None or n.case is None else names.get(n.case_id) or n.case.reference,
        )
        for n in notifications
    ]


def inbox_poll_seconds() -> int:
    """How often pages poll for what changed (the header's inbox count, the home page's deadlines)."""
    from django.conf import settings

    from haven.notifications.policy import INBOX_POLL_SECONDS

    return int(getattr(settings, "HAVEN_INBOX_POLL_SECONDS", INBOX_POLL_SECONDS))
