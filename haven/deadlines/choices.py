"""The vocabulary of deadlines other apps may use: the states (never their literal strings)."""

from __future__ import annotations

from django.db import models


class DeadlineState(models.TextChoices):
    """Open until met or cancelled; breached once the due time passes while still open."""

    OPEN = "open", "Open"
    BREACHED = "breached", "Overdue"
    PAUSED = "paused", "Paused"
    MET = "met", "Met"
    CANCELLED = "cancelled", "Cancelled"


LIVE_STATES = (DeadlineState.OPEN, DeadlineState.BREACHED, DeadlineState.PAUSED)
"""States in which a deadline still asks for something to be done."""

ESCALATING_STATES = (DeadlineState.OPEN, DeadlineState.BREACHED)
"""States in which the sweep escalates (a paused deadline waits)."""

OVERDUE_STATES = ESCALATING_STATES
"""States in which a deadline past its due time is overdue (a paused one is not)."""
