"""The person register: everyone Haven records, children first."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from haven.core.models import BaseModel


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known"


class Person(BaseModel):
    """A person. Age is computed from the date of birth, never stored.

    ``normalised_name`` (forenames and surname, case, accents, hyphens and apostrophes folded) is
    what search indexes; services keep it in step. ``version`` guards against lost updates.
    A restricted person is visible only to ``members`` (and to those who break the glass).
    """

    forenames = models.CharField(max_length=200)
    surname = models.CharField(max_length=200)
    normalised_name = models.CharField(max_length=401, editable=False, db_index=False)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_estimated = models.BooleanField(default=False)
    date_of_birth_earliest = models.DateField(null=True, blank=True)
    date_of_birth_latest = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    description = models.TextField(blank=True)
    is_restricted = models.BooleanField(default=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="restricted_people")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["surname", "forenames"]

    def __str__(self) -> str:
        return f"{self.forenames} {self.surname}"
