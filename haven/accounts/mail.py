"""The e-mails accounts sends its users: a link to choose a password, a failed sign-in, a second
factor added or removed. Each is owed through Haven's one outbox (haven.core.outbox) in the writer's
transaction and sent by the worker, never while the user waits: a mail server that is down costs the
page nothing, and the e-mail is sent once it is back.

A row holds the kind and plain facts only; the words (and a password link, made fresh) are written
here when it is sent, so the outbox keeps no secret. AccountsConfig.ready() registers each kind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from haven.accounts.choices import MailKind
from haven.accounts.models import User
from haven.core.models import OutgoingEmail
from haven.core.outbox import email_owe


def queue(*, to: User, kind: MailKind, **context: Any) -> OutgoingEmail | None:
    """Owe ``to`` an e-mail of ``kind`` (in the caller's transaction); the worker sends it. Nothing is
    owed to a user without an address."""
    return email_owe(to=to, kind=kind, context=context)


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


CONTENT: dict[str, Callable[[User, dict[str, Any]], tuple[str, str]]] = {
    MailKind.PASSWORD_LINK: _password_link,
    MailKind.SIGN_IN_FAILED: _sign_in_failed,
    MailKind.SECOND_FACTOR_CHANGED: _second_factor_changed,
}
"""What writes each kind (registered with the outbox by AccountsConfig.ready())."""
