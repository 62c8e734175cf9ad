"""The guidance library: the force's documents and video briefings, their versions, and who read which
version when (issue 18, "Guidance where the work is").

Guidance itself is not personal data; who read what is staff data, like a training record. Every change
of every table is kept by pghistory (``personal_data``, Haven's one history mechanism). Videos are never
stored here: a version holds a link to the document or video, or its reference in the force's document
store.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.core.permissions import Role
from haven.guidance.choices import Kind, Place, Status


@personal_data()
class GuidanceItem(BaseModel):
    """One guidance document or video briefing. ``required_roles`` (haven.core.permissions.Role values)
    makes it required reading for those roles: a workforce qualification (``qualification_code``) that
    counts toward their training like an e-learning module."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    summary = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guidance_owned")
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="guidance_owned"
    )
    places = ArrayField(models.CharField(max_length=32, choices=Place.choices), default=list, blank=True)
    review_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CURRENT)
    required_roles = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    qualification_code = models.CharField(max_length=64, blank=True)  # set once it has ever been required
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_reason = models.TextField(blank=True)

    # Set by the selectors: the latest version.
    current: GuidanceVersion | None = None

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_retired(self) -> bool:
        return self.status == Status.RETIRED

    @property
    def place_labels(self) -> list[str]:
        return [str(Place(p).label) for p in self.places if p in Place.values]

    @property
    def required_role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.required_roles if r in Role.values]

    @property
    def read_verb(self) -> str:
        return "watched" if self.kind == Kind.VIDEO else "read"


@personal_data()
class GuidanceVersion(BaseModel):
    """One published version of an item: its link, when it was published and what changed. The latest
    is the current one; a reader must have read the current one for it to count."""

    item = models.ForeignKey(GuidanceItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_on = models.DateField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what_changed = models.TextField()
    url = models.URLField(max_length=500, blank=True)
    file_reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="guidance_version_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(file_reference=""), name="guidance_version_has_a_link"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.item_id}"


@personal_data()
class GuidanceRead(BaseModel):
    """An officer recorded that they read (or watched) one version. Kept for good: who read which version when."""

    version = models.ForeignKey(GuidanceVersion, on_delete=models.PROTECT, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guidance_reads")
    read_at = models.DateTimeField()

    class Meta:
        ordering = ["-read_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "reader"], name="guidance_one_read_per_version"),
        ]
