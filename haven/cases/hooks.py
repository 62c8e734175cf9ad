"""Extension points other apps fill in. Each is called inside the service's transaction.

M-10: a handover starts an acknowledgement deadline for the new owner (escalating to the duty
inspector when not acknowledged in time); acknowledging meets it, a newer handover cancels it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.cases.models import Handover


def on_handover_started(handover: Handover) -> None:
    """A handover now awaits acknowledgement (M-10): start the acknowledgement deadline."""
    from haven.deadlines.handover import handover_started

    handover_started(handover)


def on_handover_ended(handover: Handover) -> None:
    """A handover was acknowledged (meets the deadline) or superseded (cancels it) (M-10)."""
    from haven.deadlines.handover import handover_ended

    handover_ended(handover)
