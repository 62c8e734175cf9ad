"""E-mail to Haven's own users: short notices that point into Haven.

Every e-mail goes through Haven's one outbox (haven.core.outbox): owed with the write, sent once it
commits, tried again while the mail server is down. This module holds what every kind shares.

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
    """Owe one user a notice (in the caller's transaction), sent straight after it commits; while the
    mail server is down it stays owed (the outbox). The subject and body are stored until then: they
    must name no child and carry no free text a user typed (above)."""
    from haven.core.outbox import NOTICE, email_owe  # the outbox writes e-mail with this module's helpers

    email_owe(to=to, kind=NOTICE, context={"subject": subject, "body": body}, after_commit=True)


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
