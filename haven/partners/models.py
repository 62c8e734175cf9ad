"""The agencies Haven shares with, their users, and what was shared with each (a snapshot)."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.partners.choices import AgencyDecision, AgencyKind, Field, ItemKind, RhiOutcome

USER = settings.AUTH_USER_MODEL


@pghistory.track()
class Agency(BaseModel):
    """A partner agency: one local authority's children's services, a health trust, a school service,
    a youth justice service. ``notice_email`` is the secure address told (without personal data) that
    something new waits in the portal; ``projection`` names the fields it receives."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    local_authority = models.CharField(
        max_length=200, blank=True, help_text="The local authority it serves, e.g. Leeds City Council."
    )
    notice_email = models.EmailField(help_text="Secure address told that something was shared.")
    phone = models.CharField(max_length=32, blank=True)
    projection = ArrayField(models.CharField(max_length=32, choices=Field.choices), default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=AgencyKind.values), name="partners_agency_kind_known"),
            models.CheckConstraint(
                condition=models.Q(projection__contained_by=Field.values), name="partners_agency_projection_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


@personal_data()
class Membership(BaseModel):
    """A partner user belongs to exactly one agency: everything they see is scoped to it."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="partner_membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="members")
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.user} at {self.agency}"


@personal_data()
class SharedItem(BaseModel):
    """One thing shared with one agency: the snapshot of exactly what was disclosed (``projection``),
    and what the agency did with it. The police side reads its state by ``reference``."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    reference = models.CharField(max_length=64, help_text="The sharer's reference (a referral's, an episode's id).")
    subject_summary = models.CharField(max_length=200, help_text="One line the portal lists it by.")
    projection = models.JSONField(default=dict, help_text="What was disclosed, exactly, field by field.")
    restricted = models.BooleanField(default=False, help_text="The decision let restricted data go.")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField()
    acknowledge_due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=AgencyDecision.choices, blank=True)
    decision_notes = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rhi_outcome = models.CharField(max_length=16, choices=RhiOutcome.choices, blank=True)
    rhi_interviewer = models.CharField(max_length=200, blank=True)
    rhi_done_at = models.DateTimeField(null=True, blank=True)
    rhi_findings = models.TextField(blank=True, help_text="What the interview found, or why it was not done.")
    rhi_recorded_at = models.DateTimeField(null=True, blank=True)
    rhi_recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-shared_at", "-id"]
        indexes = [models.Index(fields=["agency", "-shared_at"], name="partners_item_agency_shared")]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "reference"], name="partners_item_once_per_agency"),
            models.CheckConstraint(condition=models.Q(kind__in=ItemKind.values), name="partners_item_kind_known"),
            # A decision is recorded only on a referral, an RHI outcome only on an RHI request.
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(kind=ItemKind.REFERRAL), name="partners_item_decision_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(rhi_outcome="") | models.Q(kind=ItemKind.RHI_REQUEST),
                name="partners_item_rhi_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} to {self.agency}"
