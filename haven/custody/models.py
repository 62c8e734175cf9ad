"""A child's detention in police custody, mirroring the custody system's key facts (that system stays
master): the juvenile's booking, appropriate adult and welfare notice, cells, interviews, PACE reviews
and extensions, charge and bail, and after charge the local authority accommodation request or the
s38(6) certificate. Reviews, interviews and extensions are rows never changed (``append_only``)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.custody.choices import (
    AaOccupation,
    AaType,
    AccommodationType,
    AgeBasis,
    BailDecision,
    CellOccupants,
    CertificateReason,
    Circumstance,
    DetentionState,
    ExtensionKind,
    LaResponse,
)

APPEND_ONLY = pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
_USER = settings.AUTH_USER_MODEL


@personal_data()
class Detention(BaseModel):
    """One juvenile's detention: one-to-one with a custody case."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="detention")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    custody_reference = models.CharField(max_length=40, help_text="The custody record number (the master system).")
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=DetentionState.choices, default=DetentionState.DETAINED)
    # C-01
    juvenile = models.BooleanField(default=True)
    age_basis = models.CharField(max_length=16, choices=AgeBasis.choices)
    # The clock (C-04, C-05)
    arrested_at = models.DateTimeField()
    relevant_time = models.DateTimeField()
    authorised_at = models.DateTimeField(help_text="When detention was first authorised.")
    limit_at = models.DateTimeField(help_text="Latest time detention before charge may last (24, 36 or up to 96 h).")
    next_review_due = models.DateTimeField(null=True, blank=True)
    offences = models.TextField()
    solicitor_requested = models.BooleanField(default=False)
    # C-02, Code C 3.13
    aa_requested_at = models.DateTimeField()
    aa_type = models.CharField(max_length=20, choices=AaType.choices, blank=True)
    aa_name = models.CharField(max_length=200, blank=True)
    aa_occupation = models.CharField(max_length=20, choices=AaOccupation.choices, blank=True)
    aa_connected = models.BooleanField(default=False, help_text="A suspect, victim or witness of the offence.")
    aa_arrived_at = models.DateTimeField(null=True, blank=True)
    aa_warning = models.CharField(max_length=300, blank=True)
    welfare_person = models.CharField(max_length=200, blank=True)
    welfare_informed_at = models.DateTimeField(null=True, blank=True)
    # C-11
    cell = models.CharField(max_length=40, blank=True)
    cell_occupants = models.CharField(max_length=10, choices=CellOccupants.choices, blank=True)
    # Charge and bail
    charged_at = models.DateTimeField(null=True, blank=True)
    charges = models.TextField(blank=True)
    bail_decision = models.CharField(max_length=10, choices=BailDecision.choices, blank=True)
    bail_refused_grounds = models.TextField(blank=True)
    court_at = models.DateTimeField(null=True, blank=True, help_text="The next court sitting.")
    # s38(6): the local authority accommodation request (C-06, C-09)
    la_requested_at = models.DateTimeField(null=True, blank=True)
    la_authority = models.CharField(max_length=200, blank=True)
    la_type = models.CharField(max_length=12, choices=AccommodationType.choices, blank=True)
    serious_harm_rationale = models.TextField(blank=True)
    la_warning = models.CharField(max_length=300, blank=True)
    la_response = models.CharField(max_length=12, choices=LaResponse.choices, blank=True)
    la_response_at = models.DateTimeField(null=True, blank=True)
    transferred_at = models.DateTimeField(null=True, blank=True)
    # The end
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-authorised_at"]
        indexes = [models.Index(fields=["state", "next_review_due"], name="custody_state_review")]
        constraints = [
            # C-11 (Code C 8.8): a juvenile never shares a cell with a detained adult.
            models.CheckConstraint(
                condition=~models.Q(juvenile=True, cell_occupants=CellOccupants.ADULT),
                name="custody_juvenile_never_with_adult",
            ),
            models.CheckConstraint(
                condition=models.Q(relevant_time__lte=models.F("limit_at")), name="custody_limit_after_relevant"
            ),
            models.UniqueConstraint(fields=["custody_reference"], name="custody_reference_once"),
        ]

    def __str__(self) -> str:
        return self.custody_reference


class Review(BaseModel):
    """A PACE s40 review by an inspector (C-04). Append-only."""

    detention = models.ForeignKey(Detention, on_delete=models.PROTECT, related_name="reviews")
    due_at = models.DateTimeField()
    done_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    continued = models.BooleanField(default=True, help_text="Whether detention was authorised to continue.")
    aa_present = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["done_at", "id"]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"Review of {self.detention_id} at {self.done_at:%Y-%m-%d %H:%M}"


class Extension(BaseModel):
    """A superintendent's extension (s42) or a warrant of further detention (s43-44) (C-05). Append-only."""

    detention = models.ForeignKey(Detention, on_delete=models.PROTECT, related_name="extensions")
    kind = models.CharField(max_length=16, choices=ExtensionKind.choices)
    at = models.DateTimeField()
    until = models.DateTimeField()
    authorised_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    warrant_reference = models.CharField(max_length=60, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        triggers = [APPEND_ONLY]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=ExtensionKind.WARRANT, warrant_reference=""),
                name="custody_warrant_has_reference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} until {self.until:%Y-%m-%d %H:%M}"


class Interview(BaseModel):
    """An interview of the juvenile: the AA present, or an urgent-interview authority (C-03). Append-only."""

    detention = models.ForeignKey(Detention, on_delete=models.PROTECT, related_name="interviews")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    aa_present = models.BooleanField(default=False)
    urgent_authorised_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    urgent_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_at", "id"]
        triggers = [APPEND_ONLY]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(aa_present=True) | models.Q(urgent_authorised_by__isnull=False),
                name="custody_interview_aa_or_urgent",
            )
        ]

    def __str__(self) -> str:
        return f"Interview at {self.started_at:%Y-%m-%d %H:%M}"


@personal_data()
class Certificate(BaseModel):
    """The s38(6) certificate that moving the charged child was impracticable or (age 12+) that no secure
    accommodation was available and other accommodation would not protect the public (C-06..C-08)."""

    detention = models.OneToOneField(Detention, on_delete=models.PROTECT, related_name="certificate")
    reason = models.CharField(max_length=16, choices=CertificateReason.choices)
    circumstances = ArrayField(models.CharField(max_length=20, choices=Circumstance.choices), default=list)
    details = models.TextField(help_text="The circumstances, specified (a), or the serious harm feared (b).")
    certified_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    certified_at = models.DateTimeField()
    monitoring_inspector = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    for_court = models.BooleanField(default=True)
    flagged = models.BooleanField(default=False, help_text="'No bed' cited alone: for an inspector's review.")
    flag_reviewed_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    flag_reviewed_at = models.DateTimeField(null=True, blank=True)
    flag_review_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(for_court=True), name="custody_certificate_for_court"),
        ]

    def __str__(self) -> str:
        return f"Certificate ({self.reason}) for {self.detention_id}"

    @property
    def circumstance_labels(self) -> list[str]:
        return [str(Circumstance(c).label) for c in self.circumstances]


class EventKey(models.Model):
    """An idempotency key the custody system sent with an event: a retry with the same key and body
    answers with the record as it is; the same key with another body is refused."""

    actor = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=100)
    operation = models.CharField(max_length=60)
    fingerprint = models.CharField(max_length=64)
    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["actor", "key"], name="custody_event_key_once")]

    def __str__(self) -> str:
        return self.key
