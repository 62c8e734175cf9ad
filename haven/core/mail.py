"""E-mail to Haven's own users: short notices that point into Haven.

Accounts' e-mail (a password link, a failed sign-in, a second factor changed) goes through its outbox
(haven.accounts.mail): queued with the write, sent by the worker, tried again while the server is down.

E-mail leaves Haven's control, so a notice names no child and carries no free text a user typed
(a reason may name the child, DP-01): the detail is behind the link, where need-to-know and the
s62 log apply.
"""

from __future__ import annotations

import logging
import smtplib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage

if TYPE_CHECKING:
    from haven.accounts.models import User

log = logging.getLogger("haven.mail")


def mail_user(*, to: User, subject: str, body: str) -> None:
    """E-mail one user. A failure is logged, not raised: the record in Haven holds the notice."""
    if not to.email:
        return
    try:
        message(to=to.email, subject=f"Haven ({settings.HAVEN_FORCE_NAME}): {subject}", body=body).send()
    except OSError as exc:
        log.warning("Could not e-mail %s about %s: %s", to.username, subject, mail_failure(exc))


def message(*, to: str, subject: str, body: str) -> EmailMessage:
    """One plain-text e-mail to one address, marked as sent automatically (no out-of-office replies)."""
    return EmailMessage(subject=subject, body=body, to=[to], headers={"Auto-Submitted": "auto-generated"})


def mail_failure(exc: OSError) -> str:
    """Why an e-mail could not go, in one line for the log. A mail server that is down or says no is
    a matter for whoever runs Haven, not a bug in it: no traceback, and the message stays in Haven."""
    mailers: dict[str, Any] = settings.MAILERS
    options = mailers.get("default", {}).get("OPTIONS", {})
    server = f"{options.get('host', 'localhost')}:{options.get('port', 25)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the mail server at {server} refused it ({exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPException):
        return f"the mail server at {server} refused it ({exc.__class__.__name__})"
    return f"the mail server at {server} could not be reached ({exc.strerror or exc or exc.__class__.__name__})"
