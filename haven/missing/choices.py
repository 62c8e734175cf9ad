"""The vocabularies of a missing-child episode (domain §2, rules M-01..M-16)."""

from __future__ import annotations

from django.db import models

# M-01: the risk vocabulary changes over time (the APP dropped "absent"); every grade stores the version
# of the vocabulary it was chosen from.
RISK_VOCABULARY_VERSION = "app-2024"


class EpisodeState(models.TextChoices):
    """Where an episode is in its journey (domain §2.11). A new episode is never a reopened one."""

    REPORTED = "reported", "Reported, not yet graded"
    OPEN = "open", "Open, graded"
    FOUND = "found", "Found"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled: not missing"
    ESCALATED = "escalated", "Escalated to a crime investigation"
    DECEASED = "deceased", "Found deceased"


ACTIVE_STATES = (EpisodeState.REPORTED, EpisodeState.OPEN)
"""The child is still missing."""
ENDED_STATES = (EpisodeState.CLOSED, EpisodeState.CANCELLED, EpisodeState.ESCALATED, EpisodeState.DECEASED)


class RiskGrade(models.TextChoices):
    """The active risk vocabulary (M-01), lowest first."""

    VERY_LOW = "very_low", "Very low / no apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


GRADE_ORDER = {RiskGrade.VERY_LOW: 0, RiskGrade.LOW: 1, RiskGrade.MEDIUM: 2, RiskGrade.HIGH: 3}


def grade_rank(grade: str) -> int:
    return GRADE_ORDER[RiskGrade(grade)]


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    CARE_HOME = "care_home", "Children's home"
    FOSTER = "foster", "Foster placement"
    SCHOOL = "school", "School"
    OTHER = "other", "Somewhere else"


class EnquiryType(models.TextChoices):
    """The controlled list of enquiries on an episode (trigger-plan actions use it too)."""

    PNC_CIRCULATION = "pnc_circulation", "PNC circulation"
    ADDRESS_CHECK = "address_check", "Address check"
    ASSOCIATES = "associates", "Associates"
    PHONE = "phone", "Phone enquiries"
    SOCIAL_MEDIA = "social_media", "Social media"
    CCTV = "cctv", "CCTV"
    HOSPITALS = "hospitals", "Hospital checks"
    PARTNER_CHECKS = "partner_checks", "Partner agency checks"
    PHILOMENA = "philomena", "Philomena form obtained"
    TRANSPORT = "transport", "Transport"
    SCHOOL = "school", "School"
    OTHER = "other", "Other"


class EnquiryStatus(models.TextChoices):
    RAISED = "raised", "Raised"
    ALLOCATED = "allocated", "Allocated"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_ENQUIRY_STATUSES = (EnquiryStatus.RAISED, EnquiryStatus.ALLOCATED, EnquiryStatus.IN_PROGRESS)


class EnquiryPriority(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"
    IMMEDIATE = "immediate", "Immediate"


class CraDecision(models.TextChoices):
    """M-08: the Child Rescue Alert consideration."""

    CONSIDERED_ISSUED = "issued", "Considered: alert requested"
    NOT_APPROPRIATE = "not_appropriate", "Considered: not appropriate"


class InterviewMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    VIDEO = "video", "By video call"


class RhiStatus(models.TextChoices):
    """M-12: the return home interview, tracked after the notification to the responsible authority."""

    REQUESTED = "requested", "Requested from the local authority"
    OFFERED = "offered", "Offered"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Declined by the child"
    NOT_DONE = "not_done", "Not done"


RHI_ENDED = (RhiStatus.COMPLETED, RhiStatus.DECLINED, RhiStatus.NOT_DONE)


class ReasonMissing(models.TextChoices):
    """Coded at closure, for analysis."""

    CONFLICT_HOME = "conflict_home", "Conflict at home or placement"
    FRIENDS = "friends", "With friends / socialising"
    RELATIONSHIP = "relationship", "Boyfriend or girlfriend"
    EXPLOITATION = "exploitation", "Exploitation (sexual or criminal)"
    MENTAL_HEALTH = "mental_health", "Mental health or self-harm"
    FAMILY_CONTACT = "family_contact", "Seeking family contact"
    SUBSTANCES = "substances", "Alcohol or drugs"
    BULLYING = "bullying", "Bullying or school problems"
    UNKNOWN = "unknown", "Not known / not disclosed"
    OTHER = "other", "Other"


class WhereFound(models.TextChoices):
    """Where the child was, coded at found / closure."""

    FRIEND_ADDRESS = "friend_address", "A friend's address"
    FAMILY_ADDRESS = "family_address", "A family member's address"
    ADULT_OF_CONCERN = "adult_of_concern", "An address linked to an adult of concern"
    PUBLIC_PLACE = "public_place", "Street or public place"
    TRANSPORT = "transport", "Transport hub or on transport"
    HOSPITAL = "hospital", "Hospital"
    RETURNED_SELF = "returned_self", "Returned of their own accord"
    OUT_OF_AREA = "out_of_area", "Out of the force area"
    UNKNOWN = "unknown", "Not known / not disclosed"
    OTHER = "other", "Other"


class ExploitationOutcome(models.TextChoices):
    """M-16: what was done about the exploitation prompt."""

    REVIEW_REQUESTED = "review_requested", "Exploitation review requested"
    NRM_CONSIDERED = "nrm_considered", "NRM referral considered"
    NOT_NEEDED = "not_needed", "Considered: no review needed"


class Obligation(models.TextChoices):
    """What must be recorded for a high-risk episode (M-07), and the PNC circulation (M-09)."""

    PNC = "pnc", "PNC circulation"
    SENIOR_MANAGER = "senior_manager", "Senior manager involved"
    INVESTIGATING_OFFICER = "investigating_officer", "Investigating officer assigned"
    UKMPU = "ukmpu", "UK Missing Persons Unit notified"
    CHILDRENS_SERVICES = "childrens_services", "Children's services notified"
    MEDIA = "media", "Media strategy decision"
