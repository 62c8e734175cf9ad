"""The sweep fires escalations as sets (a fixed number of statements per batch), isolates a bad row,
hands e-mail to the outbox job instead of sending it itself, and keeps watch between ticks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from haven.core import clock, heartbeat
from haven.core.models import OutgoingEmail
from haven.core.outbox import outbox_send
from haven.deadlines import services
from haven.deadlines import sweep as sweep_module
from haven.deadlines.models import Escalation
from haven.deadlines.sweep import sweep, sweep_watch
from haven.notifications.models import Notification

NOTIFICATION_EMAILS = OutgoingEmail.objects.filter(kind="notifications.notification")


@pytest.fixture
def case(ranks, make_case):
    return make_case(ranks["officer"])


def _due(case, ranks, count: int, *, prefix: str = "d") -> None:
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    for n in range(count):
        services.deadline_create(
            actor=ranks["officer"],
            case=case,
            kind="tests.one_hour",
            what="Review the risk",
            due_at=clock.now() + timedelta(hours=1),
            key=f"{prefix}:{n}",
        )
    clock.freeze(datetime(2026, 6, 1, 10, 0, tzinfo=UTC))


def _queued_email_jobs() -> list[list[int]]:
    """Every core.email job queued (transactional tests elsewhere may leave theirs)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT args->'ids' FROM procrastinate_jobs WHERE task_name = 'core.email' ORDER BY id")
        return [json.loads(row[0]) for row in cursor.fetchall()]


def test_a_batch_takes_the_same_statements_for_ten_escalations_as_for_sixty(
    case, ranks, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Set-based: the cost of a batch does not grow a statement per escalation (issue 5's 5,000 in a minute)."""
    _due(case, ranks, 10, prefix="small")
    with django_capture_on_commit_callbacks(execute=False), django_assert_max_num_queries(40) as small:
        assert sweep(batch=100).fired == 10
    _due(case, ranks, 60, prefix="large")
    with django_capture_on_commit_callbacks(execute=False), django_assert_max_num_queries(40) as large:
        assert sweep(batch=100).fired == 60
    assert len(large.captured_queries) <= len(small.captured_queries)
    assert Notification.objects.filter(deadline__key__startswith="large:").count() == 60


def test_one_bad_escalation_does_not_hold_back_the_rest_of_its_batch(case, ranks, monkeypatch):
    _due(case, ranks, 5)
    bad = Escalation.objects.order_by("id")[2]
    real_message = sweep_module._message

    def message(deadline, **kw):
        if deadline.pk == bad.deadline_id:
            raise RuntimeError("a row the sweep cannot handle")
        return real_message(deadline, **kw)

    monkeypatch.setattr(sweep_module, "_message", message)
    result = sweep(batch=100)
    assert (result.fired, result.failed) == (4, 1)
    assert list(Escalation.objects.filter(fired_at__isnull=True).values_list("pk", flat=True)) == [bad.pk]
    assert Notification.objects.count() == 4
    assert not Notification.objects.filter(deadline_id=bad.deadline_id).exists()


def test_dp01_sweep_email_is_queued_as_one_job_and_sent_by_it_without_personal_data(
    ranks, make_case, make_person, mailbox, django_capture_on_commit_callbacks
):
    child = make_person(forenames="Amelia", surname="Quartermaine")
    case = make_case(ranks["officer"], subject=child)
    _due(case, ranks, 3)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(batch=100)
    assert mailbox == []  # the sweep itself sends nothing: a slow mail server cannot delay escalations
    owed = list(NOTIFICATION_EMAILS.filter(pending=True).values_list("pk", flat=True))
    assert sorted(NOTIFICATION_EMAILS.values_list("context__notification", flat=True)) == sorted(
        Notification.objects.values_list("pk", flat=True)
    )
    assert len(owed) == 3
    mine = [sorted(ids) for ids in _queued_email_jobs() if set(ids) & set(owed)]
    assert mine == [sorted(owed)]

    assert outbox_send(ids=owed) == 3  # what the core.email job does
    assert len(mailbox) == 3
    for message in mailbox:
        text = message["Subject"] + message.get_content()
        assert case.reference in message["Subject"]
        assert "Amelia" not in text
        assert "Quartermaine" not in text
    assert not NOTIFICATION_EMAILS.filter(pending=True).exists()
    assert NOTIFICATION_EMAILS.filter(sent_at__isnull=False).count() == 3
    assert outbox_send(ids=owed) == 0, "an e-mail is sent once"


def test_email_that_could_not_be_sent_stays_owed_and_the_outbox_sends_it_later(
    case, ranks, mailbox, settings, django_capture_on_commit_callbacks
):
    _due(case, ranks, 2)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(batch=100)
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens: refused
        }
    }
    assert outbox_send() == 0
    assert NOTIFICATION_EMAILS.filter(pending=True).exclude(error="").count() == 2
    assert mailbox == []

    settings.MAILERS = working
    clock.freeze(clock.now() + timedelta(minutes=2))
    assert outbox_send(older_than=timedelta(minutes=1)) == 2  # the periodic outbox job
    assert len(mailbox) == 2
    assert not NOTIFICATION_EMAILS.filter(pending=True).exists()
    assert set(NOTIFICATION_EMAILS.values_list("error", flat=True)) == {""}


def test_a_sweep_job_keeps_watch_and_fires_what_falls_due_during_it(case, ranks, django_capture_on_commit_callbacks):
    """The job queued every 10 s sweeps every second while it runs, so a step is not left for the next tick."""
    services.deadline_create(
        actor=ranks["officer"],
        case=case,
        kind="tests.one_hour",
        what="Review the risk",
        due_at=clock.now() + timedelta(hours=1),
        key="soon",
    )
    Escalation.objects.update(fire_at=clock.now() + timedelta(seconds=0.6))  # falls due mid-watch, real clock
    with django_capture_on_commit_callbacks(execute=False):
        result = sweep_watch(seconds=3, pause=0.2)
    assert result.fired == 1
    fired = Escalation.objects.get()
    assert fired.fired_at is not None
    assert fired.fired_at >= fired.fire_at


def test_a_long_catch_up_keeps_the_heartbeat_fresh(case, ranks, monkeypatch, django_capture_on_commit_callbacks):
    """A sweep that is still working through a backlog must not look dead on /healthz and the header."""
    from haven.core.models import Heartbeat

    _due(case, ranks, 6)
    monkeypatch.setattr(sweep_module, "BEAT_EVERY", 0.0)  # a beat before every batch
    beats = []
    real_record = heartbeat.heartbeat_record

    def record(**kw):
        beats.append(kw["detail"])
        real_record(**kw)

    monkeypatch.setattr(sweep_module, "heartbeat_record", record)
    with django_capture_on_commit_callbacks(execute=False):
        sweep(batch=2)
    catching_up = [b for b in beats if b.get("catching_up")]
    assert len(catching_up) >= 3  # before each of the three batches
    assert [b["fired"] for b in catching_up[:3]] == [0, 2, 4]
    assert Heartbeat.objects.get(name="deadline_sweep").detail["fired"] == 6  # the last word is the sweep's own
