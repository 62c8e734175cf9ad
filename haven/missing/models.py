"""Missing-child episodes (domain §2): the report, risk assessments, enquiries, supervision, found,
prevention interview and return home interview.

An ``Episode`` is the one-to-one detail of a ``Case`` of kind ``CaseKind.MISSING``: ownership,
handover (M-10), access and the timeline live on the case. A new episode for the same child is a new
episode, never a reopened one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from haven.core import clock
from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.missing.choices import (
    ACTIVE_STATES,
    CraDecision,
    EnquiryPriority,
    EnquiryStatus,
    EnquiryType,
    EpisodeState,
    ExploitationOutcome,
    InterviewMode,
    MissingFrom,
    ReasonMissing,
    RhiStatus,
    RiskGrade,
    WhereFound,
)

__all__ = [
    "Enquiry",
    "EnquiryStatus",
    "EnquiryType",
    "Episode",
    "EpisodeState",
    "InformationSource",
    "PreventionInterview",
    "ReturnHomeInterview",
    "RiskAssessment",
    "RiskGrade",
    "Sighting",
    "SupervisorReview",
]

USER = settings.AUTH_USER_MODEL


@personal_data()
class Episode(BaseModel):
    """One missing episode of one child: the one-to-one detail of a missing ``Case``.

    ``grade`` and ``next_review_due`` mirror the latest ``RiskAssessment`` or review (M-03: the
    assessments themselves are append-only) so lists can filter on them. The flags (looked-after,
    authorities, Philomena: M-13) are a snapshot taken at report time and confirmed at grading.
    """

    case = models.OneToOneField("cases.Case", related_name="missing_episode", on_delete=models.PROTECT)
    child = models.ForeignKey("people.Person", related_name="missing_episodes", on_delete=models.PROTECT)
    state = models.CharField(max_length=16, choices=EpisodeState.choices, default=EpisodeState.REPORTED)
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    replayed = False
    """Not a column: True on the episode a retried report (same idempotency key) returns, so the API
    answers 200 for the report already made rather than 201."""
    briefing_only = False
    """Not a column: True on an episode listed for an officer who may only read its briefing to help find
    the child (``selectors.episode_locatable_by``), not work its case."""
    plan_actions: list[Any] = []  # noqa: RUF012 - not a column: set by selectors.briefing for the page

    # The report: ``called_at`` is when the person reporting called (the time the page shows as
    # "Reported"); ``reported_at`` is when it was typed into Haven.
    reported_at = models.DateTimeField(default=clock.now)
    called_at = models.DateTimeField(null=True, blank=True)
    informant_name = models.CharField(max_length=200)
    informant_relationship = models.CharField(max_length=100, blank=True)
    informant_contact = models.CharField(max_length=200, blank=True)
    last_seen_at = models.DateTimeField()
    last_seen_where = models.CharField(max_length=300)
    last_seen_by = models.CharField(max_length=200, blank=True)
    missing_from = models.CharField(max_length=16, choices=MissingFrom.choices)
    circumstances = models.TextField()
    out_of_character = models.BooleanField(null=True, blank=True)
    clothing = models.TextField(blank=True, help_text="Philomena part 2: what they were wearing")
    # The description as given for this episode (it changes as children grow): for the briefing sheet.
    height = models.CharField(max_length=100, blank=True)
    build = models.CharField(max_length=100, blank=True)
    hair = models.CharField(max_length=200, blank=True)
    features = models.TextField(blank=True, help_text="Distinguishing features: scars, tattoos, piercings, glasses")
    phone_numbers = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    social_media = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    risks_to_finder = models.TextField(blank=True, help_text="What an officer who finds the child should know")
    placement_address = models.TextField(blank=True, help_text="The children's home or foster placement's address")
    source_reference = models.CharField(max_length=64, blank=True, help_text="e.g. a command-and-control log number")

    # M-13: looked-after status and Philomena
    looked_after = models.BooleanField(default=False)
    responsible_authority = models.CharField(max_length=200, blank=True)
    host_authority = models.CharField(max_length=200, blank=True)
    philomena_exists = models.BooleanField(null=True, blank=True)
    philomena_obtained_at = models.DateTimeField(null=True, blank=True)

    # Current grade (mirrors the latest assessment) and review (M-04)
    grade = models.CharField(max_length=16, choices=RiskGrade.choices, blank=True)
    next_review_due = models.DateTimeField(null=True, blank=True)

    # M-07 high-risk obligations, M-08 Child Rescue Alert, M-09 PNC
    pnc_circulated_at = models.DateTimeField(null=True, blank=True)
    ukmpu_notified_at = models.DateTimeField(null=True, blank=True)
    childrens_services_notified_at = models.DateTimeField(null=True, blank=True)
    senior_manager_involved_at = models.DateTimeField(null=True, blank=True)
    senior_manager = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    investigating_officer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    media_strategy = models.TextField(blank=True)
    media_strategy_at = models.DateTimeField(null=True, blank=True)
    cra_decision = models.CharField(max_length=16, choices=CraDecision.choices, blank=True)
    cra_reason = models.TextField(blank=True)
    cra_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cra_at = models.DateTimeField(null=True, blank=True)

    # Found
    found_at = models.DateTimeField(null=True, blank=True)
    found_where = models.CharField(max_length=300, blank=True)
    found_where_code = models.CharField(max_length=32, choices=WhereFound.choices, blank=True)
    found_by = models.CharField(max_length=200, blank=True)
    found_condition = models.TextField(blank=True)
    found_far_from_home = models.BooleanField(default=False)
    found_with_adults_of_concern = models.BooleanField(default=False)

    # M-11 waiver (supervisor-approved reason why no prevention interview was possible)
    prevention_waived_reason = models.TextField(blank=True)
    prevention_waived_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    prevention_waived_at = models.DateTimeField(null=True, blank=True)

    # M-16 exploitation prompt
    exploitation_prompt = models.TextField(blank=True, help_text="Why an exploitation review is prompted")
    exploitation_outcome = models.CharField(max_length=32, choices=ExploitationOutcome.choices, blank=True)
    exploitation_note = models.TextField(blank=True)
    exploitation_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    exploitation_at = models.DateTimeField(null=True, blank=True)

    # Ending
    reason_missing = models.CharField(max_length=32, choices=ReasonMissing.choices, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    end_reason = models.TextField(blank=True)
    crime_reference = models.CharField(max_length=64, blank=True)
    # Closed by a supervisor while an exploitation review (M-16) or the children's services
    # notification (M-07) was still outstanding: why, who and when.
    close_override_reason = models.TextField(blank=True)
    close_override_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    close_override_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["child", "reported_at"], name="missing_episode_child_at"),
            models.Index(fields=["state"], name="missing_episode_state"),
            # The DMM board (haven.dmm.sections): children found in the last 24 hours and the areas of the
            # last 30 days (found_at); the 30-day trend reads the episodes not back yet and those found or
            # ended lately, each through its own index, never the closed history.
            models.Index(
                fields=["found_at"], condition=models.Q(found_at__isnull=False), name="missing_episode_found_at"
            ),
            models.Index(
                fields=["ended_at"], condition=models.Q(ended_at__isnull=False), name="missing_episode_ended_at"
            ),
            models.Index(
                fields=["reported_at"],
                condition=models.Q(found_at__isnull=True, ended_at__isnull=True),
                name="missing_episode_not_back",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reported_by", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="missing_episode_idempotency",
            ),
            # A child can be missing in only one open episode at a time.
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(state__in=[s.value for s in ACTIVE_STATES]),
                name="missing_episode_one_active_per_child",
            ),
            models.CheckConstraint(
                condition=models.Q(found_at__isnull=True) | models.Q(found_at__gte=models.F("last_seen_at")),
                name="missing_episode_found_after_last_seen",
            ),
            # The call that reported the child came after they were last seen.
            models.CheckConstraint(
                condition=models.Q(called_at__isnull=True) | models.Q(called_at__gte=models.F("last_seen_at")),
                name="missing_episode_called_after_last_seen",
            ),
            # M-11 at the database: a closed episode has a prevention interview waiver or an interview
            # (the interview row is checked in the service; the waiver needs its reason).
            models.CheckConstraint(
                condition=models.Q(prevention_waived_at__isnull=True) | ~models.Q(prevention_waived_reason=""),
                name="missing_episode_waiver_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(close_override_at__isnull=True) | ~models.Q(close_override_reason=""),
                name="missing_episode_close_override_has_reason",
            ),
            # M-13: a looked-after child has a responsible authority.
            models.CheckConstraint(
                condition=models.Q(looked_after=False) | ~models.Q(responsible_authority=""),
                name="missing_episode_looked_after_has_la",
            ),
        ]

    def __str__(self) -> str:
        return f"Missing episode {self.case_id} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def duration(self) -> timedelta:
        """How long the child was missing (to now while still missing)."""
        end = self.found_at or (self.ended_at if not self.is_active else None) or clock.now()
        return end - self.last_seen_at

    @property
    def duration_words(self) -> str:
        return clock.duration_words(self.duration)


@personal_data()
class RiskAssessment(BaseModel):
    """A risk grade (M-01) with its rationale and sources (M-02). Append-only (M-03): the current grade
    is the latest; a database trigger refuses updates and deletes."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    grade = models.CharField(max_length=16, choices=RiskGrade.choices)
    vocabulary_version = models.CharField(max_length=32)
    rationale = models.TextField()
    assessed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assessed_by_role = models.CharField(max_length=100, blank=True, help_text="Rank or role when assessed")
    assessed_at = models.DateTimeField(default=clock.now)
    next_review_due = models.DateTimeField()
    agreed_actions = models.TextField(blank=True, help_text="M-05: actions agreed with the person reporting")
    floor_override_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    floor_override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["assessed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(rationale=""), name="missing_assessment_has_rationale"),
            models.CheckConstraint(
                condition=~models.Q(vocabulary_version=""), name="missing_assessment_has_vocabulary_version"
            ),
            models.CheckConstraint(
                condition=~models.Q(grade=RiskGrade.VERY_LOW) | ~models.Q(agreed_actions=""),
                name="missing_assessment_very_low_has_actions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} at {self.assessed_at:%Y-%m-%d %H:%M}"


@personal_data()
class InformationSource(BaseModel):
    """A piece of information a risk assessment relied on, who gave it and when (M-02). Append-only."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="sources")
    information = models.TextField()
    provider_name = models.CharField(max_length=200)
    provider_contact = models.CharField(max_length=200)
    obtained_at = models.DateTimeField()

    class Meta:
        ordering = ["obtained_at", "id"]

    def __str__(self) -> str:
        return f"From {self.provider_name}"


@personal_data()
class Enquiry(BaseModel):
    """A task on the episode: the one place where activity is recorded."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="enquiries")
    type = models.CharField(max_length=32, choices=EnquiryType.choices)
    description = models.TextField()
    priority = models.CharField(max_length=16, choices=EnquiryPriority.choices, default=EnquiryPriority.ROUTINE)
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=clock.now)
    allocated_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="missing_enquiries"
    )
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=EnquiryStatus.choices, default=EnquiryStatus.RAISED)
    result = models.TextField(blank=True)
    completed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    from_plan = models.BooleanField(default=False, help_text="Offered from the child's trigger plan")

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name_plural = "enquiries"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=EnquiryStatus.COMPLETED)
                | (models.Q(completed_at__isnull=False) & ~models.Q(result="")),
                name="missing_enquiry_completed_has_result",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EnquiryStatus.CANCELLED) | ~models.Q(cancel_reason=""),
                name="missing_enquiry_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in (EnquiryStatus.RAISED, EnquiryStatus.ALLOCATED, EnquiryStatus.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < clock.now()


@personal_data()
class SupervisorReview(BaseModel):
    """A supervisor's recorded review of the episode (domain §2.4), with the next review time (M-04)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reviewer_role = models.CharField(max_length=100, blank=True)
    reviewed_at = models.DateTimeField(default=clock.now)
    grade_confirmed = models.BooleanField(default=True)
    decision = models.TextField()
    next_review_due = models.DateTimeField()

    class Meta:
        ordering = ["reviewed_at", "id"]

    def __str__(self) -> str:
        return f"Review at {self.reviewed_at:%Y-%m-%d %H:%M}"


@personal_data()
class PreventionInterview(BaseModel):
    """The prevention interview / safe and well check after the child is found (M-11)."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="prevention_interview")
    done_at = models.DateTimeField()
    done_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=16, choices=InterviewMode.choices)
    why_went = models.TextField(blank=True)
    what_happened = models.TextField(blank=True)
    harm_or_crime = models.TextField(blank=True, help_text="Disclosures of harm or crimes identified")
    with_whom = models.TextField(blank=True)
    safeguarding_referrals = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Prevention interview at {self.done_at:%Y-%m-%d %H:%M}"


@personal_data()
class ReturnHomeInterview(BaseModel):
    """The return home interview the responsible local authority must offer (M-12): due 72 h after found."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="return_interview")
    authority = models.CharField(max_length=200)
    recipient = models.CharField(max_length=254, help_text="Who at the authority was told (team or address)")
    channel = models.CharField(max_length=32, default="secure e-mail")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=RhiStatus.choices, default=RhiStatus.REQUESTED)
    offered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    interviewer = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True, help_text="Why declined or not done")
    themes = models.TextField(blank=True, help_text="What the interview found, shared back")
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=[RhiStatus.DECLINED, RhiStatus.NOT_DONE]) | ~models.Q(reason=""),
                name="missing_rhi_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Return home interview ({self.status})"


@personal_data()
class Sighting(BaseModel):
    """A sighting of a missing child, or information about where they are, from any operational officer:
    finding a missing child is everyone's job. Append-only; the episode's owner is told at once.

    A sighting reported by the child's name (the officer cannot see a restricted child's episode, or did
    not find the child) is matched to the one episode of a child of that name missing now; unmatched, it
    keeps the name given and the duty sergeant of the default area is asked to match it."""

    episode = models.ForeignKey(
        Episode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sightings",
        help_text="None until matched: a sighting reported by the child's name that matched no one episode",
    )
    child_name = models.CharField(max_length=200, blank=True, help_text="As reported, for a sighting by name")
    child_born = models.DateField(null=True, blank=True, help_text="As reported, for a sighting by name")
    seen_at = models.DateTimeField(help_text="When the child was seen (or the information given)")
    where = models.CharField(max_length=300)
    information = models.TextField(help_text="What was seen or said: who with, how they seemed, which way")
    source = models.CharField(max_length=200, blank=True, help_text="Who saw them or gave it, if not the officer")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-seen_at", "-id"]
        constraints = [
            # A sighting is of an episode, or of a child named by whoever saw them.
            models.CheckConstraint(
                condition=models.Q(episode__isnull=False) | ~models.Q(child_name=""),
                name="missing_sighting_of_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Sighting at {self.seen_at:%Y-%m-%d %H:%M}"
