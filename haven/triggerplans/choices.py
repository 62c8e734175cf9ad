"""The vocabularies of trigger plans (domain §2.8, rules M-14, M-15)."""

from __future__ import annotations

from django.db import models


class ActionKind(models.TextChoices):
    """What a directive action asks the next responder to do (M-15). Each names a place, person or contact."""

    ADDRESS = "address", "Check an address"
    PLACE = "place", "Check a place"
    ASSOCIATE = "associate", "Contact or check an associate"
    PHONE = "phone", "Check a phone number"
    SOCIAL = "social", "Check a social-media account"
    NOTIFY = "notify", "Tell someone"
    OTHER = "other", "Other action"


# The enquiry type (haven.missing EnquiryType value) each kind of action is offered as, by default.
DEFAULT_ENQUIRY_TYPE: dict[str, str] = {
    ActionKind.ADDRESS: "address_check",
    ActionKind.PLACE: "address_check",
    ActionKind.ASSOCIATE: "associates",
    ActionKind.PHONE: "phone",
    ActionKind.SOCIAL: "social_media",
    ActionKind.NOTIFY: "partner_checks",
    ActionKind.OTHER: "other",
}

# What the "names" field holds for each kind, for labels and error messages.
TARGET_WORDS: dict[str, str] = {
    ActionKind.ADDRESS: "the address",
    ActionKind.PLACE: "the place",
    ActionKind.ASSOCIATE: "the person",
    ActionKind.PHONE: "the phone number",
    ActionKind.SOCIAL: "the account (platform and handle)",
    ActionKind.NOTIFY: "who to tell, and how to reach them",
    ActionKind.OTHER: "the place, person or contact it names",
}


class VersionKind(models.TextChoices):
    """How a version came about: every version is a whole plan, read-only once superseded."""

    CREATED = "created", "Created"
    REVISED = "revised", "Revised"
    REVIEWED = "reviewed", "Reviewed without change"


class PlanStatus(models.TextChoices):
    """What ``selectors.plan_status`` answers for a child."""

    NONE = "none", "No trigger plan"
    CURRENT = "current", "Current"
    OUT_OF_DATE = "out_of_date", "Past its review date"
