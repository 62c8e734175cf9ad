"""Police protection (Children Act 1989 s46): one record per use of the power, one-to-one with its case.

The database holds the hard rules too: police protection never ends after its 72 hours (PP-01:
``expires_at`` is exactly ``started_at`` + 72 h and ``ended_at`` is never later), the designated officer
is never the initiating officer (PP-03), a police station is never recorded without the exceptional
circumstances (PP-07), and an ending has its outcome and the designated officer's decision (PP-08).
"""

from __future__ import annotations

from datetime import timedelta

import pgtrigger
from django.conf import settings
from django.db import models

from haven.core import clock
from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.protection.choices import (
    Accommodation,
    ContactDecision,
    EpoApplicant,
    EpoOutcome,
    Item,
    Outcome,
    Power,
    Stage,
)

LIMIT = timedelta(hours=72)
"""s46(6): no child is kept in police protection for more than 72 hours. Not force policy: the law."""

APPEND_ONLY = pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


@personal_data()
class PoliceProtection(BaseModel):
    """One use of the s46 power about one child."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="protection")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    power = models.CharField(max_length=20, choices=Power.choices)
    grounds = models.TextField(
        help_text="Why the constable believed the child would otherwise suffer significant harm."
    )
    started_at = models.DateTimeField()
    place = models.CharField(max_length=300, help_text="Where the power was used.")
    expires_at = models.DateTimeField(help_text="started_at + 72 hours (s46(6)).")
    initiating_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    designated_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    designated_at = models.DateTimeField(default=clock.now)
    # Where the child is kept (PP-07). A refuge's address is withheld: shown only with need-to-know.
    accommodation = models.CharField(max_length=20, choices=Accommodation.choices, blank=True)
    accommodation_address = models.TextField(blank=True)
    station_justification = models.TextField(blank=True)
    accommodation_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accommodation_at = models.DateTimeField(null=True, blank=True)
    # The designated officer's inquiry
    inquiry_summary = models.TextField(blank=True)
    inquiry_at = models.DateTimeField(null=True, blank=True)
    strategy_discussion = models.ForeignKey(
        "referrals.StrategyDiscussion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The end (PP-08)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    decision = models.TextField(blank=True, help_text="The designated officer's recorded decision.")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(
                fields=["expires_at"], condition=models.Q(ended_at__isnull=True), name="protection_open_expiry"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at=models.F("started_at") + LIMIT), name="pp01_expires_72h_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__lte=models.F("expires_at")),
                name="pp01_ended_within_72h",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="protection_ended_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(designated_officer=models.F("initiating_officer")),
                name="pp03_designated_not_initiating",
            ),
            models.CheckConstraint(
                condition=~models.Q(accommodation=Accommodation.POLICE_STATION) | ~models.Q(station_justification=""),
                name="pp07_station_justified",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | (~models.Q(outcome="") & ~models.Q(decision="") & models.Q(ended_by__isnull=False)),
                name="pp08_ended_with_outcome_and_decision",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome=Outcome.OTHER) | ~models.Q(outcome_reason=""),
                name="pp08_other_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"police protection {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def is_refuge(self) -> bool:
        return self.accommodation == Accommodation.REFUGE

    @property
    def stage(self) -> Stage:
        """Where it is (domain §5.3), from what has been recorded."""
        if self.ended_at is not None:
            return Stage.ENDED
        if any(e.outcome == EpoOutcome.PENDING for e in self.epos.all()):
            return Stage.EPO_APPLIED
        if self.inquiry_at is not None:
            return Stage.INQUIRY
        return Stage.STARTED

    def time_left(self) -> timedelta:
        return self.expires_at - clock.now()

    def hours_left(self) -> int:
        """Whole hours left until the 72 hours run out (0 once they have)."""
        return max(0, int(self.time_left().total_seconds() // 3600))


class Notification(BaseModel):
    """One s46(3)/(4) notification: when, by whom, to whom; or, where the law allows, why not (a child not
    able to understand, a parent who could not be told). Append-only: a later row adds to the record."""

    protection = models.ForeignKey(PoliceProtection, on_delete=models.CASCADE, related_name="notifications")
    item = models.CharField(max_length=20, choices=Item.choices)
    done = models.BooleanField(default=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_whom = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was not done.")
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]
        triggers = [APPEND_ONLY]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(done=True) & ~models.Q(to_whom="")) | (models.Q(done=False) & ~models.Q(reason="")),
                name="pp05_done_to_someone_or_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(done=True) | models.Q(item__in=[Item.CHILD_INFORMED, Item.PARENTS]),
                name="pp05_only_some_items_not_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} on {self.protection_id}"


class Contact(BaseModel):
    """s46(10): the designated officer's decision on someone's contact with the child. Append-only."""

    protection = models.ForeignKey(PoliceProtection, on_delete=models.CASCADE, related_name="contacts")
    person = models.CharField(max_length=300, help_text="Who asked for contact, and how they relate to the child.")
    decision = models.CharField(max_length=20, choices=ContactDecision.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"contact decision on {self.protection_id}"


class EpoApplication(BaseModel):
    """An application for an emergency protection order (by the local authority, or by the designated
    officer on its behalf, s46(7)): the court, when, and the outcome."""

    protection = models.ForeignKey(PoliceProtection, on_delete=models.CASCADE, related_name="epos")
    applicant = models.CharField(max_length=20, choices=EpoApplicant.choices)
    court = models.CharField(max_length=200)
    applied_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=EpoOutcome.choices, default=EpoOutcome.PENDING)
    outcome_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome=EpoOutcome.PENDING) | models.Q(outcome_at__isnull=False),
                name="protection_epo_outcome_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"EPO application on {self.protection_id}"
