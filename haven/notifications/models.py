"""The in-app inbox: one notification per recipient, read and (where required) acknowledged."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from haven.core import clock
from haven.core.history import personal_data
from haven.core.models import BaseModel


class NotificationSeverity(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Warning"
    URGENT = "urgent", "Urgent"
    CRITICAL = "critical", "Critical"


@personal_data()
class Notification(BaseModel):
    """A message to one user, in the inbox and (after commit) by e-mail through Haven's outbox
    (haven.core.outbox, kind ``notifications.notification``: the row there says whether it went).

    ``requires_ack`` notifications (handovers, critical escalations) stay until acknowledged; if not
    acknowledged within the policy time they are escalated once, to ``level``'s next level up.

    A recipient has at most one notification per deadline: a later escalation step updates it (more
    severe, unread again, ``told_at`` now: back at the top of the inbox) instead of adding another.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    severity = models.CharField(max_length=16, choices=NotificationSeverity.choices, default=NotificationSeverity.INFO)
    requires_ack = models.BooleanField(default=False)
    ack_by_link = models.BooleanField(
        default=False,
        help_text="Acknowledged by doing what the link leads to (accepting a handover), not by a button.",
    )
    level = models.CharField(max_length=32, blank=True, help_text="The ladder level the recipient was told as.")
    told_at = models.DateTimeField(
        default=clock.now, help_text="When the recipient was last told (made, or updated by a later escalation step)."
    )
    told_count = models.PositiveIntegerField(
        default=1, help_text="How many times the recipient was told: each escalation step that told them counts once."
    )
    read_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    ack_escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-told_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_inbox"),
            models.Index(
                fields=["told_at"],
                condition=models.Q(requires_ack=True, acknowledged_at__isnull=True, ack_escalated_at__isnull=True),
                name="notifications_unacked",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True) | models.Q(requires_ack=True),
                name="notifications_ack_only_when_required",
            ),
            models.UniqueConstraint(
                fields=["deadline", "recipient"],
                condition=models.Q(deadline__isnull=False),
                name="notifications_one_per_deadline_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.recipient_id}"

    @property
    def awaiting_ack(self) -> bool:
        return self.requires_ack and self.acknowledged_at is None
