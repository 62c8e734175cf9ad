"""Every write to deadlines. Domain services create, meet, cancel, reschedule, pause and resume them;
only the sweep (``haven.deadlines.sweep``) escalates. All run inside the caller's transaction.

The domain service that calls these has already checked the actor's permission on the case and
written the s62 record for its own work; ``actor`` may be None for Haven's own work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from haven.core import clock
from haven.core.errors import Conflict, ValidationFailed
from haven.deadlines.models import LIVE_STATES, Deadline, DeadlineState, Escalation, ResponsibleKind
from haven.deadlines.registry import Step, kind_get, ladder_current
from haven.notifications.services import notifications_settle_for_deadline

if TYPE_CHECKING:
    from haven.accounts.models import Team, User
    from haven.cases.models import Case

WHAT_MAX = 200
KEY_MAX = 200
REASON_MAX = 2_000


def _text(value: str, *, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(f"Enter {label}.", fields={field: [f"Enter {label}."]})
    if len(value) > limit:
        raise ValidationFailed(
            f"{label.capitalize()} is too long.", fields={field: [f"Use {limit:,} characters or fewer."]}
        )
    return value


def _aware(value: datetime, field: str = "due_at") -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationFailed("A due time must be an aware date and time.", fields={field: ["Enter a date and time."]})
    return value


def _live(case: Case | None, key: str) -> Deadline | None:
    return Deadline.objects.select_for_update().filter(case=case, key=key, state__in=LIVE_STATES).first()


def _arm(deadline: Deadline, *, now: datetime) -> None:
    """Make one escalation row per ladder step (``fire_at`` = due + offset).

    Steps already in the past when the deadline is created are skipped, except the latest of them,
    which fires at the next sweep: a deadline created overdue escalates once, not through every rung.
    """
    steps = [Step.from_json(s) for s in deadline.ladder]
    past = [i for i, step in enumerate(steps) if deadline.due_at + step.offset <= now]
    latest_past = past[-1] if past else None
    Escalation.objects.bulk_create(
        [
            Escalation(
                deadline=deadline,
                step=i,
                offset_minutes=int(step.offset.total_seconds() // 60),
                notify=str(step.notify),
                severity=str(step.severity),
                fire_at=deadline.due_at + step.offset,
                skipped=i in past and i != latest_past,
            )
            for i, step in enumerate(steps)
        ]
    )


def _rearm(deadline: Deadline) -> None:
    """After the due time moved, move the steps that have not fired with it."""
    for escalation in deadline.escalations.filter(fired_at__isnull=True, skipped=False):
        escalation.fire_at = deadline.due_at + timedelta(minutes=escalation.offset_minutes)
        escalation.save(update_fields=["fire_at"])


def _settle_notifications(deadline: Deadline, *, now: datetime) -> None:
    """The deadline is met or cancelled: notifications acknowledged by acting (a handover) are done."""
    notifications_settle_for_deadline(deadline=deadline, now=now)


def _responsible(
    case: Case | None, kind: ResponsibleKind | str | None, user: User | None, team: Team | None
) -> tuple[ResponsibleKind, User | None, Team | None]:
    """(whose the deadline is, the responsible user, the responsible team), from what the caller gave.

    Without a kind: nobody given, or the case's owner, is the owner's; another person is named; a team
    alone is the team's. The owner's is always the case's owner and team; a named person's team is
    theirs unless given; a team's names nobody (the case's team unless given). Without a case, only a
    named person's.
    """
    if case is None:
        if kind not in (None, ResponsibleKind.NAMED) or user is None:
            raise ValueError("A deadline without a case is a named person's: give responsible_user.")
        return ResponsibleKind.NAMED, user, team if team is not None else user.team
    if kind is None:
        if user is None and team is None:
            kind = ResponsibleKind.OWNER
        elif user is None:
            kind = ResponsibleKind.TEAM
        else:
            kind = ResponsibleKind.OWNER if user.pk == case.owner_id else ResponsibleKind.NAMED
    kind = ResponsibleKind(kind)
    if kind == ResponsibleKind.OWNER:
        if user is not None and user.pk != case.owner_id:
            raise ValueError("A deadline of the case owner's is the case owner's: name nobody else.")
        return kind, case.owner, case.team
    if kind == ResponsibleKind.NAMED:
        if user is None:
            raise ValueError("A named person's deadline needs responsible_user.")
        return kind, user, team if team is not None else user.team
    if user is not None:
        raise ValueError("A team's deadline names no person.")
    team = team if team is not None else case.team
    if team is None:
        raise ValueError("A team's deadline needs a team (the case has none).")
    return kind, None, team


@transaction.atomic
def deadline_create(
    *,
    actor: User | None,
    case: Case | None,
    kind: str,
    what: str,
    due_at: datetime,
    key: str,
    responsible_user: User | None = None,
    responsible_team: Team | None = None,
    responsible_kind: ResponsibleKind | str | None = None,
) -> Deadline:
    """Start a deadline of a registered ``kind`` on ``case``, with the ladder in force now (copied).

    ``responsible_kind`` says whose it is (:class:`ResponsibleKind`): ``owner`` (the case's owner and
    team, moving with the case when it changes owner), ``named`` (``responsible_user``; it stays with
    them) or ``team`` (``responsible_team``, else the case's team; nobody by name). Not given: nobody
    or the case's owner named is the owner's, another person is named, a team alone is the team's.
    At most one live deadline per case and ``key``: another is a Conflict. ``case`` None: a deadline
    about a person's own duty (a named person's; at most one live per ``key``).
    """
    deadline_kind = kind_get(kind)
    what = _text(what, field="what", label="what must be done", limit=WHAT_MAX)
    key = _text(key, field="key", label="the deadline's key", limit=KEY_MAX)
    due_at = _aware(due_at)
    whose, responsible_user, responsible_team = _responsible(case, responsible_kind, responsible_user, responsible_team)
    if _live(case, key) is not None:
        raise Conflict(f"This case already has an open deadline for {key}.", fields={"key": ["Already open."]})
    now = clock.now()
    try:
        with transaction.atomic():
            deadline = Deadline.objects.create(
                case=case,
                kind=deadline_kind.code,
                rule_id=deadline_kind.rule_id,
                what=what,
                key=key,
                due_at=due_at,
                responsible_user=responsible_user,
                responsible_team=responsible_team,
                responsible_kind=whose,
                ladder=ladder_current(deadline_kind),
                created_by=actor,
                created_at=now,
            )
    except IntegrityError as exc:  # a concurrent create won the race for (case, key)
        raise Conflict(f"This case already has an open deadline for {key}.", fields={"key": ["Already open."]}) from exc
    _arm(deadline, now=now)
    return deadline


def deadline_ensure(
    *,
    actor: User | None,
    case: Case | None,
    kind: str,
    what: str,
    due_at: datetime,
    key: str,
    responsible_kind: ResponsibleKind | str | None = None,
) -> Deadline | None:
    """:func:`deadline_create` unless ``key`` already has a live deadline on the case: then the earlier one
    stands and None is answered. For an obligation several events may ask for (police protection's
    notifications, a referral required twice): asked again, nothing changes."""
    try:
        with transaction.atomic():  # a savepoint: the Conflict of a second one leaves the caller's work whole
            return deadline_create(
                actor=actor, case=case, kind=kind, what=what, due_at=due_at, key=key, responsible_kind=responsible_kind
            )
    except Conflict:
        return None


@transaction.atomic
def deadline_meet(*, actor: User | None, case: Case | None, key: str, how: str = "") -> Deadline | None:
    """Record that the live deadline for ``key`` was met (late or not); None if there is none."""
    deadline = _live(case, key)
    if deadline is None:
        return None
    now = clock.now()
    deadline.state = DeadlineState.MET
    deadline.met_at = now
    deadline.met_by = actor
    deadline.met_how = (how or "").strip()[:WHAT_MAX]
    deadline.save(update_fields=["state", "met_at", "met_by", "met_how"])
    deadline.escalations.filter(fired_at__isnull=True).update(skipped=True)
    _settle_notifications(deadline, now=now)
    return deadline


@transaction.atomic
def deadline_cancel(*, actor: User | None, case: Case | None, key: str, reason: str) -> Deadline | None:
    """Cancel the live deadline for ``key`` with a reason (it no longer applies); None if there is none."""
    reason = _text(reason, field="reason", label="why the deadline no longer applies", limit=REASON_MAX)
    deadline = _live(case, key)
    if deadline is None:
        return None
    now = clock.now()
    deadline.state = DeadlineState.CANCELLED
    deadline.cancelled_at = now
    deadline.cancelled_by = actor
    deadline.cancelled_reason = reason
    deadline.save(update_fields=["state", "cancelled_at", "cancelled_by", "cancelled_reason"])
    deadline.escalations.filter(fired_at__isnull=True).update(skipped=True)
    _settle_notifications(deadline, now=now)
    return deadline


def _outlives_case(code: str) -> bool:
    try:
        return kind_get(code).outlives_case
    except LookupError:
        return False


@transaction.atomic
def deadlines_cancel_for_case(*, actor: User | None, case: Case, reason: str) -> int:
    """Cancel every live deadline of ``case`` (it was closed) except those of kinds that outlive it
    (``DeadlineKind.outlives_case``: they stay open and escalate until met). How many were cancelled."""
    rows = Deadline.objects.filter(case=case, state__in=LIVE_STATES).values_list("key", "kind")
    keys = [key for key, kind in rows if not _outlives_case(kind)]
    for key in keys:
        deadline_cancel(actor=actor, case=case, key=key, reason=reason)
    return len(keys)


@dataclass(frozen=True)
class Moved:
    """What :func:`deadlines_follow_owner` moved: the owner's deadlines (now the new owner's) and the
    team's (now the case's team's)."""

    to_owner: list[Deadline]
    to_team: list[Deadline]


@transaction.atomic
def deadlines_follow_owner(*, case: Case) -> Moved:
    """The case has a new owner (``case.owner``, ``case.team`` saved): every live deadline of the case
    owner's becomes theirs (and the case's team's); every live deadline of the team's becomes the case's
    team's. Named people's deadlines stay. The escalations are not touched: who each step tells is
    resolved from the deadline when the step fires, so the next step reaches the new owner.
    """
    live = list(
        Deadline.objects.select_for_update()
        .filter(case=case, state__in=LIVE_STATES, responsible_kind__in=(ResponsibleKind.OWNER, ResponsibleKind.TEAM))
        .order_by("due_at", "id")
    )
    to_owner, to_team = [], []
    for deadline in live:
        if deadline.responsible_kind == ResponsibleKind.OWNER:
            if (deadline.responsible_user_id, deadline.responsible_team_id) == (case.owner_id, case.team_id):
                continue
            deadline.responsible_user = case.owner
            deadline.responsible_team = case.team
            deadline.save(update_fields=["responsible_user", "responsible_team"])
            to_owner.append(deadline)
        elif case.team_id is not None and deadline.responsible_team_id != case.team_id:
            deadline.responsible_team = case.team
            deadline.save(update_fields=["responsible_team"])
            to_team.append(deadline)
    return Moved(to_owner=to_owner, to_team=to_team)


@transaction.atomic
def deadline_reschedule(*, actor: User | None, case: Case | None, key: str, due_at: datetime, reason: str) -> Deadline:
    """Move the live deadline for ``key`` to ``due_at``, with a reason. Steps not yet fired move with it;
    steps already fired stay fired (each step fires once). Conflict if there is no live deadline."""
    reason = _text(reason, field="reason", label="why the due time moves", limit=REASON_MAX)
    due_at = _aware(due_at)
    deadline = _live(case, key)
    if deadline is None:
        raise Conflict(f"There is no open deadline for {key} on this case.")
    now = clock.now()
    deadline.due_at = due_at
    deadline.rescheduled_at = now
    deadline.rescheduled_reason = reason
    if deadline.state == DeadlineState.BREACHED and due_at > now:
        deadline.state = DeadlineState.OPEN
        deadline.breached_at = None
    deadline.save(update_fields=["due_at", "rescheduled_at", "rescheduled_reason", "state", "breached_at"])
    _rearm(deadline)
    return deadline


@transaction.atomic
def deadline_pause(*, actor: User | None, case: Case | None, key: str, reason: str) -> Deadline:
    """Stop the clock with a reason (e.g. "child in hospital"), only for kinds whose rule allows it."""
    reason = _text(reason, field="reason", label="why the clock stops", limit=REASON_MAX)
    deadline = _live(case, key)
    if deadline is None:
        raise Conflict(f"There is no open deadline for {key} on this case.")
    if not kind_get(deadline.kind).pausable:
        raise Conflict("This kind of deadline cannot be paused: the rule it serves does not allow it.")
    if deadline.state == DeadlineState.PAUSED:
        raise Conflict("This deadline is already paused.")
    deadline.state = DeadlineState.PAUSED
    deadline.paused_at = clock.now()
    deadline.paused_reason = reason
    deadline.save(update_fields=["state", "paused_at", "paused_reason"])
    return deadline


@transaction.atomic
def deadline_resume(*, actor: User | None, case: Case | None, key: str) -> Deadline:
    """Restart a paused deadline: the due time (and every step not yet fired) moves on by the pause."""
    deadline = _live(case, key)
    if deadline is None or deadline.state != DeadlineState.PAUSED or deadline.paused_at is None:
        raise Conflict("There is no paused deadline for this on the case.")
    now = clock.now()
    deadline.due_at = deadline.due_at + (now - deadline.paused_at)
    deadline.state = DeadlineState.OPEN if deadline.due_at > now else DeadlineState.BREACHED
    deadline.breached_at = None if deadline.state == DeadlineState.OPEN else deadline.due_at
    deadline.paused_at = None
    deadline.save(update_fields=["due_at", "state", "breached_at", "paused_at"])
    _rearm(deadline)
    return deadline
