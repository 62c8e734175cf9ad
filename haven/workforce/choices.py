"""The vocabularies of haven.workforce (domain §11, rules T-01 and T-02)."""

from __future__ import annotations

from django.db import models


class Standard(models.TextChoices):
    """The qualifications and courses every force starts with (seeded by migration 0002). A force may
    add its own records; these codes are the ones force policy names for each activity."""

    PIP1 = "pip1", "PIP level 1 (priority and volume crime)"
    PIP2 = "pip2", "PIP level 2 (serious and complex investigation)"
    ABE = "abe", "Achieving Best Evidence interviewing"
    SCAIDP = "scaidp", "Specialist Child Abuse Investigator Development Programme"
    ARMS = "arms", "ARMS assessment"
    KIRAT = "kirat", "KIRAT assessment"
    CUSTODY_OFFICER = "custody_officer", "Custody officer"
    DESIGNATED_OFFICER = "designated_officer", "Designated officer for police protection"
    CRSU_RESEARCHER = "crsu_researcher", "CRSU researcher"
    MISSING_ELEARNING_1 = "missing_elearning_1", "Missing people e-learning: module 1"
    MISSING_ELEARNING_2 = "missing_elearning_2", "Missing people e-learning: module 2"


class QualificationKind(models.TextChoices):
    ACCREDITATION = "accreditation", "Accreditation"
    COURSE = "course", "Course"
    ELEARNING = "elearning", "E-learning module"
    READING = "reading", "Required reading"  # a guidance document or briefing (haven.guidance)


class Activity(models.TextChoices):
    """Work the gate (T-01) is asked about: "may this officer do this, alone?"."""

    LEAD_CHILD_ABUSE_INVESTIGATION = "lead_child_abuse_investigation", "Lead a child abuse investigation"
    HIGH_RISK_MISSING_INVESTIGATION = "high_risk_missing_investigation", "Investigate a high-risk missing episode"
    VISUALLY_RECORDED_INTERVIEW = "visually_recorded_interview", "Conduct a visually recorded child interview"
    ARMS_ASSESSMENT = "arms_assessment", "Complete an ARMS assessment"
    KIRAT_ASSESSMENT = "kirat_assessment", "Complete a KIRAT assessment"
    CRSU_SHARE_INFORMATION = "crsu_share_information", "CRSU: share information with partners"
    CUSTODY = "custody", "Act as custody officer"
    POLICE_PROTECTION = "police_protection", "Act as designated officer for police protection"


class Answer(models.TextChoices):
    """The gate's three answers."""

    ALONE = "alone", "Allowed alone"
    WITH_APPROVAL = "with_approval", "Allowed with approval by a signed-off colleague"
    REFUSED = "refused", "Refused"


class CompetenceState(models.TextChoices):
    IN_TRAINING = "in_training", "In training"
    ASSESSED = "assessed", "Assessed"
    SIGNED_OFF = "signed_off", "Signed off"
    WITHDRAWN = "withdrawn", "Withdrawn"
