"""The vocabularies of the person register."""

from __future__ import annotations

from django.db import models


class NameKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    MAIDEN = "maiden", "Maiden name"
    NICKNAME = "nickname", "Nickname"
    STREET_NAME = "street_name", "Street name"
    PREVIOUS = "previous", "Previous name"


class IdentifierKind(models.TextChoices):
    PNC = "pnc", "PNC ID"
    LOCAL_AUTHORITY = "local_authority", "Local authority ID"
    NHS = "nhs", "NHS number"


class ContactKind(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    SOCIAL = "social", "Social media"


class AddressKind(models.TextChoices):
    HOME = "home", "Home"
    CARE_PLACEMENT = "care_placement", "Care placement"
    SCHOOL = "school", "School"
    REFUGE = "refuge", "Refuge"
    OTHER = "other", "Other"


class FlagKind(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Looked-after child"
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child-protection plan"
    EXPLOITATION_RISK = "exploitation_risk", "Exploitation risk"
    PHILOMENA = "philomena", "Philomena form held"
    OTHER = "other", "Other"


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    ASSOCIATE = "associate", "Associate"
    PROFESSIONAL = "professional", "Professional"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known"
