"""The vocabularies of child concern referrals (the force's "CRA" form; ``ChildConcernReferral`` in code,
because CRA also means Child Rescue Alert), the CRSU's work on them and strategy discussions."""

from __future__ import annotations

from django.db import models


class ReferralState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for the CRSU"
    AWAITING_APPROVAL = "awaiting_approval", "Decision waiting for approval"
    SHARED = "shared", "Shared"
    NOT_SHARED = "not_shared", "Not shared"


OPEN_STATES = (ReferralState.SUBMITTED, ReferralState.AWAITING_APPROVAL)
"""Submitted and not yet decided: the CRSU's "forms requiring attention"."""
DECIDED_STATES = (ReferralState.SHARED, ReferralState.NOT_SHARED)


class ConcernCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    DOMESTIC_ABUSE = "domestic_abuse", "Living with domestic abuse"
    CSE = "cse", "Child sexual exploitation"
    CCE = "cce", "Child criminal exploitation"
    ONLINE = "online", "Online abuse"
    MISSING = "missing", "Missing from home or care"
    OTHER = "other", "Other"


class OfficerGrade(models.TextChoices):
    """The raising officer's view of the risk (the force's scale)."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    STANDARD = "standard", "Standard"


class Rag(models.TextChoices):
    """The CRSU's rating, which sets the time the referral should be shared within (force policy)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class PersonRole(models.TextChoices):
    CHILD = "child", "Child the concern is about"
    HOUSEHOLD = "household", "Household member"
    PERPETRATOR = "perpetrator", "Alleged perpetrator"


class EntryKind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    CORRECTION = "correction", "Correction"
    ALLOCATED = "allocated", "Allocated"
    RATED = "rated", "Rated"
    REVIEWED = "reviewed", "Reviewed"
    DECIDED = "decided", "Decision"
    APPROVED = "approved", "Decision approved"
    SHARED = "shared", "Shared"
    STRATEGY = "strategy", "Strategy discussion"


class Decision(models.TextChoices):
    SHARE = "share", "Share with a partner agency"
    NO_SHARE = "no_share", "Do not share"


class LawfulBasis(models.TextChoices):
    """S-04: the basis a share or no-share decision rests on (Working Together 2023; DPA 2018 Part 3)."""

    SAFEGUARDING = "safeguarding", "Safeguarding a child at risk (Data Protection Act 2018, Schedule 8, paragraph 4)"
    STATUTORY = "statutory", "A statutory purpose (Data Protection Act 2018, Schedule 8, paragraph 1)"
    SECTION_11 = "section_11", "The duty to safeguard children (Children Act 2004, section 11)"
    CONSENT = "consent", "Consent given by the parent or young person"
    NOT_NECESSARY = "not_necessary", "Sharing is not necessary or proportionate (no share)"


class StrategyOutcome(models.TextChoices):
    S47 = "s47", "Section 47 enquiries"
    SINGLE_AGENCY = "single_agency", "Single-agency police investigation"
    S17 = "s17", "Assessment of a child in need (section 17)"
    NO_FURTHER_ACTION = "nfa", "No further action"
