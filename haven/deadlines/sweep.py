"""The sweep: the only thing that escalates. Run every few seconds by the worker (``tasks.py``).

The deadline table is the source of truth, not the job queue: each run takes every escalation whose
time has come (however long ago: it catches up after the worker was down) with
``SELECT … FOR UPDATE SKIP LOCKED``, tells the recipients and marks the row fired in the same
transaction. A row is fired once (unique per deadline and step); two sweeps at once skip each
other's rows; a sweep killed mid-way leaves its uncommitted rows unfired for the next one.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from haven.core import clock
from haven.core.heartbeat import heartbeat_record
from haven.deadlines import recipients
from haven.deadlines.models import Deadline, DeadlineState, Escalation
from haven.deadlines.policy import ACK_ESCALATE_AFTER
from haven.deadlines.registry import Notify, Severity, kind_get, notify_above
from haven.deadlines.selectors import SWEEP, time_left_words
from haven.notifications.selectors import notifications_with_ids
from haven.notifications.services import (
    notification_ack_escalated,
    notification_draft,
    notification_send,
    notifications_tell_about_deadlines,
    team_email_after_commit,
)
from haven.policy.selectors import policy_value

if TYPE_CHECKING:
    from haven.notifications.models import Notification

log = logging.getLogger("haven.deadlines")

BATCH = 100
"""Escalations per transaction: small enough that a deadline being met never waits long."""

BEAT_EVERY = 10.0
"""Seconds between heartbeats while one sweep is still catching up."""


@dataclass
class SweepResult:
    fired: int = 0
    told: int = 0
    breached: int = 0
    ack_escalated: int = 0
    failed: int = 0
    max_lag_seconds: float = 0.0
    duration_ms: int = 0
    errors: list[str] = field(default_factory=list)

    def as_detail(self) -> dict[str, Any]:
        return {
            "fired": self.fired,
            "told": self.told,
            "breached": self.breached,
            "ack_escalated": self.ack_escalated,
            "failed": self.failed,
            "max_lag_seconds": round(self.max_lag_seconds, 3),
            "duration_ms": self.duration_ms,
        }


def ack_escalate_after() -> timedelta:
    """Force policy: how long a notification that needs acknowledgement waits before it escalates."""
    return policy_value(ACK_ESCALATE_AFTER)


# --- One escalation ---------------------------------------------------------------------------


def _message(deadline: Deadline, *, severity: str, level: str, now: datetime) -> tuple[str, str]:
    """Subject and body of an escalation: case reference, kind, what and when; no names."""
    try:
        label = kind_get(deadline.kind).label
    except LookupError:
        label = deadline.kind
    words = time_left_words(deadline.due_at, now=now)
    due = timezone.localtime(deadline.due_at).strftime("%d %b %Y %H:%M")
    if deadline.case is None:  # a person's own duty (a refresher): what names it, no case to name
        return f"{Severity(severity).label}: {label} {words}", f"{deadline.what}.\nDue {due} ({words})."
    subject = f"{Severity(severity).label}: {label} on case {deadline.case.reference} {words}"
    body = f"{deadline.what}.\nDue {due} ({words}).\nYou are told as {Notify(level).label.lower()}."
    return subject, body


Resolved = dict[tuple[str, Any, Any, Any], tuple[str, list[Any]]]


def _resolve(deadline: Deadline, level: str, resolved: Resolved | None) -> tuple[str, list[Any]]:
    """Who is told at ``level``; memoised within one batch, where hundreds of escalations share a few
    (level, person, team) combinations and each lookup is several queries."""
    case_team = deadline.case.team if deadline.case is not None else None
    key = (level, deadline.responsible_user_id, deadline.responsible_team_id, getattr(case_team, "pk", None))
    if resolved is not None and key in resolved:
        return resolved[key]
    answer = recipients.resolve(
        level,
        responsible_user=deadline.responsible_user,
        responsible_team=deadline.responsible_team,
        case_team=case_team,
    )
    if resolved is not None:
        resolved[key] = answer
    return answer


def _notifications(
    deadline: Deadline,
    *,
    level: str,
    severity: str,
    now: datetime,
    requires_ack: bool | None,
    resolved: Resolved | None,
) -> tuple[str, list[Any], list[Any]]:
    """Who ``level`` means for ``deadline`` (or the first level above it with anyone), and one unsaved
    notification for each of them: (the level told, its users, the notifications)."""
    told_level, users = _resolve(deadline, level, resolved)
    if not users:
        log.error("Deadline %s: nobody to tell at %s or above", deadline.public_id, level)
    subject, body = _message(deadline, severity=severity, level=told_level, now=now)
    notifications = [
        notification_draft(
            recipient=user,
            subject=subject,
            body=body,
            case=deadline.case,
            link=_link(deadline, user),
            requires_ack=severity == Severity.CRITICAL if requires_ack is None else requires_ack,
            severity=severity,
            deadline=deadline,
            level=told_level,
        )
        for user in users
    ]
    return told_level, users, notifications


def _link(deadline: Deadline, user: Any) -> str:
    """The case, or for a deadline without one, where its kind says (else the deadlines page)."""
    if deadline.case is not None:
        return reverse("cases:detail", args=[deadline.case.public_id])
    try:
        link = kind_get(deadline.kind).link
    except LookupError:
        link = None
    return link(deadline, user) if link is not None else reverse("deadlines:list")


def _tell(
    deadline: Deadline,
    *,
    level: str,
    severity: str,
    now: datetime,
    requires_ack: bool | None = None,
    resolved: Resolved | None = None,
) -> tuple[str, list[Any]]:
    """Notify ``level`` (or the first level above it with anyone) about ``deadline``."""
    told_level, users, notifications = _notifications(
        deadline, level=level, severity=severity, now=now, requires_ack=requires_ack, resolved=resolved
    )
    notifications_tell_about_deadlines(notifications)
    _tell_team_inbox(deadline, level=told_level, severity=severity)
    return told_level, users


def _tell_team_inbox(deadline: Deadline, *, level: str, severity: str) -> None:
    """Escalations above the responsible person also go to the team's shared inbox, if it has one."""
    team = deadline.responsible_team
    if level == Notify.RESPONSIBLE or team is None or not team.email or deadline.case is None:
        return
    team_email_after_commit(email=team.email, case=deadline.case, severity=severity)


def _fire(escalation: Escalation, *, now: datetime, result: SweepResult, resolved: Resolved | None = None) -> None:
    deadline = escalation.deadline
    if deadline.state == DeadlineState.OPEN and deadline.due_at <= now:
        deadline.state = DeadlineState.BREACHED
        deadline.breached_at = deadline.due_at
        deadline.save(update_fields=["state", "breached_at"])
    told_level, users = _tell(
        deadline, level=escalation.notify, severity=escalation.severity, now=now, resolved=resolved
    )
    now = max(now, clock.now())
    escalation.fired_at = now
    escalation.notified_level = told_level
    escalation.recipients = [str(u.public_id) for u in users]
    escalation.save(update_fields=["fired_at", "notified_level", "recipients"])
    result.fired += 1
    result.told += len(users)
    result.max_lag_seconds = max(result.max_lag_seconds, (now - escalation.fire_at).total_seconds())


_SEVERITIES = [str(s) for s in Severity]


def _fire_batch(escalations: list[Escalation], *, now: datetime, result: SweepResult, resolved: Resolved) -> None:
    """Fire a batch in a few set-based statements: one UPDATE of the breached deadlines, one INSERT of
    all their notifications (e-mail queued as one job), one UPDATE of the escalations."""
    breached = [e.deadline for e in escalations if e.deadline.state == DeadlineState.OPEN and e.deadline.due_at <= now]
    if breached:
        Deadline.objects.filter(pk__in=[d.pk for d in breached], state=DeadlineState.OPEN).update(
            state=DeadlineState.BREACHED, breached_at=F("due_at"), updated_at=now
        )
    notifications: list[Notification] = []
    teams: dict[tuple[str, str], tuple[Deadline, str]] = {}
    told: list[tuple[Escalation, str, list[Any]]] = []
    for escalation in escalations:
        deadline = escalation.deadline
        told_level, users, theirs = _notifications(
            deadline,
            level=escalation.notify,
            severity=escalation.severity,
            now=now,
            requires_ack=None,
            resolved=resolved,
        )
        notifications += theirs
        team = deadline.responsible_team
        if told_level != Notify.RESPONSIBLE and team is not None and team.email and deadline.case is not None:
            # one e-mail per team and case per batch, at the most severe step among them
            key = (team.email, deadline.case.reference)
            if key not in teams or _SEVERITIES.index(escalation.severity) > _SEVERITIES.index(teams[key][1]):
                teams[key] = (deadline, escalation.severity)
        told.append((escalation, told_level, users))
    notifications_tell_about_deadlines(notifications)
    for deadline, severity in teams.values():
        _tell_team_inbox(deadline, level=Notify.SUPERVISOR, severity=severity)
    fired_at = max(now, clock.now())
    for escalation, told_level, users in told:
        escalation.fired_at = fired_at
        escalation.notified_level = told_level
        escalation.recipients = [str(u.public_id) for u in users]
        result.fired += 1
        result.told += len(users)
        result.max_lag_seconds = max(result.max_lag_seconds, (fired_at - escalation.fire_at).total_seconds())
    Escalation.objects.bulk_update(escalations, ["fired_at", "notified_level", "recipients"])


_DUE_SQL = """
SELECT e.id FROM deadlines_escalation e JOIN deadlines_deadline d ON d.id = e.deadline_id
WHERE e.fired_at IS NULL AND NOT e.skipped AND e.fire_at <= %s AND d.state IN ('open', 'breached')
  AND NOT (e.id = ANY(%s))
ORDER BY e.fire_at, e.id
LIMIT %s
FOR UPDATE OF e, d SKIP LOCKED
"""


def _escalate_due(*, now: datetime, result: SweepResult, batch: int) -> None:
    """Fire every due escalation, a batch per transaction. A batch is fired as a set; if that fails,
    its rows are fired one by one so that one bad row cannot hold back the others."""
    failed: list[int] = []
    beat = time.monotonic()
    while True:
        now = max(now, clock.now())  # a long catch-up takes what fell due meanwhile too
        if time.monotonic() - beat >= BEAT_EVERY:  # a long catch-up is not a dead sweep
            heartbeat_record(name=SWEEP, detail={**result.as_detail(), "catching_up": True})
            beat = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_DUE_SQL, [now, failed, batch])
                ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return
            rows = list(
                Escalation.objects.filter(id__in=ids)
                .select_related(
                    "deadline__case__team", "deadline__responsible_user__team", "deadline__responsible_team"
                )
                .order_by("fire_at", "id")
            )
            resolved: Resolved = {}  # per batch: staff changes show up by the next batch
            try:
                with transaction.atomic():
                    _fire_batch(rows, now=now, result=result, resolved=resolved)
                continue
            except Exception:  # noqa: BLE001 - fall back to one by one, which isolates the bad row
                log.warning("Escalation batch of %s failed; firing its rows one by one", len(rows), exc_info=True)
                _reset(rows, result)
            for escalation in rows:
                try:
                    with transaction.atomic():
                        _fire(escalation, now=now, result=result, resolved=resolved)
                except Exception as exc:  # noqa: BLE001 - one bad row must not stop the others
                    log.exception("Escalation %s failed; it stays due", escalation.pk)
                    failed.append(escalation.pk)
                    result.failed += 1
                    result.errors.append(exc.__class__.__name__)


def _reset(rows: list[Escalation], result: SweepResult) -> None:
    """Undo, in memory, what a rolled-back batch counted and set, before its rows are fired one by one."""
    for escalation in rows:
        if escalation.fired_at is not None:
            result.fired -= 1
            result.told -= len(escalation.recipients)
            escalation.fired_at = None
            escalation.notified_level = ""
            escalation.recipients = []


_BREACH_SQL = """
UPDATE deadlines_deadline SET state = 'breached', breached_at = due_at, updated_at = %s
WHERE id IN (
  SELECT id FROM deadlines_deadline WHERE state = 'open' AND due_at <= %s FOR UPDATE SKIP LOCKED
)
"""


def _mark_breached(*, now: datetime, result: SweepResult) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_BREACH_SQL, [now, now])
        result.breached += cursor.rowcount


_UNACKED_SQL = """
SELECT n.id FROM notifications_notification n
LEFT JOIN deadlines_deadline d ON d.id = n.deadline_id
WHERE n.requires_ack AND NOT n.ack_by_link AND n.acknowledged_at IS NULL AND n.ack_escalated_at IS NULL
  AND n.told_at <= %s AND (n.level <> '' OR n.case_id IS NOT NULL)
  AND (n.deadline_id IS NULL OR d.state IN ('open', 'breached', 'paused'))
  AND NOT (n.id = ANY(%s))
ORDER BY n.told_at, n.id
LIMIT %s
FOR UPDATE OF n SKIP LOCKED
"""


def _escalate_unacknowledged(*, now: datetime, result: SweepResult, batch: int) -> None:
    """A notification needing acknowledgement that nobody acknowledged in time goes one level up, once.

    The new notifications are critical and need acknowledgement too, so an unanswered one climbs on.
    """
    cutoff = now - ack_escalate_after()
    failed: list[int] = []
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_UNACKED_SQL, [cutoff, failed, batch])
                ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return
            for notification in notifications_with_ids(ids).select_related(
                "deadline__case__team", "deadline__responsible_user__team", "deadline__responsible_team", "case"
            ):
                try:
                    with transaction.atomic():
                        _escalate_one(notification, now=now, result=result)
                except Exception as exc:  # noqa: BLE001
                    log.exception("Acknowledgement escalation of notification %s failed", notification.pk)
                    failed.append(notification.pk)
                    result.failed += 1
                    result.errors.append(exc.__class__.__name__)


def _escalate_one(notification: Any, *, now: datetime, result: SweepResult) -> None:
    level = notification.level or Notify.RESPONSIBLE
    above = notify_above(level)
    if above is not None:
        deadline = notification.deadline
        if deadline is not None:
            _tell(deadline, level=above, severity=Severity.CRITICAL, now=now, requires_ack=True)
        elif notification.case is not None:
            _tell_about_case(notification, level=above)
        result.ack_escalated += 1
    notification_ack_escalated(notification, now=now)


def _tell_about_case(notification: Any, *, level: str) -> None:
    """An unacknowledged notification about a case (not a deadline): up from the case's owner."""
    case = notification.case
    told_level, users = recipients.resolve(
        level, responsible_user=case.owner, responsible_team=case.team, case_team=case.team
    )
    for user in users:
        notification_send(
            recipient=user,
            subject=f"Not acknowledged: notification on case {case.reference}",
            body=f"A notification that needed acknowledgement was not acknowledged in time.\n\n{notification.subject}",
            case=case,
            link=notification.link,
            requires_ack=True,
            severity=Severity.CRITICAL,
            level=told_level,
        )


# --- The sweep ------------------------------------------------------------------------------------


def sweep(*, batch: int | None = None) -> SweepResult:
    """Escalate everything due now, escalate unacknowledged notifications, and write the heartbeat."""
    started = time.monotonic()
    now = clock.now()
    size = batch or int(os.environ.get("HAVEN_DEADLINE_SWEEP_BATCH", "") or BATCH)
    result = SweepResult()
    _mark_breached(now=now, result=result)
    _escalate_due(now=now, result=result, batch=size)
    _escalate_unacknowledged(now=now, result=result, batch=size)
    result.duration_ms = int((time.monotonic() - started) * 1000)
    heartbeat_record(name=SWEEP, detail=result.as_detail())
    if result.fired or result.ack_escalated:
        log.info("Deadline sweep: %s", result.as_detail())
    return result


WATCH_SECONDS = 9.0
"""How long one sweep job keeps watch; the job is queued every 10 s, so the watches meet end to end."""

WATCH_PAUSE = 1.0
"""Between sweeps within a watch: an escalation waits about this long, not a whole tick."""


def sweep_watch(*, seconds: float = WATCH_SECONDS, pause: float = WATCH_PAUSE) -> SweepResult:
    """Sweep, then sweep again every ``pause`` seconds (at once after a sweep that fired something,
    to catch up) until ``seconds`` have passed. Returns the totals."""
    started = time.monotonic()
    total = SweepResult()
    while True:
        result = sweep()
        total.fired += result.fired
        total.told += result.told
        total.breached += result.breached
        total.ack_escalated += result.ack_escalated
        total.failed += result.failed
        total.errors += result.errors
        total.max_lag_seconds = max(total.max_lag_seconds, result.max_lag_seconds)
        left = seconds - (time.monotonic() - started)
        if left <= 0 or (not result.fired and left < pause):
            break
        if not result.fired:
            time.sleep(pause)
    total.duration_ms = int((time.monotonic() - started) * 1000)
    return total
