"""Extension points other apps fill in. Each is called inside the service's transaction.

M-10: a handover starts an acknowledgement deadline for the new owner (escalating to the duty
inspector when not acknowledged in time); acknowledging meets it, a newer handover cancels it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case, Handover


def on_handover_started(handover: Handover) -> None:
    """A handover now awaits acknowledgement (M-10): start the acknowledgement deadline."""
    from haven.deadlines.handover import handover_started

    handover_started(handover)


def on_handover_ended(handover: Handover) -> None:
    """A handover was acknowledged (meets the deadline) or superseded (cancels it) (M-10)."""
    from haven.deadlines.handover import handover_ended

    handover_ended(handover)


def on_case_closed(case: Case, *, actor: User) -> None:
    """A closed case is read-only: its live deadlines are cancelled so nothing escalates about it."""
    from haven.deadlines.services import deadlines_cancel_for_case

    deadlines_cancel_for_case(actor=actor, case=case, reason=f"Case {case.reference} closed.")
