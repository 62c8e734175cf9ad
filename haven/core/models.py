"""Models every Haven app builds on."""

from __future__ import annotations

import uuid

from django.conf import settings
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


class OutgoingEmail(BaseModel):
    """One e-mail Haven owes: the outbox every app sends its e-mail through (haven.core.outbox). Owed
    in the writer's transaction, sent by the worker (or straight after commit), tried again while the
    mail server is down until :data:`haven.core.outbox.GIVE_UP`.

    It goes to a user (``to``) or, for a team's shared inbox, to an ``address``; once sent, ``address``
    keeps where it went. ``kind`` names who writes the words (an app registers each of its kinds from
    its ``ready()``) and ``context`` holds the plain facts they are written from when it is sent, so a
    password link is never stored. Once sent the row keeps who it went to, what it was (its kind and
    subject) and when."""

    to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    address = models.EmailField(blank=True, help_text="Where it goes when not to a user; once sent, where it went.")
    kind = models.CharField(max_length=64, help_text="Who writes the words: a kind an app registered.")
    context = models.JSONField(default=dict, blank=True)
    pending = models.BooleanField(default=True, help_text="Still owed: cleared once sent or given up.")
    attempts = models.PositiveIntegerField(default=0, help_text="Tries that failed (the mail server down).")
    error = models.CharField(max_length=200, blank=True, help_text="Why the last try failed, or why it was dropped.")
    subject = models.CharField(max_length=255, blank=True, help_text="The subject it was sent with.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["created_at"], condition=models.Q(pending=True), name="core_outbox_owed")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to__isnull=False) | ~models.Q(address=""), name="core_outgoingemail_has_recipient"
            ),
            models.CheckConstraint(
                condition=models.Q(sent_at__isnull=True) | models.Q(pending=False),
                name="core_outgoingemail_sent_not_owed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_id or self.address}"
