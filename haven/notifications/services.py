"""Every write to the inbox: send, mark read, acknowledge. Each runs in the caller's transaction.

Marking read and acknowledging are the recipient's own writes (haven/notifications/operations.py):
anyone signed in may make them, on their own notifications only.

E-mail goes through Haven's outbox (haven.core.outbox): owed in the caller's transaction, sent only
after it commits, and tried again while the mail server is down. It says no more than the case
reference and a link unless force policy allows the text (``notifications.email_text``).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from haven.core import clock
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.core.outbox import email_owe, emails_owe
from haven.notifications.models import Notification, NotificationSeverity
from haven.notifications.policy import EMAIL_TEXT
from haven.notifications.schemas import NotificationAcknowledgeIn, NotificationReadIn, NotificationsReadAllIn
from haven.policy.selectors import policy_value

if TYPE_CHECKING:
    from datetime import datetime

    from haven.accounts.models import User
    from haven.cases.models import Case
    from haven.deadlines.models import Deadline

log = logging.getLogger("haven.notifications")

SUBJECT_MAX = 200


def _email_text_allowed() -> bool:
    """Force policy: may the notification's own words go in the e-mail? (default: no, reference only)."""
    return policy_value(EMAIL_TEXT)


def email_content(notification: Notification) -> tuple[str, str]:
    """The e-mail's subject and body: the case reference and a link, no names or details.

    E-mail leaves the force's systems, so by default it carries only what a recipient needs to open
    Haven: severity, case reference and whether an acknowledgement is needed.
    """
    severity = NotificationSeverity(notification.severity).label
    reference = notification.case.reference if notification.case is not None else ""
    about = f" about case {reference}" if reference else ""
    subject = f"Haven ({settings.HAVEN_FORCE_NAME}): {severity.lower()} notification{about}"
    inbox = f"{settings.HAVEN_BASE_URL}{reverse('notifications:inbox')}"
    lines = [f"You have a new {severity.lower()} notification in Haven{about}."]
    if notification.requires_ack:
        lines.append("It needs your acknowledgement in Haven; if it is not acknowledged in time it is escalated.")
    if _email_text_allowed():
        lines += ["", notification.subject, "", notification.body]
    lines += ["", f"Open your Haven inbox to read it: {inbox}", "", "This message was sent automatically."]
    return subject, "\n".join(lines)


EMAIL = "notifications.notification"
"""The outbox's kind for a notification's e-mail (haven.core.outbox; registered by NotificationsConfig.ready())."""


def notification_email(recipient: User | None, context: dict[str, Any]) -> tuple[str, str] | None:
    """The words of a notification's e-mail, written when the outbox sends it (None: it is gone)."""
    notification = Notification.objects.select_related("case").filter(pk=int(context["notification"])).first()
    return email_content(notification) if notification is not None else None


TEAM_EMAIL = "notifications.team_escalation"
"""The outbox's kind for an escalation told to a team's shared inbox (registered by NotificationsConfig.ready())."""


def team_email_after_commit(*, email: str, case: Case, severity: str) -> None:
    """Tell a team's shared inbox of an escalation on one of its cases (case reference only): owed in
    the caller's transaction, sent after it commits, kept while the mail server is down."""
    context = {"reference": case.reference, "case": str(case.public_id), "severity": severity}
    email_owe(address=email, kind=TEAM_EMAIL, context=context, after_commit=True)


def team_email(to: User | None, context: dict[str, Any]) -> tuple[str, str]:
    """The words of a team inbox's escalation e-mail, written when the outbox sends it."""
    reference = context["reference"]
    label = NotificationSeverity(context["severity"]).label.lower()
    link = f"{settings.HAVEN_BASE_URL}{reverse('cases:detail', args=[context['case']])}"
    return (
        f"Haven ({settings.HAVEN_FORCE_NAME}): {label} escalation about case {reference}",
        f"A deadline on case {reference} has been escalated ({label}).\n\n"
        f"Open the case in Haven: {link}\n\nThis message was sent automatically.",
    )


def notification_send(
    *,
    recipient: User,
    subject: str,
    body: str,
    case: Case | None = None,
    link: str = "",
    requires_ack: bool = False,
    severity: str = "info",
    deadline: Any = None,
    level: str = "",
    email: bool = True,
    ack_by_link: bool = False,
) -> Notification:
    """Put a notification in ``recipient``'s inbox and e-mail them after commit (``email=False``: inbox only).

    ``requires_ack`` notifications stay flagged until acknowledged and escalate when they are not.
    ``deadline`` and ``level`` are set by the deadlines sweep (which deadline, which ladder level).
    ``ack_by_link``: acknowledged by doing what the link leads to (the deadline being met), not a button.
    """
    if severity not in NotificationSeverity.values:
        raise ValidationFailed("Unknown severity.", fields={"severity": ["Choose a severity."]})
    subject = (subject or "").strip()
    if not subject:
        raise ValidationFailed("A notification needs a subject.", fields={"subject": ["Enter a subject."]})
    notification = Notification.objects.create(
        recipient=recipient,
        case=case,
        deadline=deadline,
        subject=subject[:SUBJECT_MAX],
        body=body or "",
        link=link or "",
        severity=severity,
        requires_ack=requires_ack or ack_by_link,
        ack_by_link=ack_by_link,
        level=level,
    )
    if email:  # sent straight after commit; what the server does not take, the outbox sends later
        email_owe(to=recipient, kind=EMAIL, context={"notification": notification.pk}, after_commit=True)
    return notification


def _check(notification: Notification) -> None:
    """What ``notification_send`` checks of one notification, for those made in a batch."""
    if notification.severity not in NotificationSeverity.values:
        raise ValidationFailed("Unknown severity.", fields={"severity": ["Choose a severity."]})
    notification.subject = (notification.subject or "").strip()[:SUBJECT_MAX]
    if not notification.subject:
        raise ValidationFailed("A notification needs a subject.", fields={"subject": ["Enter a subject."]})
    notification.requires_ack = notification.requires_ack or notification.ack_by_link


_SEVERITY_RANK = {value: rank for rank, value in enumerate(NotificationSeverity.values)}
_TOLD_FIELDS = [
    "subject",
    "body",
    "link",
    "severity",
    "level",
    "requires_ack",
    "acknowledged_at",
    "ack_escalated_at",
    "read_at",
    "told_at",
    "told_count",
    "updated_at",
]


def _louder(first: Notification, second: Notification) -> Notification:
    return second if _SEVERITY_RANK[second.severity] >= _SEVERITY_RANK[first.severity] else first


def notifications_tell_about_deadlines(notifications: list[Notification]) -> list[Notification]:
    """Tell each recipient about their deadline: one inbox item per deadline and recipient.

    A recipient already told about the deadline has that item updated (the new words, at least as
    severe as before, unread again, needing acknowledgement again if the new step does, ``told_at``
    now so it is back at the top, ``told_count`` up by the steps that told them) and e-mailed again;
    anyone else gets a new item. A set: one SELECT of
    the items already there (locked), one UPDATE, one INSERT, whatever the batch's size. Returns the
    items, updated and new. Every notification must have a deadline (``notification_draft``).
    """
    drafts: dict[tuple[int, int], Notification] = {}
    counts: Counter[tuple[int, int]] = Counter()
    for notification in notifications:
        if notification.deadline_id is None:
            raise ValueError("notifications_tell_about_deadlines: every notification needs a deadline.")
        _check(notification)
        pair = (notification.deadline_id, notification.recipient_id)
        drafts[pair] = _louder(drafts[pair], notification) if pair in drafts else notification
        counts[pair] += 1
    if not drafts:
        return []
    existing = {
        (n.deadline_id, n.recipient_id): n
        for n in Notification.objects.filter(
            deadline_id__in={d for d, _ in drafts}, recipient_id__in={r for _, r in drafts}
        )
        .select_for_update(of=("self",))
        .order_by("id")
        if (n.deadline_id, n.recipient_id) in drafts
    }
    now = clock.now()
    updated: list[Notification] = []
    new: list[Notification] = []
    for pair, draft in drafts.items():
        item = existing.get(pair)
        if item is None:
            draft.told_at = now
            draft.told_count = counts[pair]
            new.append(draft)
            continue
        item.subject, item.body, item.link, item.level = draft.subject, draft.body, draft.link, draft.level
        item.severity = _louder(item, draft).severity
        if draft.requires_ack:  # a critical step asks for acknowledgement again (and escalates without it)
            item.requires_ack = True
            item.acknowledged_at = None
            item.ack_escalated_at = None
        item.read_at = None
        item.told_at = now
        item.told_count += counts[pair]
        item.updated_at = now
        updated.append(item)
    if updated:
        Notification.objects.bulk_update(updated, _TOLD_FIELDS)
    if new:
        new = Notification.objects.bulk_create(new)
    told = [*updated, *new]
    # One outbox row each, sent by one worker job queued in this transaction: the sweep itself sends
    # nothing, so a slow mail server cannot hold back escalations.
    # An item told again whose e-mail is still owed is not owed twice: it is written when it is sent.
    recipients = {draft.recipient_id: draft.recipient for draft in drafts.values()}
    emails_owe(((recipients[n.recipient_id], EMAIL, {"notification": n.pk}) for n in told), once_per="notification")
    return told


def _mine(actor: User, notification: Notification) -> None:
    """Only the recipient acts on a notification: anyone else's is NotFound, as if it did not exist."""
    if notification.recipient_id != actor.pk:
        raise NotFound("Not found.")


@transaction.atomic
def notification_mark_read(
    *, actor: User, notification: Notification, data: NotificationReadIn | None = None
) -> Notification:
    """Mark one of the actor's notifications read (idempotent). ``data`` says nothing."""
    _mine(actor, notification)
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: User, data: NotificationsReadAllIn | None = None) -> int:
    """Mark every unread notification of the actor read, except those awaiting acknowledgement."""
    now = clock.now()
    return (
        Notification.objects.filter(recipient=actor, read_at__isnull=True)
        .exclude(requires_ack=True, acknowledged_at__isnull=True)
        .update(read_at=now, updated_at=now)
    )


@transaction.atomic
def notification_acknowledge(
    *, actor: User, notification: Notification, data: NotificationAcknowledgeIn | None = None
) -> Notification:
    """Acknowledge a notification that asks for it: it stops escalating. Only its recipient may."""
    _mine(actor, notification)
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if not notification.requires_ack:
        raise Conflict("This notification does not need acknowledging.")
    if notification.ack_by_link and notification.acknowledged_at is None:
        raise Conflict("Open the link and do what it asks (for example accept the handover) to acknowledge this.")
    if notification.acknowledged_at is None:
        now = clock.now()
        notification.acknowledged_at = now
        notification.read_at = notification.read_at or now
        notification.save(update_fields=["acknowledged_at", "read_at"])
    return notification


# --- For the deadline sweep (haven.deadlines.sweep) -----------------------------------------------


def notification_draft(
    *,
    recipient: User,
    subject: str,
    body: str,
    case: Case | None,
    link: str,
    requires_ack: bool,
    severity: str,
    deadline: Deadline,
    level: str,
) -> Notification:
    """One escalation's notification, not yet sent: the sweep drafts a batch and tells them together with
    :func:`notifications_tell_about_deadlines`, which checks each as ``notification_send`` does."""
    return Notification(
        recipient=recipient,
        subject=subject,
        body=body,
        case=case,
        link=link,
        requires_ack=requires_ack,
        severity=severity,
        deadline=deadline,
        level=level,
    )


def notifications_settle_for_deadline(*, deadline: Deadline, now: datetime) -> int:
    """``deadline`` was met or cancelled: the notifications acknowledged by acting on it (a handover's,
    ``ack_by_link``) are done. How many were settled."""
    return Notification.objects.filter(deadline=deadline, ack_by_link=True, acknowledged_at__isnull=True).update(
        acknowledged_at=now, read_at=now, updated_at=now
    )


def notification_ack_escalated(notification: Notification, *, now: datetime) -> None:
    """Nobody acknowledged ``notification`` in time and the sweep told the level above: never again."""
    notification.ack_escalated_at = now
    notification.save(update_fields=["ack_escalated_at"])
