"""T-02 as deadlines: a refresher or mandatory module that runs out is a deadline of the officer's own
(no case), due the day it runs out, escalating to their line manager; recording the refresher meets it.

The ladder (force policy ``deadlines.ladder.workforce.refresher``) tells the officer 30 days before and
their line manager (the team's supervisors) a minute later, then both again on the day: "30 days
before expiry, on expiry) to the officer and line manager" (issue 18). Each recipient has one inbox item
per deadline, updated by the second step.

A record's deadline is keyed by the record and its expiry (``training:<record>:<YYYY-MM-DD>``), so a
renewal (a new expiry) meets the old one and opens a new one. ``refresher_deadlines_sync`` (the daily
job) opens any that are missing and closes any whose record changed behind the service's back: running
it twice, or after a missed day, changes nothing more.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from haven.deadlines import services as engine
from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step
from haven.deadlines.selectors import deadline_keys_without_case
from haven.workforce.models import OfficerQualification

if TYPE_CHECKING:
    from haven.accounts.models import User

DUE_BEFORE = timedelta(days=30)


def _link(deadline: Any, recipient: User) -> str:
    """The officer's own training page for them; their record for a manager."""
    if deadline.responsible_user_id == recipient.pk:
        return reverse("workforce:mine")
    return reverse("workforce:officer", args=[deadline.responsible_user.public_id])


REFRESHER = DeadlineKind(
    code="workforce.refresher",
    rule_id="T-02",
    label="Training to renew",
    ladder=(
        Step(-DUE_BEFORE, Notify.RESPONSIBLE, Severity.WARNING),
        Step(-DUE_BEFORE + timedelta(minutes=1), Notify.SUPERVISOR, Severity.WARNING),
        Step(timedelta(0), Notify.RESPONSIBLE, Severity.URGENT),
        Step(timedelta(minutes=1), Notify.SUPERVISOR, Severity.URGENT),
    ),
    description="A refresher or mandatory module an officer holds runs out: the officer and their line manager.",
    link=_link,
)
KINDS = (REFRESHER,)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def key_for(record: OfficerQualification, expires_on: date | None = None) -> str:
    return f"training:{record.public_id}:{(expires_on or record.expires_on)}"


def due_at(expires_on: date) -> datetime:
    """The start of the force's calendar day on which the record no longer counts."""
    return timezone.make_aware(datetime.combine(expires_on, time(0)))


def _what(record: OfficerQualification) -> str:
    assert record.expires_on is not None
    what = f"{record.officer.rank_and_name}: renew {record.qualification.name} (runs out on {_day(record.expires_on)})"
    return what[:200]


def _eligible(record: OfficerQualification) -> bool:
    return record.expires_on is not None and record.officer.is_active and record.qualification.active


def _open(record: OfficerQualification) -> None:
    assert record.expires_on is not None
    engine.deadline_create(
        actor=None,
        case=None,
        kind=REFRESHER.code,
        what=_what(record),
        due_at=due_at(record.expires_on),
        key=key_for(record),
        responsible_user=record.officer,
    )


@transaction.atomic
def refresher_recorded(*, actor: User, record: OfficerQualification, previous_expiry: date | None) -> None:
    """The record was gained or renewed (``qualification_record``): the deadline for the old expiry is
    met (the refresher is done) and the new expiry gets its own."""
    if previous_expiry is not None and previous_expiry != record.expires_on:
        engine.deadline_meet(
            actor=actor,
            case=None,
            key=key_for(record, previous_expiry),
            how=f"Renewed on {_day(record.achieved_on)}",
        )
    if _eligible(record) and key_for(record) not in deadline_keys_without_case(REFRESHER.code, [key_for(record)]):
        _open(record)


@transaction.atomic
def refresher_deadlines_sync() -> tuple[int, int]:
    """Open the deadline of every record that runs out and has none yet for its expiry; close live ones
    that no longer match a record (renewed elsewhere: met; officer left or qualification retired:
    cancelled). Returns (opened, closed). Idempotent."""
    records = list(
        OfficerQualification.objects.filter(expires_on__isnull=False).select_related("officer", "qualification")
    )
    wanted = {key_for(r): r for r in records if _eligible(r)}
    known = deadline_keys_without_case(REFRESHER.code)  # every state: a met or cancelled one is not reopened
    opened = 0
    for key, record in wanted.items():
        if key not in known:
            _open(record)
            opened += 1
    current = {str(r.public_id): r.expires_on for r in records if _eligible(r)}
    closed = 0
    for key in deadline_keys_without_case(REFRESHER.code, live=True):
        if key in wanted:
            continue
        _, record_id, expiry = key.split(":")
        now_expires = current.get(record_id)
        if now_expires is not None and now_expires.isoformat() > expiry:
            engine.deadline_meet(actor=None, case=None, key=key, how="Renewed")
        elif now_expires is not None:  # ended earlier (a new version of a required reading)
            engine.deadline_cancel(actor=None, case=None, key=key, reason="The record now runs out earlier.")
        else:
            engine.deadline_cancel(
                actor=None, case=None, key=key, reason="The officer has left or the qualification is no longer used."
            )
        closed += 1
    return opened, closed
