"""The inbox's input models (its writes take nothing but the notification: who may act on it is the
service's to say) and the API's output schemas, read from the notifications themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from haven.core.operations import Input
from haven.notifications.models import NotificationSeverity

# --- Input ----------------------------------------------------------------------------------------------


class NotificationReadIn(Input):
    """Nothing to say: marking read only ever marks the caller's own notification."""


class NotificationAcknowledgeIn(Input):
    """Nothing to say: only the recipient may acknowledge, and only a notification that asks for it."""


class NotificationsReadAllIn(Input):
    """Nothing to say: every unread notification of the caller, except those awaiting acknowledgement."""


# --- Output ---------------------------------------------------------------------------------------------


class NotificationOut(Schema):
    id: UUID = Field(alias="public_id")
    created_at: datetime
    told_at: datetime = Field(
        description="When you were last told: a later escalation step of the same deadline updates it."
    )
    told_count: int = Field(description="How many escalation steps told you about this (one item per deadline).")
    subject: str
    body: str
    severity: NotificationSeverity
    case_id: UUID | None
    case_reference: str | None
    deadline_id: UUID | None = Field(
        description="The deadline this tells you about (its escalation steps update this one item), or null."
    )
    deadline_kind: str | None = Field(
        description="The deadline's kind, a code such as `missing.review` or `cases.handover` "
        "(GET /api/v1/deadlines names each kind's rule), or null when it is not about a deadline."
    )
    link: str = Field(description="A path inside Haven, or empty.")
    requires_ack: bool
    ack_by_link: bool = Field(description="Acknowledged by doing what the link asks (a handover), not by this API.")
    read_at: datetime | None
    acknowledged_at: datetime | None

    @staticmethod
    def resolve_case_id(obj: Any) -> UUID | None:
        return obj.case.public_id if obj.case is not None else None

    @staticmethod
    def resolve_case_reference(obj: Any) -> str | None:
        return obj.case.reference if obj.case is not None else None

    @staticmethod
    def resolve_deadline_id(obj: Any) -> UUID | None:
        return obj.deadline.public_id if obj.deadline is not None else None

    @staticmethod
    def resolve_deadline_kind(obj: Any) -> str | None:
        return obj.deadline.kind if obj.deadline is not None else None


class NotificationCountOut(Schema):
    unread: int = Field(description="Unread notifications plus those awaiting acknowledgement.")


class NotificationsMarkedOut(Schema):
    marked: int = Field(description="How many notifications were marked read.")
