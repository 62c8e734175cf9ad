"""The vocabulary of deadlines other apps may use: the states and whose a deadline is (never their
literal strings)."""

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


class ResponsibleKind(models.TextChoices):
    """Whose a deadline is, which decides what happens to it when the case changes owner.

    - OWNER: the case's owner, whoever that is: it moves to the new owner (and the case's team).
    - NAMED: a named person (the new owner's handover acknowledgement, an enquiry given to someone):
      it stays with them.
    - TEAM: a team or a role in it, nobody by name (a supervisor's review, the team queue's
      allocation): it follows the case's team.
    """

    OWNER = "owner", "The case owner"
    NAMED = "named", "A named person"
    TEAM = "team", "The case's team"
