"""A restricted case opened by breaking the glass: its owner is told in their Haven inbox.

The cases app raises the event (``haven.cases.hooks.on_glass_broken``) and never imports this: the
notifications app sits above it. The inbox item names who broke the glass and when; the reason, free
text that may name the child, stays on the case page and in the access log. The e-mail that follows
carries only the case reference (``services.email_content``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from haven.core import clock
from haven.notifications.models import NotificationSeverity
from haven.notifications.services import notification_send

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case


def glass_broken(case: Case, *, actor: User, reason: str) -> None:
    """Put an item in the owner's inbox (and e-mail them the reference) that ``actor`` broke the glass."""
    del reason  # kept out of the inbox and the e-mail: the owner reads it on the case page
    at = timezone.localtime(clock.now())
    notification_send(
        recipient=case.owner,
        case=case,
        severity=NotificationSeverity.WARNING,
        subject=f"Someone broke the glass on your restricted case {case.reference}",
        body=(
            f"{actor.rank_and_name} ({actor.username}) broke the glass to see your restricted case "
            f"{case.reference} at {at:%d %b %Y %H:%M}. Their reason is on the case page and in the access log. "
            "If this looks wrong, tell your supervisor and the data protection officer."
        ),
        link=reverse("cases:detail", args=[case.public_id]),
    )
