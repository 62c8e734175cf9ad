"""Accounts' outbox: every e-mail accounts sends its users (a link to choose a password, a failed
sign-in, a second factor added or removed) is queued in the writer's transaction and sent by the
worker, never while the user waits. A mail server that is down costs the page nothing: the e-mail
stays owed and the outbox job tries again every minute, for up to :data:`GIVE_UP`.

A row holds the kind and plain facts only; the words (and a password link, made fresh) are written
when it is sent, so the table keeps no secret.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import mailers
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from haven.accounts.choices import MailKind
from haven.accounts.models import OutgoingEmail, User
from haven.core import clock
from haven.core.mail import mail_failure, message

log = logging.getLogger("haven.mail")

GIVE_UP = timedelta(days=1)
"""An e-mail that could not be sent for a day is dropped (logged): a password link has expired by then
anyway, and a warning a day late helps nobody."""

BATCH = 100


@transaction.atomic
def queue(*, to: User, kind: MailKind, **context: Any) -> OutgoingEmail | None:
    """Owe ``to`` an e-mail of ``kind`` (in the caller's transaction) and ask the worker to send it.
    Nothing is queued for a user without an address."""
    if not to.email:
        return None
    email = OutgoingEmail.objects.create(to=to, kind=kind, context=context)
    from haven.accounts.tasks import accounts_email  # the worker's job; tasks import this module

    accounts_email.defer(ids=[email.pk])
    return email


def outbox_send(*, ids: list[int] | None = None, older_than: timedelta | None = None) -> int:
    """Send the e-mails still owed: those in ``ids``, or all queued at least ``older_than`` ago.
    Returns how many were sent. Rows are taken ``FOR UPDATE SKIP LOCKED``, so two workers never send
    one twice; a failure is counted on the row, which stays owed."""
    now = clock.now()
    owed = OutgoingEmail.objects.filter(pending=True)
    if ids is not None:
        owed = owed.filter(pk__in=ids)
    if older_than is not None:
        owed = owed.filter(created_at__lte=now - older_than)
    expired = owed.filter(created_at__lt=now - GIVE_UP).update(pending=False, error="Given up: not sent in a day")
    if expired:
        log.warning("Gave up %s account e-mails that could not be sent for a day", expired)
    sent = 0
    tried: list[int] = []
    while True:
        with transaction.atomic():
            batch = list(
                owed.exclude(pk__in=tried)
                .select_related("to")
                .select_for_update(of=("self",), skip_locked=True)[:BATCH]
            )
            if not batch:
                return sent
            tried += [email.pk for email in batch]
            sent += _send(batch)


def _send(batch: list[OutgoingEmail]) -> int:
    sent: list[int] = []
    try:
        with mailers.default as smtp:
            for email in batch:
                if not email.to.email or not email.to.is_active:
                    OutgoingEmail.objects.filter(pk=email.pk).update(pending=False, error="No address")
                    continue
                subject, body = _content(email)
                smtp.send_messages([message(to=email.to.email, subject=subject, body=body)])
                sent.append(email.pk)
    except OSError as exc:  # the server is down or said no: the rest stay owed, for the next try
        unsent = [e.pk for e in batch if e.pk not in sent]
        log.warning("Could not send account e-mail: %s; %s stay owed", mail_failure(exc), len(unsent))
        for email in batch:
            if email.pk in unsent:
                OutgoingEmail.objects.filter(pk=email.pk).update(
                    attempts=email.attempts + 1, error=exc.__class__.__name__[:200]
                )
    if sent:
        OutgoingEmail.objects.filter(pk__in=sent).update(pending=False, sent_at=clock.now(), error="")
    return len(sent)


# --- What each kind says ---------------------------------------------------------------------------


def _password_link(user: User, context: dict[str, Any]) -> tuple[str, str]:
    path = reverse(
        "accounts:set-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = f"{settings.HAVEN_BASE_URL}{path}"
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    asker = context.get("asker") or "Your Haven administrator"
    return (
        f"Haven ({settings.HAVEN_FORCE_NAME}): choose your password",
        f"Hello {user.display_name},\n\n"
        f"{asker} has asked Haven to let you choose a password. Your username is {user.username}.\n\n"
        f"Choose your password here (the link works once, for {hours} hours):\n{link}\n\n"
        "After that you will set up a second factor: a security key or an authenticator app.\n"
        "If you did not expect this, tell your Haven administrator.\n",
    )


METHODS = {"TOTP": "a code from an authenticator app", "FIDO2": "a security key", "recovery": "a recovery code"}


def _sign_in_failed(user: User, context: dict[str, Any]) -> tuple[str, str]:
    method = METHODS.get(str(context.get("method", "")), "a second factor")
    return (
        "Haven: a failed sign-in to your account",
        f"Someone entered your Haven username and password correctly but failed the second step ({method}).\n\n"
        "If this was you, there is nothing to do. If it was not, your password is known to someone else: "
        "change it now and tell your Haven administrator.\n\n"
        f"Haven, {settings.HAVEN_FORCE_NAME}\n",
    )


def _second_factor_changed(user: User, context: dict[str, Any]) -> tuple[str, str]:
    what = METHODS.get(str(context.get("method", "")), "a second factor")
    change = "added to" if context.get("change") == "added" else "removed from"
    if context.get("change") == "reset":
        happened = (
            f"{context.get('asker') or 'An administrator'} removed every second factor from your Haven account: "
            "you will set up a new one when you next sign in."
        )
    else:
        happened = f"A second factor ({what}, named “{context.get('name', '')}”) was {change} your Haven account."
    return (
        f"Haven ({settings.HAVEN_FORCE_NAME}): your second factors changed",
        f"Hello {user.display_name},\n\n{happened}\n\n"
        "If this was you, there is nothing to do. If it was not, tell your Haven administrator at once: "
        "someone else can sign in as you.\n",
    )


_CONTENT: dict[str, Callable[[User, dict[str, Any]], tuple[str, str]]] = {
    MailKind.PASSWORD_LINK: _password_link,
    MailKind.SIGN_IN_FAILED: _sign_in_failed,
    MailKind.SECOND_FACTOR_CHANGED: _second_factor_changed,
}


def _content(email: OutgoingEmail) -> tuple[str, str]:
    return _CONTENT[email.kind](email.to, dict(email.context))
