"""Every read of the s62 log, for auditors and data protection officers only (DP-02).

Reading the log is itself processing of personal data, so each read here writes its own row: a
consultation for pages and the API, a disclosure (to the auditor) for a CSV export.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from haven.audit.choices import JustificationKind, Operation
from haven.audit.models import AccessEvent
from haven.audit.services import access_event_record
from haven.core import clock
from haven.core.errors import Forbidden
from haven.core.permissions import Perm

SELF_MONITORING = "Self-monitoring of the s62 log (DPA 2018 s62(4))."
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class LogFilter:
    """What an auditor asked of the log. ``user`` is a username or a user's public id."""

    person: uuid.UUID | None = None
    case: uuid.UUID | None = None
    user: str = ""
    since: datetime | None = None
    until: datetime | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.person or self.case or self.user)

    def as_detail(self) -> dict[str, Any]:
        return {
            "person": str(self.person) if self.person else None,
            "case": str(self.case) if self.case else None,
            "user": self.user or None,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def _require_auditor(actor: Any) -> None:
    if not actor.has_perm(Perm.AUDIT_LOG_VIEW):
        raise Forbidden("Only auditors and data protection officers may read the s62 log.")


def _user_filter(user: str) -> Q:
    text = user.strip()
    try:
        return Q(actor__public_id=uuid.UUID(text))
    except ValueError:
        return Q(actor__username__iexact=text) | Q(actor_username__iexact=text)


def access_event_filter(*, actor: Any, log_filter: LogFilter) -> QuerySet[AccessEvent]:
    """The events matching ``log_filter``, newest first. Does not log: callers use the functions below."""
    _require_auditor(actor)
    events = AccessEvent.objects.select_related("actor")
    if log_filter.person:
        events = events.filter(person_ids__contains=[log_filter.person])
    if log_filter.case:
        events = events.filter(case_ids__contains=[log_filter.case])
    if log_filter.user:
        events = events.filter(_user_filter(log_filter.user))
    if log_filter.since:
        events = events.filter(occurred_at__gte=log_filter.since)
    if log_filter.until:
        events = events.filter(occurred_at__lt=log_filter.until)
    return events.order_by("-occurred_at", "-id")


def _log_read(*, actor: Any, log_filter: LogFilter, events: list[AccessEvent], channel: str, export: bool) -> None:
    access_event_record(
        actor=actor,
        operation=Operation.DISCLOSURE if export else Operation.CONSULTATION,
        person_ids=[log_filter.person] if log_filter.person else (),
        case_ids=[log_filter.case] if log_filter.case else (),
        justification=SELF_MONITORING,
        justification_kind=JustificationKind.STATED,
        recipients=[{"name": actor.get_username(), "kind": "auditor", "lawful_basis": "DPA 2018 s62(4)"}]
        if export
        else (),
        channel=channel,
        detail={"s62_log": log_filter.as_detail(), "rows": len(events)},
    )


@transaction.atomic
def access_event_search(
    *, actor: Any, log_filter: LogFilter, limit: int = 200, offset: int = 0, channel: str = "ui"
) -> tuple[list[AccessEvent], int]:
    """One page of matching events and how many match in all; logs the read as a consultation (DP-02)."""
    events = access_event_filter(actor=actor, log_filter=log_filter)
    total = events.count()
    page = list(events[offset : offset + limit])
    _log_read(actor=actor, log_filter=log_filter, events=page, channel=channel, export=False)
    return page, total


@transaction.atomic
def access_event_export(*, actor: Any, log_filter: LogFilter) -> list[AccessEvent]:
    """Up to :data:`EXPORT_LIMIT` matching events for a CSV file; logs a disclosure to the auditor (DP-01)."""
    events = list(access_event_filter(actor=actor, log_filter=log_filter)[:EXPORT_LIMIT])
    _log_read(actor=actor, log_filter=log_filter, events=events, channel="csv", export=True)
    return events


# --- Alerts for unusual access -----------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    kind: str  # "many_people" or "break_glass"
    at: datetime
    username: str
    summary: str
    person_ids: list[uuid.UUID] = field(default_factory=list)
    case_ids: list[uuid.UUID] = field(default_factory=list)


def people_per_hour_limit() -> int:
    return int(getattr(settings, "HAVEN_AUDIT_ALERT_PEOPLE_PER_HOUR", 50))


def _many_people(since: datetime, until: datetime, limit: int) -> list[Alert]:
    """Users who consulted more than ``limit`` distinct people within one clock hour."""
    sql = """
        SELECT e.actor_username, date_trunc('hour', e.occurred_at) AS hour, count(DISTINCT p.id) AS people
        FROM audit_accessevent e CROSS JOIN LATERAL unnest(e.person_ids) AS p(id)
        WHERE e.operation = %s AND e.outcome = 'allowed' AND e.actor_id IS NOT NULL
          AND e.occurred_at >= %s AND e.occurred_at < %s
        GROUP BY e.actor_id, e.actor_username, hour
        HAVING count(DISTINCT p.id) > %s
        ORDER BY hour DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [Operation.CONSULTATION.value, since, until, limit])
        rows = cursor.fetchall()
    return [
        Alert("many_people", hour, username, f"Consulted {people} people in the hour from {hour:%H:%M} UTC")
        for username, hour, people in rows
    ]


def _break_glass(since: datetime, until: datetime) -> Iterable[Alert]:
    events = AccessEvent.objects.filter(
        justification_kind=JustificationKind.BREAK_GLASS, occurred_at__gte=since, occurred_at__lt=until
    ).order_by("-occurred_at")
    for e in events[:1000]:
        yield Alert(
            "break_glass",
            e.occurred_at,
            e.actor_username,
            f"Broke the glass: {e.justification}",
            person_ids=list(e.person_ids),
            case_ids=list(e.case_ids),
        )


@transaction.atomic
def access_alert_list(*, actor: Any, since: datetime | None = None, until: datetime | None = None) -> list[Alert]:
    """Unusual access in the period (default the last 7 days), newest first; the read is logged."""
    _require_auditor(actor)
    until = until or clock.now()
    since = since or until - timedelta(days=7)
    alerts = [*_many_people(since, until, people_per_hour_limit()), *_break_glass(since, until)]
    alerts.sort(key=lambda a: a.at, reverse=True)
    access_event_record(
        actor=actor,
        operation=Operation.CONSULTATION,
        justification=SELF_MONITORING,
        justification_kind=JustificationKind.STATED,
        channel="ui",
        detail={"s62_alerts": {"since": since.isoformat(), "until": until.isoformat()}, "rows": len(alerts)},
    )
    return alerts
