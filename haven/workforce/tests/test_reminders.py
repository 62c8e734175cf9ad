"""T-02: a refresher or mandatory module that runs out is a deadline of the officer's own, escalating
to their line manager: both are told 30 days before and on the day; recording the refresher meets it;
the daily job opens what is missing and is idempotent."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from haven.deadlines.choices import DeadlineState
from haven.deadlines.models import Deadline
from haven.notifications.models import Notification
from haven.workforce.deadlines import REFRESHER, due_at
from haven.workforce.models import OfficerQualification, Qualification
from haven.workforce.reminders import reminders_send

pytestmark = pytest.mark.django_db

# The sweep is the deadlines app's worker, not its public contract: reached by name (import-linter).
sweep = importlib.import_module("haven.deadlines.sweep").sweep


def _at(day: date, hour: int = 6, minute: int = 5) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _told() -> list[tuple[str, str, str]]:
    return [(n.recipient.username, n.severity, n.link) for n in Notification.objects.order_by("recipient__username")]


def test_t02_a_record_that_runs_out_opens_the_officers_own_deadline(make_user, qualify, clock):
    clock.freeze(_at(date(2026, 5, 1)))
    officer = make_user("pc", team="TEST")
    qualify(officer, "missing_elearning_1", on=date(2025, 6, 10))  # runs out 10 June 2026

    deadline = Deadline.objects.get()
    assert (deadline.case, deadline.kind, deadline.rule_id) == (None, REFRESHER.code, "T-02")
    assert deadline.responsible_user == officer
    assert deadline.state == DeadlineState.OPEN
    assert deadline.due_at == due_at(date(2026, 6, 10))
    assert "renew Missing people e-learning: module 1 (runs out on 10 June 2026)" in deadline.what


def test_t02_a_qualification_held_for_good_opens_none(make_user, qualify, clock):
    clock.freeze(_at(date(2026, 5, 1)))
    qualify(make_user("pc"), "pip2", on=date(2010, 1, 1))

    assert not Deadline.objects.exists()
    assert reminders_send() == 0


def test_t02_officer_and_line_manager_told_30_days_before_and_on_the_day(make_user, qualify, sergeant, clock):
    clock.freeze(_at(date(2026, 5, 1)))
    officer = make_user("pc", team="TEST")
    sergeant.team = officer.team
    sergeant.save()
    qualify(officer, "missing_elearning_1", on=date(2025, 6, 10))
    mine, theirs = reverse("workforce:mine"), reverse("workforce:officer", args=[officer.public_id])

    clock.freeze(_at(date(2026, 5, 10)))  # 31 days before
    sweep()
    assert _told() == []

    clock.freeze(_at(date(2026, 5, 11)))  # 30 days before
    sweep()
    assert _told() == [("pc", "warning", mine), ("sgt", "warning", theirs)]
    told = Notification.objects.get(recipient=officer)
    assert told.subject.startswith("Warning: Training to renew due in 29 d")  # 06:05, a month ahead of midnight
    assert told.body.startswith(f"{officer.rank_and_name}: renew Missing people e-learning: module 1 (runs out on")
    sweep()
    assert Notification.objects.count() == 2  # each step once

    clock.freeze(_at(date(2026, 6, 10), hour=0, minute=5))  # the day it runs out
    sweep()
    assert _told() == [("pc", "urgent", mine), ("sgt", "urgent", theirs)]  # the same inbox items, louder
    assert Deadline.objects.get().state == DeadlineState.BREACHED


def test_t02_recording_the_refresher_meets_the_deadline_and_opens_the_next(make_user, qualify, clock):
    clock.freeze(_at(date(2026, 6, 1)))
    officer = make_user("pc", team="TEST")
    qualify(officer, "missing_elearning_1", on=date(2025, 6, 10))
    qualify(officer, "missing_elearning_1", on=date(2026, 6, 1))  # the refresher

    old, new = Deadline.objects.order_by("due_at")
    assert (old.state, old.met_how) == (DeadlineState.MET, "Renewed on 1 June 2026")
    assert (new.state, new.due_at) == (DeadlineState.OPEN, due_at(date(2027, 6, 1)))
    clock.freeze(_at(date(2026, 6, 10)))
    sweep()
    assert not Notification.objects.filter(recipient=officer, severity="urgent").exists()


def test_t02_the_daily_job_opens_what_is_missing_once_and_closes_what_no_longer_applies(make_user, sergeant, clock):
    clock.freeze(_at(date(2026, 6, 1)))
    officer = make_user("pc", team="TEST")
    # a record made before deadlines were (or by a bulk load that bypassed the service)
    OfficerQualification.objects.create(
        officer=officer,
        qualification=Qualification.objects.get(code="abe"),
        achieved_on=date(2024, 1, 1),
        expires_on=date(2027, 1, 1),
        evidence_reference="old",
        verified_by=sergeant,
        verified_at=clock.now(),
    )

    assert reminders_send() == 1
    assert reminders_send() == 0
    officer.is_active = False
    officer.save()
    reminders_send()
    assert Deadline.objects.get().state == DeadlineState.CANCELLED
    assert reminders_send() == 0


def test_t02_the_worker_runs_the_job_daily(make_user, sergeant, clock):
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
    OfficerQualification.objects.create(
        officer=make_user("pc"),
        qualification=Qualification.objects.get(code="missing_elearning_2"),
        achieved_on=date(2025, 6, 10),
        expires_on=date(2026, 6, 10),
        evidence_reference="old",
        verified_by=sergeant,
        verified_at=clock.now(),
    )

    assert workforce_reminders(0) == 1


def test_t02_the_officer_sees_the_refresher_among_their_deadlines_on_the_home_page(make_user, qualify, client, clock):
    from haven.core.testing import sign_in

    clock.freeze(_at(date(2026, 5, 1)))
    officer = make_user("pc", roles=("response_officer",), team="TEST")
    qualify(officer, "missing_elearning_1", on=date(2025, 6, 10))
    sign_in(client, officer)

    page = client.get("/").content.decode()

    mine = page[page.index('id="my-deadlines-title"') :]
    assert "renew Missing people e-learning: module 1" in mine
    assert f'href="{reverse("workforce:mine")}"' in mine


def test_t02_the_api_lists_the_refresher_among_the_officers_own_deadlines(make_user, qualify, client, clock):
    from haven.core.testing import sign_in

    clock.freeze(_at(date(2026, 5, 1)))
    officer = make_user("pc", roles=("response_officer",), team="TEST")
    qualify(officer, "missing_elearning_1", on=date(2025, 6, 10))
    sign_in(client, officer)

    response = client.get("/api/v1/deadlines")

    assert response.status_code == 200
    (row,) = response.json()
    assert (row["case_id"], row["rule_id"], row["kind"]) == (None, "T-02", REFRESHER.code)
