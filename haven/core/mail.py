"""E-mail to Haven's own users: short notices that point into Haven.

E-mail leaves Haven's control, so a notice names no child and carries no free text a user typed
(a reason may name the child, DP-01): the detail is behind the link, where need-to-know and the
s62 log apply.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

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
        EmailMessage(
            subject=f"Haven ({settings.HAVEN_FORCE_NAME}): {subject}",
            body=body,
            to=[to.email],
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
    except OSError:
        log.warning("Could not e-mail %s about %s", to.username, subject, exc_info=True)
