"""Haven's one outbox: every e-mail it sends (a password link, a failed sign-in, an inbox
notification, a handover notice, an escalation to a team's shared inbox) is owed in the writer's
transaction, then sent, and tried again while the mail server is down, until :data:`GIVE_UP`. Nothing
is lost: an e-mail the server did not take stays owed. A rollback owes and sends nothing.

An app registers each kind of e-mail it sends from its ``AppConfig.ready()`` with
:func:`register_email`: the kind's name (``<app>.<what>``) and a function that writes the words from
the row's plain facts when it is sent (so no secret, such as a password link, is ever stored). It then
owes e-mail with :func:`email_owe` (one) or :func:`emails_owe` (a batch, one INSERT).

Sending: by default the worker's ``core.email`` job, queued in the same transaction, sends it: nothing
waits for the mail server (a sign-in page, the deadline sweep). ``after_commit=True`` sends it from the
same process straight after the commit (an inbox notification or a handover notice should not wait
for the worker). Either way, whatever is still owed a minute on is sent by the periodic ``core.outbox``
job (haven/core/tasks.py), so a lost job or a server that was down costs a minute, never the e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction

from haven.core import clock
from haven.core.mail import mail_failure, message
from haven.core.models import OutgoingEmail

if TYPE_CHECKING:
    from haven.accounts.models import User

log = logging.getLogger("haven.mail")

Content = Callable[[Any, dict[str, Any]], "tuple[str, str] | None"]
"""Writes one kind's e-mail when it is sent: ``(recipient, context) -> (subject, body)``, or None when
there is nothing to send any more (what it was about is gone). The recipient is the user the row is
for (None for an e-mail to an address): a kind owed to users may take it as a user."""

GIVE_UP = timedelta(days=1)
"""An e-mail that could not be sent for a day is dropped (logged, and kept on its row): a password link
has expired by then, a warning a day late helps nobody, and a notification is in the inbox anyway."""

BATCH = 200
"""E-mails sent per transaction, over one SMTP connection."""

RETRY_AFTER = timedelta(minutes=1)
"""The periodic job sends what is still owed this long after it was owed (a lost job, a server that was down)."""

NOTICE = "core.notice"
"""A short notice to a user whose words the writer gives (:func:`haven.core.mail.mail_user`)."""

_CONTENT: dict[str, Content] = {}


def register_email(kind: str, content: Content) -> None:
    """Let apps owe e-mail of ``kind``, written by ``content`` when it is sent (from ``ready()``)."""
    _CONTENT[kind] = content


def email_kinds() -> dict[str, Content]:
    """Every kind of e-mail registered, with what writes it."""
    return dict(_CONTENT)


def notice_content(to: User | None, context: dict[str, Any]) -> tuple[str, str]:
    """A notice's words, as its writer gave them (they name no child: haven.core.mail)."""
    return f"Haven ({settings.HAVEN_FORCE_NAME}): {context['subject']}", str(context["body"])


def email_owe(
    *,
    kind: str,
    to: User | None = None,
    address: str = "",
    context: dict[str, Any] | None = None,
    after_commit: bool = False,
) -> OutgoingEmail | None:
    """Owe one e-mail of ``kind`` to the user ``to`` or else to ``address`` (a team's shared inbox),
    in the caller's transaction; see :func:`emails_owe`. Nothing is owed to a user without an address."""
    if to is None:
        owed = _owe([OutgoingEmail(address=address, kind=kind, context=context or {})], after_commit=after_commit)
        return owed[0] if owed else None
    owed = emails_owe([(to, kind, context or {})], after_commit=after_commit)
    return owed[0] if owed else None


def emails_owe(
    emails: Iterable[tuple[User, str, dict[str, Any]]], *, after_commit: bool = False, once_per: str = ""
) -> list[OutgoingEmail]:
    """Owe each ``(to, kind, context)`` its e-mail, in one INSERT in the caller's transaction, and have
    them sent: by one worker job queued in the same transaction, or (``after_commit``) from this process
    once it commits. Users without an address are owed nothing.

    ``once_per`` names a key of the context: an e-mail to the same user of the same kind about the same
    thing that is still owed is not owed again (its words are written when it is sent, so it will say
    the latest). One query finds them."""
    rows = [OutgoingEmail(to=to, kind=kind, context=context) for to, kind, context in emails if to.email]
    if once_per and rows:
        owed = set(
            OutgoingEmail.objects.filter(
                pending=True,
                kind__in={row.kind for row in rows},
                to__in={row.to_id for row in rows},
                **{f"context__{once_per}__in": [row.context.get(once_per) for row in rows]},
            ).values_list("kind", "to_id", f"context__{once_per}")
        )
        rows = [row for row in rows if (row.kind, row.to_id, row.context.get(once_per)) not in owed]
    return _owe(rows, after_commit=after_commit)


@transaction.atomic
def _owe(rows: list[OutgoingEmail], *, after_commit: bool) -> list[OutgoingEmail]:
    for row in rows:
        if row.kind not in _CONTENT:  # a bug, not input: fail the write rather than owe what nobody can write
            raise ValueError(f"No app registered e-mail of kind {row.kind!r} (haven.core.outbox.register_email).")
    if not rows:
        return []
    rows = OutgoingEmail.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    if after_commit:
        transaction.on_commit(lambda: outbox_send(ids=ids))
    else:
        from haven.core.tasks import email  # the worker's job; haven.core.tasks imports this module

        email.defer(ids=ids)
    return rows


def outbox_send(*, ids: list[int] | None = None, older_than: timedelta | None = None) -> int:
    """Send the e-mails still owed: those in ``ids``, or every one owed at least ``older_than`` ago
    (all of them with neither). Returns how many were sent.

    Rows are taken ``FOR UPDATE SKIP LOCKED`` a batch at a time, so two senders never send one twice;
    a batch goes over one SMTP connection. A failure is counted on the row, which stays owed."""
    now = clock.now()
    owed = OutgoingEmail.objects.filter(pending=True)
    if ids is not None:
        owed = owed.filter(pk__in=ids)
    if older_than is not None:
        owed = owed.filter(created_at__lte=now - older_than)
    expired = owed.filter(created_at__lt=now - GIVE_UP).update(
        pending=False, error="Given up: not sent in a day", updated_at=now
    )
    if expired:
        log.warning("Gave up %s e-mails that could not be sent for a day", expired)
    sent = 0
    tried: list[int] = []
    while True:
        with transaction.atomic():
            batch = list(
                owed.exclude(pk__in=tried)
                .select_related("to")
                .select_for_update(of=("self",), skip_locked=True)
                .order_by("created_at", "id")[:BATCH]
            )
            if not batch:
                return sent
            tried += [email.pk for email in batch]
            sent += _send(batch)


def _send(batch: list[OutgoingEmail]) -> int:
    """Send each e-mail of ``batch`` over one connection; record on each row what happened."""
    sent: dict[int, tuple[str, str]] = {}  # id: (address, subject)
    done: set[int] = set()
    try:
        with mailers.default as smtp:
            for email in batch:
                done.add(email.pk)
                written = _written(email)
                if written is None:
                    continue
                address, subject, body = written
                try:
                    smtp.send_messages([message(to=address, subject=subject, body=body)])
                except OSError as exc:  # the server refused this one: the others may still go
                    log.warning("Could not send e-mail %s: %s", email.pk, mail_failure(exc))
                    _failed([email], exc)
                    continue
                sent[email.pk] = (address, subject)
    except OSError as exc:  # could not connect, or lost the server: the rest of the batch stays owed
        unsent = [email for email in batch if email.pk not in done]
        owed = f"{len(unsent)} e-mail stays owed" if len(unsent) == 1 else f"{len(unsent)} e-mails stay owed"
        log.warning("Could not send e-mail: %s; %s", mail_failure(exc), owed)
        _failed(unsent, exc)
    now = clock.now()
    for pk, (address, subject) in sent.items():
        OutgoingEmail.objects.filter(pk=pk).update(
            pending=False, sent_at=now, address=address, subject=subject[:255], error="", updated_at=now
        )
    return len(sent)


def _written(email: OutgoingEmail) -> tuple[str, str, str] | None:
    """(address, subject, body) to send, or None when nothing is to be sent (the row says why)."""
    if email.to is not None and (not email.to.email or not email.to.is_active):
        _dropped(email, "No address")
        return None
    try:
        content = _CONTENT[email.kind](email.to, dict(email.context))
    except Exception as exc:  # words that cannot be written (a bug): the row stays owed, the rest go
        log.exception("Could not write e-mail %s (%s)", email.pk, email.kind)
        _failed([email], exc)
        return None
    if content is None:
        _dropped(email, "Nothing to send: what it was about is gone")
        return None
    return (email.to.email if email.to is not None else email.address), *content


def _dropped(email: OutgoingEmail, why: str) -> None:
    """Nothing is owed any more (no address, nothing to say), and nothing was sent."""
    OutgoingEmail.objects.filter(pk=email.pk).update(pending=False, error=why, updated_at=clock.now())


def _failed(emails: list[OutgoingEmail], exc: Exception) -> None:
    """These were not sent: each stays owed, with one more attempt and why."""
    now = clock.now()
    for email in emails:
        OutgoingEmail.objects.filter(pk=email.pk).update(
            attempts=email.attempts + 1, error=exc.__class__.__name__[:200], updated_at=now
        )
