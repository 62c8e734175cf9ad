"""The vocabularies of haven.guidance: the force's guidance documents and video briefings (issue 18)."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    DOCUMENT = "document", "Document"
    VIDEO = "video", "Video briefing"


class Place(models.TextChoices):
    """The screens and work a guidance item applies to: its panel shows there."""

    REPORTING_MISSING = "reporting_missing", "Reporting a missing child"
    MISSING_INVESTIGATION = "missing_investigation", "Missing investigation"
    CHILD_CONCERN_REFERRAL = "child_concern_referral", "Child concern referral"
    POLICE_PROTECTION = "police_protection", "Police protection"
    CHILDREN_IN_CUSTODY = "children_in_custody", "Children in custody"
    ONLINE_REFERRALS = "online_referrals", "Online referrals"
    SEX_OFFENDER_MANAGEMENT = "sex_offender_management", "Sex offender management"
    CASE_AUDIT = "case_audit", "Case audit"


class Status(models.TextChoices):
    CURRENT = "current", "Current"
    RETIRED = "retired", "Retired"
