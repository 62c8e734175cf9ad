"""Child concern referrals (the force's "CRA" form), the CRSU's work on them, and strategy discussions.

A referral is a draft its officer may change until it is submitted; from then on what the officer
wrote is fixed (the database refuses changes: ``submitted_unchanged``) and corrections, the CRSU's
research, ratings, reviews and decisions are new rows that are never changed or deleted
(``append_only``), so the record shows what was known when each decision was made.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from haven.core import clock
from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.referrals.choices import (
    ConcernCategory,
    Decision,
    EntryKind,
    LawfulBasis,
    OfficerGrade,
    PersonRole,
    Rag,
    ReferralState,
    StrategyOutcome,
)

APPEND_ONLY = pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)

# What the raising officer wrote: fixed once the referral is submitted (corrections are entries).
WRITTEN = (
    "categories",
    "narrative",
    "perpetrator_description",
    "child_seen",
    "child_spoken_to",
    "child_words",
    "child_demeanour",
    "child_not_seen_reason",
    "officer_grade",
    "immediate_actions",
    "raised_by_id",
    "submitted_at",
)


class ReferralCounter(models.Model):
    """The last referral number given out in a year (``services.reference_next``)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


@personal_data()
class ChildConcernReferral(BaseModel):
    """One child concern referral: what the officer saw and did, and the CRSU's handling of it."""

    reference = models.CharField(max_length=32, unique=True, editable=False)
    state = models.CharField(max_length=20, choices=ReferralState.choices, default=ReferralState.DRAFT)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey("missing.Episode", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # What the officer writes
    categories = ArrayField(models.CharField(max_length=20, choices=ConcernCategory.choices), default=list)
    narrative = models.TextField(blank=True)
    perpetrator_description = models.TextField(blank=True)
    child_seen = models.BooleanField(null=True)
    child_spoken_to = models.BooleanField(null=True)
    child_words = models.TextField(blank=True, help_text="What the child said, in their own words.")
    child_demeanour = models.TextField(blank=True, help_text="Their behaviour and demeanour.")
    child_not_seen_reason = models.TextField(blank=True, help_text="Why the child was not seen or spoken to.")
    officer_grade = models.CharField(max_length=10, choices=OfficerGrade.choices, blank=True)
    immediate_actions = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The CRSU's handling (each step is also an entry)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    rag = models.CharField(max_length=8, choices=Rag.choices, blank=True)
    share_by = models.DateTimeField(null=True, blank=True, help_text="When it should be shared by (the RAG target).")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When the final decision was made.")
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "submitted_at"], name="referrals_state_submitted")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state=ReferralState.DRAFT) | models.Q(submitted_at__isnull=False),
                name="referrals_submitted_has_time",
            ),
        ]
        triggers = [
            # A submitted referral's own words never change: corrections are entries (append-only).
            pgtrigger.Protect(
                name="submitted_unchanged",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__submitted_at__isnull=False)
                & (
                    pgtrigger.Q(old__categories__df=pgtrigger.F("new__categories"))
                    | pgtrigger.Q(old__narrative__df=pgtrigger.F("new__narrative"))
                    | pgtrigger.Q(old__perpetrator_description__df=pgtrigger.F("new__perpetrator_description"))
                    | pgtrigger.Q(old__child_seen__df=pgtrigger.F("new__child_seen"))
                    | pgtrigger.Q(old__child_spoken_to__df=pgtrigger.F("new__child_spoken_to"))
                    | pgtrigger.Q(old__child_words__df=pgtrigger.F("new__child_words"))
                    | pgtrigger.Q(old__child_demeanour__df=pgtrigger.F("new__child_demeanour"))
                    | pgtrigger.Q(old__child_not_seen_reason__df=pgtrigger.F("new__child_not_seen_reason"))
                    | pgtrigger.Q(old__officer_grade__df=pgtrigger.F("new__officer_grade"))
                    | pgtrigger.Q(old__immediate_actions__df=pgtrigger.F("new__immediate_actions"))
                    | pgtrigger.Q(old__raised_by__df=pgtrigger.F("new__raised_by"))
                    | pgtrigger.Q(old__submitted_at__df=pgtrigger.F("new__submitted_at"))
                ),
            ),
            pgtrigger.Protect(
                name="submitted_kept",
                operation=pgtrigger.Delete,
                condition=pgtrigger.Q(old__submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_draft(self) -> bool:
        return self.state == ReferralState.DRAFT

    def category_labels(self) -> list[str]:
        return [ConcernCategory(c).label for c in self.categories if c in ConcernCategory.values]


@personal_data()
class ReferralPerson(BaseModel):
    """A person from the register on a referral: a child it is about, a household member, or the alleged
    perpetrator."""

    referral = models.ForeignKey(ChildConcernReferral, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=PersonRole.choices)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "person", "role"], name="referrals_person_once_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} as {self.role} on {self.referral_id}"


class ReferralEntry(BaseModel):
    """One step in a referral's life after it is submitted, in words. Append-only."""

    referral = models.ForeignKey(ChildConcernReferral, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"{self.kind} on {self.referral_id}"


class ResearchNote(BaseModel):
    """What the CRSU found in other systems about the people on a referral. Restricted (DP-06): read only
    with need-to-know, every read logged. Append-only."""

    referral = models.ForeignKey(ChildConcernReferral, on_delete=models.CASCADE, related_name="research")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)
    source = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"research on {self.referral_id}"


class ShareDecision(BaseModel):
    """S-04: a share or no-share decision, with its lawful basis and reason. A decision by an officer
    the gate allows only with approval waits for a signed-off colleague's (``approved_by``, a new row:
    :class:`DecisionApproval`). Append-only."""

    referral = models.ForeignKey(ChildConcernReferral, on_delete=models.CASCADE, related_name="decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    reason = models.TextField()
    agency = models.CharField(max_length=200, blank=True, help_text="The partner agency it goes to (a share).")
    agency_id = models.UUIDField(null=True, blank=True, help_text="The agency's Haven id (haven.partners).")
    include_restricted = models.BooleanField(default=False, help_text="The agency also receives restricted data.")
    needs_approval = models.BooleanField(default=False)
    gate_reason = models.TextField(blank=True, help_text="What the training gate said about the decider.")

    class Meta:
        ordering = ["at", "id"]
        triggers = [APPEND_ONLY]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="referrals_decision_has_reason"),
            models.CheckConstraint(condition=~models.Q(lawful_basis=""), name="referrals_decision_has_basis"),
            models.CheckConstraint(
                condition=~models.Q(decision=Decision.SHARE) | ~models.Q(agency=""),
                name="referrals_share_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} on {self.referral_id}"


class DecisionApproval(BaseModel):
    """A signed-off colleague's approval of a decision made by an officer in training. Append-only."""

    decision = models.OneToOneField(ShareDecision, on_delete=models.CASCADE, related_name="approval")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)
    note = models.TextField(blank=True)

    class Meta:
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"approval of {self.decision_id}"


class Share(BaseModel):
    """What went to a partner agency, when, and the partner's reference for it (from haven.partners once
    it is wired: ``partner_reference``)."""

    referral = models.ForeignKey(ChildConcernReferral, on_delete=models.CASCADE, related_name="shares")
    decision = models.OneToOneField(ShareDecision, on_delete=models.PROTECT, related_name="share")
    agency = models.CharField(max_length=200)
    at = models.DateTimeField(default=clock.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    projection = models.JSONField(default=dict, help_text="A copy of what was shared.")
    partner_reference = models.CharField(max_length=100, blank=True, help_text="The shared item's id in the portal.")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"share of {self.referral_id} with {self.agency}"


@personal_data()
class StrategyDiscussion(BaseModel):
    """S-03: a strategy discussion about one or more referrals (and cases): who took part, what was
    decided, and when an initial child protection conference is due (the local authority's; shown for
    information)."""

    held_on = models.DateField()
    attendees = models.TextField()
    agencies = ArrayField(models.CharField(max_length=200), default=list)
    outcome = models.CharField(max_length=16, choices=StrategyOutcome.choices)
    decision = models.TextField()
    icpc = models.BooleanField(default=False, help_text="An initial child protection conference is to be held.")
    icpc_due = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referrals = models.ManyToManyField(ChildConcernReferral, related_name="strategy_discussions")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"strategy discussion on {self.held_on}"
