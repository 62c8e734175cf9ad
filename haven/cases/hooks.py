"""Extension points other apps fill in later. Each is called inside the service's transaction.

The deadlines issue replaces the bodies here (or has them call its services) so that an
unacknowledged handover escalates to the duty inspector (rule M-10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.cases.models import Handover


def on_handover_started(handover: Handover) -> None:
    """A handover now awaits acknowledgement (M-10). Deadlines: start the acknowledgement deadline here."""


def on_handover_ended(handover: Handover) -> None:
    """A handover was acknowledged or superseded (M-10). Deadlines: meet or cancel the deadline here."""
