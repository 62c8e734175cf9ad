"""The skills register (qualifications and each officer's record of them), competence sign-off per
officer and activity, and inspectors' overrides of the gate (domain §11, T-01).

Officers' records are staff personal data: every change is kept by pghistory (``personal_data``).
"""

from __future__ import annotations

import calendar
from datetime import date

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.workforce.choices import Activity, CompetenceState, QualificationKind


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on; the 31st becomes the month's last day if it has fewer."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@personal_data()
class Qualification(BaseModel):
    """A qualification, accreditation, course or e-learning module the force records, with its rules."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=QualificationKind.choices)
    # None: held for good once gained. Otherwise it must be renewed (a refresher) within this many months.
    validity_months = models.PositiveSmallIntegerField(null=True, blank=True)
    mandatory = models.BooleanField(default=False, help_text="Every operational officer must hold it (T-02).")
    # Mandatory only for these roles (haven.core.permissions.Role values); empty: for every operational officer.
    mandatory_for_roles = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def expiry_for(self, achieved_on: date) -> date | None:
        """The first day a record gained on ``achieved_on`` no longer counts (None: never)."""
        if self.validity_months is None:
            return None
        return add_months(achieved_on, self.validity_months)


@personal_data()
class OfficerQualification(BaseModel):
    """An officer's record of one qualification: the latest gain or refresher (earlier ones in history)."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qualifications")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="records")
    achieved_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)  # computed from the qualification's validity
    evidence_reference = models.CharField(max_length=200)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField()

    class Meta:
        ordering = ["qualification__name"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "qualification"], name="workforce_one_record_per_qualification")
        ]

    def current_on(self, day: date) -> bool:
        return self.achieved_on <= day and (self.expires_on is None or day < self.expires_on)


@personal_data()
class Competence(BaseModel):
    """An officer's sign-off for one activity: in training (mentor, start) → assessed → signed off, or
    withdrawn. Each step's date and person stay on the row; every change is in its history."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="competences")
    activity = models.CharField(max_length=64, choices=Activity.choices)
    state = models.CharField(max_length=16, choices=CompetenceState.choices, default=CompetenceState.IN_TRAINING)
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentees")
    started_on = models.DateField()
    assessed_on = models.DateField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    assessment_note = models.TextField(blank=True)
    signed_off_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["activity"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "activity"], name="workforce_one_competence_per_activity"),
            models.CheckConstraint(
                condition=~models.Q(state=CompetenceState.SIGNED_OFF) | models.Q(signed_off_by__isnull=False),
                name="workforce_signed_off_names_who",
            ),
        ]


@personal_data()
class Override(BaseModel):
    """An inspector lets an officer do an activity the gate would refuse: with a reason, until an end."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gate_overrides")
    activity = models.CharField(max_length=64, choices=Activity.choices)
    reason = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="workforce_override_has_reason"),
        ]


@pghistory.track()
class Establishment(BaseModel):
    """How many posts a team has (its establishment), set by an administrator: the capacity view sets
    the officers in post and signed off against it. Every change is kept (pghistory), with who set it."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="establishment")
    posts = models.PositiveSmallIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["team__name"]

    def __str__(self) -> str:
        return f"{self.team}: {self.posts} posts"
