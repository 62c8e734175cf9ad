"""The vocabularies of the s62 log (DPA 2018 s62(1); domain.md §12, DP-01)."""

from __future__ import annotations

from django.db import models


class Operation(models.TextChoices):
    """The six kinds of processing s62(1) requires a log of."""

    COLLECTION = "collection", "Collection"
    ALTERATION = "alteration", "Alteration"
    CONSULTATION = "consultation", "Consultation"
    DISCLOSURE = "disclosure", "Disclosure"
    COMBINATION = "combination", "Combination"
    ERASURE = "erasure", "Erasure"


class JustificationKind(models.TextChoices):
    """Why the actor could process the record: inferred from ownership, or stated by them."""

    ALLOCATED = "allocated", "Allocated to them"
    TEAM = "team", "Their team's record"
    STATED = "stated", "Reason given"
    BREAK_GLASS = "break_glass", "Broke the glass"
    LOCATING = "locating", "Locating a missing person"
    SYSTEM = "system", "Haven itself"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    DENIED = "denied", "Denied"
