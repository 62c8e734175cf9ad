"""Deadlines: "someone must do X about this case by T", and the exactly-once escalations of each."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.deadlines.choices import LIVE_STATES, DeadlineState, ResponsibleKind

# The states are named here too for the app's own modules; other apps use haven.deadlines.choices.
__all__ = ["LIVE_STATES", "Deadline", "DeadlineState", "Escalation", "ResponsibleKind"]


@personal_data()
class Deadline(BaseModel):
    """A time limit that protects a child, on a case, owned by a person or a team; or, without a case,
    one about a person's own duty (an officer's refresher training, T-02), always a named person's.

    ``ladder`` is a snapshot of the kind's escalation ladder (force policy) taken at creation, so a
    later policy change never alters a deadline already open. ``key`` names the domain record the
    deadline serves (``episode:<uuid>:review``); at most one live deadline per case and key (per key
    for deadlines without a case).
    ``responsible_kind`` says whose it is: the case owner's (it moves when the case changes owner), a
    named person's (it stays) or the team's (it follows the case's team).
    """

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=64)
    rule_id = models.CharField(max_length=16)
    what = models.CharField(max_length=200, help_text="What must be done, in plain words.")
    key = models.CharField(max_length=200)
    due_at = models.DateTimeField()
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    responsible_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    responsible_kind = models.CharField(
        max_length=8,
        choices=ResponsibleKind.choices,
        default=ResponsibleKind.NAMED,
        help_text="Whose it is: the case owner's (moves with the case), a named person's, or the team's.",
    )
    state = models.CharField(max_length=16, choices=DeadlineState.choices, default=DeadlineState.OPEN)
    ladder = models.JSONField(default=list, help_text="The escalation ladder in force when the deadline was created.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    breached_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    met_how = models.CharField(max_length=200, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_reason = models.TextField(blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_reason = models.TextField(blank=True)
    rescheduled_at = models.DateTimeField(null=True, blank=True)
    rescheduled_reason = models.TextField(blank=True, help_text="Why the due time was last moved.")

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="deadlines_state_due"),
            models.Index(fields=["responsible_user", "state"], name="deadlines_user_state"),
            models.Index(fields=["responsible_team", "state"], name="deadlines_team_state"),
            # The DMM board's 30-day overdue trend (haven.dmm.sections.overdue): the deadlines neither met
            # nor cancelled, and those met or cancelled lately, each read without the met history.
            models.Index(
                fields=["due_at"],
                condition=models.Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="deadlines_unfinished_due",
            ),
            models.Index(fields=["met_at"], condition=models.Q(met_at__isnull=False), name="deadlines_met_at"),
            models.Index(
                fields=["cancelled_at"], condition=models.Q(cancelled_at__isnull=False), name="deadlines_cancelled_at"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "key"],
                condition=models.Q(state__in=list(LIVE_STATES)),
                name="deadlines_one_live_per_case_key",
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(case__isnull=True, state__in=list(LIVE_STATES)),
                name="deadlines_one_live_per_key_without_case",
            ),
            # Without a case there is no owner nor case team to follow: a named person's only.
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(responsible_kind=ResponsibleKind.NAMED),
                name="deadlines_without_case_is_named",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=DeadlineState.MET) | models.Q(met_at__isnull=False),
                name="deadlines_met_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=DeadlineState.CANCELLED)
                | (models.Q(cancelled_at__isnull=False) & ~models.Q(cancelled_reason="")),
                name="deadlines_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=DeadlineState.PAUSED)
                | (models.Q(paused_at__isnull=False) & ~models.Q(paused_reason="")),
                name="deadlines_paused_has_reason",
            ),
            # A named person's deadline names them; a team's names a team and nobody.
            models.CheckConstraint(
                condition=~models.Q(responsible_kind=ResponsibleKind.NAMED) | models.Q(responsible_user__isnull=False),
                name="deadlines_named_has_user",
            ),
            models.CheckConstraint(
                condition=~models.Q(responsible_kind=ResponsibleKind.TEAM)
                | models.Q(responsible_user__isnull=True, responsible_team__isnull=False),
                name="deadlines_team_has_team_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES


class Escalation(models.Model):
    """One rung of one deadline's ladder: fires exactly once (unique per deadline and step).

    Rows are made when the deadline is created (``fire_at`` = due time + offset). The sweep takes
    due rows with ``SELECT … FOR UPDATE SKIP LOCKED``, tells the recipients and sets ``fired_at`` in
    the same transaction, so a crashed worker leaves the row unfired and the next sweep fires it.
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="escalations")
    step = models.PositiveSmallIntegerField()
    offset_minutes = models.IntegerField()
    notify = models.CharField(max_length=32)
    severity = models.CharField(max_length=16)
    fire_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    notified_level = models.CharField(
        max_length=32, blank=True, help_text="The level actually told (after stepping up)."
    )
    recipients = models.JSONField(default=list, blank=True, help_text="Public ids of the users told.")
    skipped = models.BooleanField(default=False, help_text="Not sent: the deadline was met, cancelled or moved on.")

    class Meta:
        ordering = ["deadline_id", "step"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "step"], name="deadlines_escalation_once_per_step"),
        ]
        indexes = [
            # what the sweep looks for: not fired and not skipped (a force's years of met deadlines leave
            # millions of skipped rows, which an index on unfired rows alone would walk every second)
            models.Index(
                fields=["fire_at"],
                condition=models.Q(fired_at__isnull=True, skipped=False),
                name="deadlines_escalation_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"step {self.step} of deadline {self.deadline_id} at {self.fire_at:%Y-%m-%d %H:%M}"
