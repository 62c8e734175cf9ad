"""T-02: tell the officer and their line manager when a refresher or mandatory module is about to run
out (30 days before) and when it has (on the day). Run daily by the worker (``tasks.py``); each reminder
is sent once per stage and expiry date, so a missed or repeated run neither loses nor doubles one.

A reminder is a notification (inbox and e-mail), not a ``haven.deadlines`` deadline: deadlines hang on
a case, and an officer's training is not one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse

from haven.accounts.selectors import team_supervisors
from haven.core import clock
from haven.notifications.services import notification_send
from haven.workforce.models import OfficerQualification, Reminder
from haven.workforce.selectors import DUE_WITHIN_DAYS, _day, today


def _stage(expires_on: date, day: date) -> str | None:
    if day >= expires_on:
        return Reminder.Stage.EXPIRED
    if day >= expires_on - timedelta(days=DUE_WITHIN_DAYS):
        return Reminder.Stage.DUE
    return None


def reminders_send(*, at: datetime | None = None) -> int:
    """Send the reminders owed on the day of ``at`` (default now); return how many records were told about."""
    at = at or clock.now()
    day = today(at)
    horizon = day + timedelta(days=DUE_WITHIN_DAYS)
    sent = 0
    records = OfficerQualification.objects.filter(
        expires_on__isnull=False, expires_on__lte=horizon, officer__is_active=True, qualification__active=True
    ).select_related("officer", "officer__team", "qualification")
    for record in records:
        stage = _stage(record.expires_on, day) if record.expires_on is not None else None
        if stage is not None and _send(record, stage, at):
            sent += 1
    return sent


@transaction.atomic
def _send(record: OfficerQualification, stage: str, at: datetime) -> bool:
    if record.expires_on is None:
        return False
    _, created = Reminder.objects.get_or_create(
        record=record, stage=stage, expires_on=record.expires_on, defaults={"sent_at": at}
    )
    if not created:
        return False
    officer, name, when = record.officer, record.qualification.name, _day(record.expires_on)
    if stage == Reminder.Stage.DUE:
        subject, body = f"{name} runs out on {when}", f"Book the refresher or module before {when}."
    else:
        subject, body = f"{name} ran out on {when}", "Work that needs it is not allowed until it is renewed."
    notification_send(recipient=officer, subject=subject, body=body, link=reverse("workforce:mine"), severity="warning")
    managers = [m for m in (team_supervisors(officer.team) if officer.team else []) if m.pk != officer.pk]
    for manager in managers:
        notification_send(
            recipient=manager,
            subject=f"{officer.rank_and_name}: {subject[:1].lower()}{subject[1:]}",
            body=body,
            link=reverse("workforce:officer", args=[officer.public_id]),
            severity="warning",
        )
    return True
