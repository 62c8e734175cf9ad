"""Every write to the inbox: send, mark read, acknowledge. Each runs in the caller's transaction.

Marking read and acknowledging are the recipient's own writes (haven/notifications/operations.py):
anyone signed in may make them, on their own notifications only.

E-mail goes through Django's mail (MAILERS) only after the transaction commits, and says no more than
the case reference and a link unless force policy allows the text (``notifications.email_text``).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse

from haven.core import clock
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.core.mail import mail_failure
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


OUTBOX_BATCH = 200
"""E-mails sent per transaction (over one SMTP connection) when the outbox is worked through."""

OUTBOX_GIVE_UP = timedelta(days=1)
"""An e-mail that could not be sent for a day is left to the inbox (the notification is still there)."""


def email_outbox_send(*, ids: list[int] | None = None, older_than: timedelta | None = None) -> int:
    """Send the e-mails still owed (``email_pending``): those in ``ids``, or all made before now -
    ``older_than``. Returns how many were sent.

    Rows are taken ``FOR UPDATE SKIP LOCKED`` a batch at a time, so two senders never send one twice;
    a batch goes over one SMTP connection. A failure is recorded on the row (``email_error``) and the
    row stays owed, for the outbox job to try again until ``OUTBOX_GIVE_UP``.
    """
    now = clock.now()
    owed = Notification.objects.filter(email_pending=True, told_at__gte=now - OUTBOX_GIVE_UP)
    if ids is not None:
        owed = owed.filter(pk__in=ids)
    if older_than is not None:
        owed = owed.filter(told_at__lte=now - older_than)
    sent = 0
    tried: list[int] = []
    while True:
        with transaction.atomic():
            batch = list(
                owed.exclude(pk__in=tried)
                .select_related("recipient", "case")
                .select_for_update(of=("self",), skip_locked=True)
                .order_by("told_at", "id")[:OUTBOX_BATCH]
            )
            if not batch:
                return sent
            tried += [n.pk for n in batch]
            sent += _email_batch(batch)


def _email_batch(batch: list[Notification]) -> int:
    """Send each notification's e-mail over one connection; record what happened on each row."""
    sent: list[int] = []
    nobody = [n.pk for n in batch if not n.recipient.email or not n.recipient.is_active]
    try:
        with mailers.default as smtp:
            for notification in batch:
                if notification.pk in nobody:
                    continue
                subject, body = email_content(notification)
                message = EmailMessage(
                    subject=subject,
                    body=body,
                    to=[notification.recipient.email],
                    headers={"Auto-Submitted": "auto-generated"},
                )
                try:
                    smtp.send_messages([message])
                except OSError as exc:
                    _email_failed(notification.pk, exc)
                    continue
                sent.append(notification.pk)
    except OSError as exc:  # could not connect (or lost the server): the rest of the batch stays owed
        unsent = [n.pk for n in batch if n.pk not in sent and n.pk not in nobody]
        log.warning("Could not send e-mail: %s; %s e-mails stay owed", mail_failure(exc), len(unsent))
        Notification.objects.filter(pk__in=unsent).update(email_error=exc.__class__.__name__[:200])
    if nobody:  # no address (or no longer serving): nothing is owed any more, nothing was sent
        Notification.objects.filter(pk__in=nobody).update(email_pending=False)
    if sent:
        Notification.objects.filter(pk__in=sent).update(email_pending=False, emailed_at=clock.now(), email_error="")
    return len(sent)


def _email_failed(notification_id: int, exc: OSError) -> None:
    log.warning("Could not e-mail notification %s: %s", notification_id, mail_failure(exc))
    Notification.objects.filter(pk=notification_id).update(email_error=exc.__class__.__name__[:200])


def _email_after_commit(notification_id: int) -> None:
    """Send one notification's e-mail now (after commit); what fails stays owed for the outbox job."""
    email_outbox_send(ids=[notification_id])


def _email_later(ids: list[int]) -> None:
    """Queue the e-mails of many notifications as one worker job, in the caller's transaction (the job
    row commits or rolls back with the notifications); the outbox job catches any left over."""
    from haven.notifications.tasks import notifications_email

    notifications_email.defer(ids=ids)


def team_email_after_commit(*, email: str, case: Case, severity: str) -> None:
    """Tell a team's shared inbox of an escalation on one of its cases (case reference only), after commit."""
    reference = case.reference
    label = NotificationSeverity(severity).label.lower()

    def send() -> None:
        try:
            EmailMessage(
                subject=f"Haven ({settings.HAVEN_FORCE_NAME}): {label} escalation about case {reference}",
                body=(
                    f"A deadline on case {reference} has been escalated ({label}).\n\n"
                    f"Open the case in Haven: {settings.HAVEN_BASE_URL}{reverse('cases:detail', args=[case.public_id])}"
                    "\n\nThis message was sent automatically."
                ),
                to=[email],
                headers={"Auto-Submitted": "auto-generated"},
            ).send()
        except OSError as exc:
            log.warning("Could not e-mail a team inbox about case %s: %s", reference, mail_failure(exc))

    transaction.on_commit(send)


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
        email_pending=bool(email and recipient.email),
    )
    if notification.email_pending:
        notification_id = notification.pk
        transaction.on_commit(lambda: _email_after_commit(notification_id))
    return notification


def _check(notification: Notification) -> None:
    """What ``notification_send`` checks of one notification, for those made in a batch."""
    if notification.severity not in NotificationSeverity.values:
        raise ValidationFailed("Unknown severity.", fields={"severity": ["Choose a severity."]})
    notification.subject = (notification.subject or "").strip()[:SUBJECT_MAX]
    if not notification.subject:
        raise ValidationFailed("A notification needs a subject.", fields={"subject": ["Enter a subject."]})
    notification.requires_ack = notification.requires_ack or notification.ack_by_link
    notification.email_pending = bool(notification.recipient.email)


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
    "email_pending",
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
        item.email_pending = draft.email_pending
        updated.append(item)
    if updated:
        Notification.objects.bulk_update(updated, _TOLD_FIELDS)
    if new:
        new = Notification.objects.bulk_create(new)
    owed = [n.pk for n in (*updated, *new) if n.email_pending]
    if owed:
        _email_later(owed)
    return [*updated, *new]


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
    case: Case,
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
