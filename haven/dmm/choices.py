"""The vocabularies of the daily management meeting (domain §4, rules D-01, D-02)."""

from __future__ import annotations

from django.db import models


class MeetingState(models.TextChoices):
    """A meeting is open while it runs; once closed its record is read-only."""

    OPEN = "open", "In progress"
    CLOSED = "closed", "Closed"


class ActionState(models.TextChoices):
    """An action stays open (and carries into every later meeting, D-02) until done or cancelled."""

    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"
