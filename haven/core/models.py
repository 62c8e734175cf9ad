"""Models every Haven app builds on."""

from __future__ import annotations

import uuid

from django.db import models

from haven.core import clock


class BaseModel(models.Model):
    """Abstract base for every Haven record.

    ``id`` is the internal key used in joins; ``public_id`` is the only identifier that leaves the
    database (URLs, API, exports) so internal keys never reveal volumes or order.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        self.updated_at = clock.now()
        update_fields = kwargs.get("update_fields")
        if isinstance(update_fields, list | tuple | set | frozenset):
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Heartbeat(models.Model):
    """The last time a background loop proved it was alive (worker, deadline sweep).

    ``/healthz`` and every page header warn when a heartbeat is older than
    ``HAVEN_WORKER_STALE_AFTER``.
    """

    name = models.CharField(max_length=64, primary_key=True)
    beat_at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
