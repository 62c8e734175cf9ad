"""The vocabularies of the Case envelope."""

from __future__ import annotations

from django.db import models


class CaseKind(models.TextChoices):
    """What a case is about. Each domain app adds its kind (and a one-to-one detail model) as it lands."""

    GENERAL = "general", "General safeguarding"
    MISSING = "missing", "Missing child"
    TRIGGER_PLAN = "trigger_plan", "Trigger plan"
    REFERRAL = "referral", "Child concern referral"
    PROTECTION = "protection", "Police protection"
    CUSTODY = "custody", "Child in custody"


class CaseState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Sensitivity(models.TextChoices):
    """Restricted cases are visible only to their owner and named members (and to those who break the glass)."""

    NORMAL = "normal", "Normal"
    RESTRICTED = "restricted", "Restricted"


class InvolvementRole(models.TextChoices):
    """How a person is involved in a case. DPA 2018 s38(3): data subject categories are kept apart."""

    SUBJECT = "subject", "Subject"
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    WITNESS = "witness", "Witness"
    PERSON_REPORTING = "person_reporting", "Person reporting"
    CARER = "carer", "Parent or carer"
    PROFESSIONAL = "professional", "Professional"


class EntryKind(models.TextChoices):
    """A timeline entry: a note is fact or assessment (DPA 2018 s38(2)); the rest are system events."""

    FACT = "fact", "Fact"
    ASSESSMENT = "assessment", "Assessment"
    EVENT = "event", "Event"


NOTE_KINDS = (EntryKind.FACT, EntryKind.ASSESSMENT)
