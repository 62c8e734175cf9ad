"""T-02: the officer and their line manager are told 30 days before a refresher or mandatory module
runs out and on the day it does; once each, whatever how often the job runs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from haven.notifications.models import Notification
from haven.workforce.reminders import reminders_send

pytestmark = pytest.mark.django_db


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 5, tzinfo=UTC)


def test_t02_due_30_days_before_and_expired_on_the_day_to_officer_and_line_manager(make_user, qualify, sergeant, clock):
    clock.freeze(_at(date(2026, 5, 1)))
    officer = make_user("pc", team="TEST")
    qualify(officer, "missing_elearning_1", on=date(2025, 6, 10))  # runs out 10 June 2026

    assert reminders_send(at=_at(date(2026, 5, 10))) == 0  # 31 days before: nothing yet
    assert reminders_send(at=_at(date(2026, 5, 11))) == 1  # 30 days before
    assert reminders_send(at=_at(date(2026, 5, 12))) == 0  # told once
    assert reminders_send(at=_at(date(2026, 6, 9))) == 0
    assert reminders_send(at=_at(date(2026, 6, 10))) == 1  # the day it runs out
    assert reminders_send(at=_at(date(2026, 6, 11))) == 0

    subjects = [(n.recipient.username, n.subject) for n in Notification.objects.order_by("pk")]
    module = "Missing people e-learning: module 1"
    assert subjects == [
        ("pc", f"{module} runs out on 10 June 2026"),
        ("sgt", f"{officer.rank_and_name}: missing people e-learning: module 1 runs out on 10 June 2026"),
        ("pc", f"{module} ran out on 10 June 2026"),
        ("sgt", f"{officer.rank_and_name}: missing people e-learning: module 1 ran out on 10 June 2026"),
    ]


def test_t02_a_refresher_starts_the_reminders_again_for_the_new_expiry(make_user, qualify, clock):
    clock.freeze(_at(date(2026, 6, 10)))
    officer = make_user("pc", team="TEST")
    qualify(officer, "missing_elearning_1", on=date(2025, 6, 10))
    assert reminders_send() == 1
    qualify(officer, "missing_elearning_1", on=date(2026, 6, 10))

    assert reminders_send() == 0  # renewed: runs out in 2027
    assert reminders_send(at=_at(date(2027, 5, 11))) == 1


def test_t02_a_qualification_that_never_runs_out_sends_nothing(make_user, qualify, clock):
    clock.freeze(_at(date(2026, 6, 10)))
    qualify(make_user("pc"), "pip2", on=date(2010, 1, 1))

    assert reminders_send() == 0


def test_t02_the_worker_sends_the_reminders_daily(make_user, qualify, clock):
    from procrastinate.contrib.django import app

    from haven.workforce.tasks import workforce_reminders

    periodic = app.periodic_registry.periodic_tasks[(workforce_reminders.name, "workforce-reminders")]
    assert periodic.task is workforce_reminders
    ticks = (
        periodic.croniter.get_next(datetime, datetime(2026, 1, 1, 12, 0, tzinfo=UTC)),
        periodic.croniter.get_next(datetime),
    )
    assert ticks == (datetime(2026, 1, 2, 6, 5, tzinfo=UTC), datetime(2026, 1, 3, 6, 5, tzinfo=UTC))
    clock.freeze(_at(date(2026, 6, 10)))
    qualify(make_user("pc"), "missing_elearning_2", on=date(2025, 6, 10))

    assert workforce_reminders(0) == 1
