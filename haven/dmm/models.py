"""The record of each daily management meeting (domain §4, rule D-02): who met, what they decided about
which case, and the actions they gave, each with an owner and a due time and each a deadline.

A meeting is read-only once closed: the services refuse changes and database triggers refuse them too.
Actions outlive their meeting: an action still open is carried into every later meeting (D-02), and
``MeetingAction`` records, per meeting, which actions it raised or carried and how each stood at close.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from haven.core import clock
from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.dmm.choices import ActionState, MeetingState

USER = settings.AUTH_USER_MODEL

_CLOSED_MEETING_GUARD = (
    "IF (SELECT state FROM dmm_meeting WHERE id = {row}.meeting_id) = 'closed' THEN "
    "RAISE EXCEPTION 'the meeting is closed: its record is read-only' USING ERRCODE = 'check_violation'; "
    "END IF; RETURN {row};"
)


@personal_data()
class Meeting(BaseModel):
    """One daily management meeting: the day, the chair, who attended, open or closed (D-02)."""

    held_on = models.DateField(help_text="The day of the meeting (Europe/London).")
    chair = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="dmm_meetings_chaired")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="dmm_meetings_attended")
    other_attendees = models.TextField(blank=True, help_text="Partners and others present who are not Haven users.")
    state = models.CharField(max_length=16, choices=MeetingState.choices, default=MeetingState.OPEN)
    started_at = models.DateTimeField(default=clock.now)
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    board_at_close = models.JSONField(
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text="The board as it stood when the meeting closed (D-01): its sections, rows and counts.",
    )

    class Meta:
        ordering = ["-held_on", "-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state=MeetingState.OPEN, closed_at__isnull=True)
                | models.Q(state=MeetingState.CLOSED, closed_at__isnull=False),
                name="dmm_meeting_closed_at_matches_state",
            ),
            # One meeting runs at a time, so open actions carry into exactly one next meeting (D-02).
            models.UniqueConstraint(
                fields=["state"], condition=models.Q(state=MeetingState.OPEN), name="dmm_one_open_meeting"
            ),
        ]
        triggers = [
            # D-02: the record of a closed meeting is read-only, whatever writes to it.
            pgtrigger.Protect(
                name="dmm_closed_meeting_read_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__state="closed"),
            ),
        ]

    def __str__(self) -> str:
        return f"DMM of {self.held_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.state == MeetingState.OPEN


@personal_data()
class Decision(BaseModel):
    """What the meeting decided about one board row's case. Written once; refused once the meeting closed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="dmm_decisions")
    section = models.CharField(max_length=32, blank=True, help_text="The board section the row was in.")
    text = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="dmm_decision_has_text")]
        triggers = [
            pgtrigger.Trigger(
                name="dmm_decision_meeting_open",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func=_CLOSED_MEETING_GUARD.format(row="NEW"),
            ),
            pgtrigger.Protect(name="dmm_decision_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Decision on {self.case_id} at {self.recorded_at:%Y-%m-%d %H:%M}"


@personal_data()
class Action(BaseModel):
    """D-02: something the meeting gave someone to do about a case, by a time. Each is a deadline
    (kind ``dmm.action``, key ``dmm:action:<uuid>``); open actions carry into every later meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions_raised")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="dmm_actions")
    what = models.CharField(max_length=200)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="dmm_actions")
    due_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=ActionState.choices, default=ActionState.OPEN)
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField(blank=True, help_text="What was done, or why the action was cancelled.")
    meets_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="The key of the case's obligation (a deadline) this action meets when done, e.g. "
        "``episode:<uuid>:high:ukmpu``; empty for an action of its own.",
    )
    meets_label = models.CharField(max_length=200, blank=True, help_text="That obligation in people's words.")

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["state", "due_at"], name="dmm_action_state_due")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(what=""), name="dmm_action_has_what"),
            models.CheckConstraint(
                condition=models.Q(state=ActionState.OPEN, done_at__isnull=True)
                | (~models.Q(state=ActionState.OPEN) & models.Q(done_at__isnull=False) & ~models.Q(outcome="")),
                name="dmm_action_finished_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what} (due {self.due_at:%Y-%m-%d %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.state == ActionState.OPEN


class MeetingAction(models.Model):
    """An action on one meeting's agenda: raised there, or carried into it still open (D-02).

    ``state_at_close`` keeps how the action stood when the meeting closed, so the pack of a closed
    meeting never changes. Refused once the meeting is closed (database trigger).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="agenda")
    carried = models.BooleanField(default=False, help_text="Carried forward from an earlier meeting.")
    state_at_close = models.CharField(max_length=16, choices=ActionState.choices, blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "action"], name="dmm_agenda_once_per_meeting")]
        triggers = [
            pgtrigger.Trigger(
                name="dmm_agenda_meeting_open",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func=_CLOSED_MEETING_GUARD.format(row="NEW"),
            ),
            pgtrigger.Protect(name="dmm_agenda_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} in {self.meeting_id}"


class TrendDay(models.Model):
    """A day of a trend series whose figures are written (:class:`TrendFigure`): a day that has ended.

    Its figures are kept so the board's 30-day chart reads 29 settled days from a few hundred small rows
    instead of re-reading every episode and deadline that could count on them (``haven.dmm.trend``).
    """

    day = models.DateField(help_text="The day (Europe/London) whose end the figures are at.")
    series = models.CharField(max_length=32)
    settled_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "series"], name="dmm_trend_day_once")]

    def __str__(self) -> str:
        return f"{self.series} {self.day:%Y-%m-%d}"


class TrendFigure(models.Model):
    """How many rows of a trend series on cases of normal sensitivity were live at the end of a settled
    day, for one team and area. Restricted cases are counted apart, per case
    (:class:`RestrictedTrendFigure`), so a reader's chart adds them only where the reader may see them.
    """

    day = models.DateField()
    series = models.CharField(max_length=32)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=200, blank=True)
    value = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "series", "team", "area"], name="dmm_trend_figure_once", nulls_distinct=False
            ),
        ]
        indexes = [
            # A reader's chart sums the figures per series and day straight from the index.
            models.Index(fields=["series", "day"], include=["value", "team", "area"], name="dmm_trend_by_series"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.day:%Y-%m-%d}: {self.value}"


@personal_data()
class RestrictedTrendFigure(models.Model):
    """:class:`TrendFigure` for one restricted case: how many of its rows of a series were live at the
    end of a settled day. Few (restricted cases are few), kept with their history like every record
    that names a case."""

    day = models.DateField()
    series = models.CharField(max_length=32)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=200, blank=True)
    value = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "series", "case"], name="dmm_restricted_trend_figure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.day:%Y-%m-%d}, case {self.case_id}: {self.value}"
