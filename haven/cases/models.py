"""The Case envelope every record shares: reference, kind, subject, owner, team, state, sensitivity.

Domain apps (missing, referrals, protection, custody) add a one-to-one detail model to ``Case``;
ownership, handover, access, timeline and the s62 log work on the envelope alone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from haven.cases.choices import CaseKind, CaseState, EntryKind, InvolvementRole, Sensitivity
from haven.core import clock
from haven.core.history import personal_data
from haven.core.models import BaseModel


class ReferenceCounter(models.Model):
    """The last sequence number given out for a force prefix and year (see ``services.reference_next``)."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="cases_refcounter_prefix_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


@personal_data()
class Case(BaseModel):
    """A case about a child: the envelope of every domain record.

    ``version`` is bumped by every edit: a save against an older version is a conflict, never a
    silent overwrite. ``pending_owner`` is set while a handover awaits acknowledgement (rule M-10).
    """

    reference = models.CharField(max_length=32, unique=True, editable=False)
    kind = models.CharField(max_length=32, choices=CaseKind.choices, default=CaseKind.GENERAL)
    summary = models.CharField(max_length=200, blank=True, help_text="A line that says what the case is about.")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="subject_of_cases")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_cases")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    pending_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=16, choices=CaseState.choices, default=CaseState.OPEN)
    sensitivity = models.CharField(max_length=16, choices=Sensitivity.choices, default=Sensitivity.NORMAL)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="restricted_cases")
    # Who restricted the case and when: told to those it shuts out ("Restricted by … on …", nothing else).
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restricted_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(default=clock.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    area = models.CharField(max_length=100, blank=True, help_text="The policing area the work belongs to.")
    queued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Since when the case waits in its team's queue for the duty sergeant to allocate it.",
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "state"], name="cases_case_owner_state"),
            models.Index(fields=["team", "state"], name="cases_case_team_state"),
            # The few restricted cases, for "every case but those hidden from me" (haven.dmm's board).
            models.Index(fields=["id"], condition=~models.Q(sensitivity="normal"), name="cases_case_restricted"),
            # A team's queue: the few cases waiting for allocation.
            models.Index(fields=["team", "queued_at"], condition=models.Q(queued_at__isnull=False), name="cases_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state=CaseState.OPEN, closed_at__isnull=True)
                | models.Q(state=CaseState.CLOSED, closed_at__isnull=False),
                name="cases_case_closed_at_matches_state",
            ),
            # Only open work waits in a queue, and only a team's queue.
            models.CheckConstraint(
                condition=models.Q(queued_at__isnull=True) | models.Q(state=CaseState.OPEN, team__isnull=False),
                name="cases_case_queued_open_with_team",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_restricted(self) -> bool:
        return self.sensitivity == Sensitivity.RESTRICTED

    @property
    def is_queued(self) -> bool:
        return self.queued_at is not None

    @property
    def awaiting_acknowledgement(self) -> bool:
        return self.pending_owner_id is not None


@personal_data()
class Involvement(BaseModel):
    """A person's part in a case. One row per case, person and role (s38 categories kept apart)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_involvements")
    role = models.CharField(max_length=32, choices=InvolvementRole.choices)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="cases_involvement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} as {self.role} in {self.case_id}"


@personal_data()
class TimelineEntry(BaseModel):
    """A note (fact or assessment) or a system event (opened, handover, glass broken) on a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


@personal_data()
class Handover(BaseModel):
    """A transfer of ownership (rule M-10): pending until the new owner acknowledges it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_received")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    at = models.DateTimeField(default=clock.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(acknowledged_at__isnull=True, superseded_at__isnull=True),
                name="cases_handover_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Handover of {self.case_id} to {self.to_user_id}"

    @property
    def is_pending(self) -> bool:
        return self.acknowledged_at is None and self.superseded_at is None


@personal_data()
class BreakGlass(BaseModel):
    """A user outside a restricted case's members opened it, giving a reason. Lasts ``BREAK_GLASS_LASTS``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="glass_breaks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "case", "expires_at"], name="cases_breakglass_lookup")]

    def __str__(self) -> str:
        return f"Glass broken on {self.case_id} by {self.user_id}"
