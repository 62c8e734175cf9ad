"""Trigger plans (domain §2.8, rules M-14, M-15).

A trigger plan is a ``cases.Case`` of kind ``trigger_plan`` about the child, so ownership,
handover (M-10), need-to-know and deadlines work on it like on any case. ``TriggerPlan`` is its
one-to-one detail; the content lives in ``PlanVersion`` rows: each revision or review is a new
whole version that supersedes the previous one. A superseded version is read-only (a database
trigger refuses any change to it), and at most one version per plan is current (a partial unique
constraint). ``RepeatMissingFlag`` marks a child who crossed the repeat-missing threshold (M-14).
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from haven.core import clock
from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.triggerplans.choices import ActionKind, VersionKind


@personal_data()
class TriggerPlan(BaseModel):
    """The detail of a trigger-plan case: one per case, one open plan per child (services keep it so).

    ``current`` is set by the selectors to the current ``PlanVersion`` (or None before the first).
    """

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="trigger_plan")

    current: PlanVersion | None = None

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Trigger plan {self.case_id}"

    # Conveniences for other apps (haven.missing shows the current plan at first contact).
    @property
    def child(self) -> object:
        return self.case.subject

    @property
    def owner(self) -> object:
        return self.case.owner

    @property
    def number(self) -> int | None:
        return self.current.number if self.current else None

    @property
    def review_date(self) -> object:
        return self.current.review_date if self.current else None

    @property
    def actions(self) -> list[PlanAction]:
        return list(self.current.actions.all()) if self.current else []


@personal_data()
class PlanVersion(BaseModel):
    """One whole version of a trigger plan (M-15): agencies, thresholds, review date and its actions.

    Written once. Only ``superseded_at`` is ever set afterwards, once, when a newer version (which
    points back with ``previous``) replaces it; after that the row is read-only (database trigger).
    """

    plan = models.ForeignKey(TriggerPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=VersionKind.choices, default=VersionKind.CREATED)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)
    agencies = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    thresholds = ArrayField(
        models.CharField(max_length=500),
        default=list,
        blank=True,
        help_text="What raises the risk grade when the child next goes missing.",
    )
    review_date = models.DateField()
    note = models.TextField(blank=True, help_text="What changed and why, or what the review found.")
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        indexes = [
            # The DMM board's plans past review (haven.dmm.sections.repeat): current versions by review date.
            models.Index(
                fields=["review_date"],
                condition=models.Q(superseded_at__isnull=True),
                name="triggerplans_current_review",
            ),
        ]
        constraints = [
            # M-15: one current version per plan.
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(superseded_at__isnull=True), name="triggerplans_one_current_version"
            ),
            models.UniqueConstraint(fields=["plan", "number"], name="triggerplans_version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number=1, previous__isnull=True) | models.Q(number__gt=1, previous__isnull=False),
                name="triggerplans_version_follows_previous",
            ),
        ]
        triggers = [
            # M-15: a superseded version is read-only, whatever writes to it.
            pgtrigger.Protect(
                name="triggerplans_superseded_read_only",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__superseded_at__isnull=False),
            ),
            # The content of any version is written once; only the superseding may be set later.
            pgtrigger.Protect(
                name="triggerplans_version_content_fixed",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(exclude=["superseded_at", "updated_at"]),
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.plan_id}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


@personal_data()
class PlanAction(BaseModel):
    """A directive action of a plan version: typed, naming the place, person or contact it is about.

    ``target`` is what it names (an address, a place, a person's name, a phone number, a handle,
    who to tell); ``person`` optionally links the named person in the register. ``enquiry_type``
    is the haven.missing enquiry it is offered as when the child next goes missing.
    Written with its version and never changed (a merge of people may move ``person``).
    """

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=ActionKind.choices)
    target = models.CharField(max_length=500, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="trigger_plan_actions"
    )
    instructions = models.TextField(blank=True)
    enquiry_type = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="triggerplans_action_position_unique"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="triggerplans_action_fixed",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(exclude=["person", "updated_at"]),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def names(self) -> str:
        """What the action names: the target text, or the linked person."""
        if self.target:
            return self.target
        return str(self.person) if self.person_id else ""

    @property
    def enquiry_label(self) -> str:
        """The enquiry type in words ("Address check"), or "" for none."""
        if not self.enquiry_type:
            return ""
        from haven.missing.choices import EnquiryType

        return str(dict(EnquiryType.choices).get(self.enquiry_type, self.enquiry_type))

    @property
    def text(self) -> str:
        """One line for an enquiry: "Check an address: 12 Mill Lane, LS1 — ask for Dean"."""
        line = f"{self.get_kind_display()}: {self.names}"
        if self.instructions:
            line += f" — {self.instructions}"
        return line


@personal_data()
class RepeatMissingFlag(BaseModel):
    """M-14: the child crossed the repeat-missing threshold. One active flag per child.

    ``episodes``, ``threshold`` and ``window_days`` record what was counted when it was last checked;
    ``deadline_case`` and ``deadline_key`` name the "trigger plan required" deadline it raised.
    """

    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="repeat_missing_flags")
    raised_at = models.DateTimeField(default=clock.now)
    last_checked_at = models.DateTimeField(default=clock.now)
    episodes = models.PositiveIntegerField()
    threshold = models.PositiveIntegerField()
    window_days = models.PositiveIntegerField()
    deadline_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    deadline_key = models.CharField(max_length=120, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(ended_at__isnull=True), name="triggerplans_one_active_flag"
            ),
        ]

    def __str__(self) -> str:
        return f"Repeat missing: {self.child_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
