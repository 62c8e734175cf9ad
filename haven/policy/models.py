"""Force policy overrides and the record of every change to them."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

from haven.core.models import BaseModel


class PolicyOverride(BaseModel):
    """The force's own value for one setting (absent: the default in code applies)."""

    key = models.CharField(max_length=100, unique=True)
    value = models.JSONField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.key


class PolicyChange(BaseModel):
    """One change to force policy: who, when, why, from what to what. Append-only."""

    key = models.CharField(max_length=100, db_index=True)
    old_value = models.JSONField(null=True, help_text="Stored form; null when the default applied.")
    new_value = models.JSONField(null=True, help_text="Stored form; null when reset to the default.")
    old_display = models.TextField()
    new_display = models.TextField()
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]
        triggers = [
            pgtrigger.Protect(name="policy_change_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.key} at {self.changed_at:%Y-%m-%d %H:%M}"
