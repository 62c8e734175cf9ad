"""Haven's one outbox (haven.core.outbox): e-mail owed with the write, sent through the real local SMTP
server, kept while that server is down (nothing lost), sent once, and the row keeps who it went to,
what it was and when."""

from __future__ import annotations

import json
import socket
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction

from haven.core import outbox
from haven.core.models import OutgoingEmail
from haven.core.outbox import NOTICE, email_owe, emails_owe, outbox_send
from haven.core.tasks import email as email_job
from haven.core.tasks import outbox as outbox_job

pytestmark = pytest.mark.django_db


def _notice(to: Any, subject: str = "a notice") -> OutgoingEmail:
    owed = email_owe(to=to, kind=NOTICE, context={"subject": subject, "body": "Open Haven."})
    assert owed is not None
    return owed


def _jobs(task: str) -> list[list[int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT args->'ids' FROM procrastinate_jobs WHERE task_name = %s ORDER BY id", [task])
        return [json.loads(row[0]) for row in cursor.fetchall()]


def test_owed_e_mail_is_queued_for_the_worker_with_the_write_and_sent_by_its_job(make_user, mailbox):
    user = make_user("amy")
    owed = _notice(user)

    assert mailbox == [], "nothing is sent while the writer waits"
    assert [owed.pk] in _jobs("core.email"), "the worker's job is queued in the same transaction"
    assert email_job(ids=[owed.pk]) == 1  # what the worker runs
    [message] = mailbox
    assert (message["To"], message["Auto-Submitted"]) == (user.email, "auto-generated")
    owed.refresh_from_db()
    assert (owed.pending, owed.address, owed.subject) == (False, user.email, "Haven (Demo Constabulary): a notice")
    assert owed.sent_at is not None
    assert email_job(ids=[owed.pk]) == 0, "sent once, never twice"


def test_a_rollback_owes_nothing_and_queues_no_job(make_user):
    user = make_user("amy")
    jobs = len(_jobs("core.email"))

    def write_that_fails() -> None:
        with transaction.atomic():
            _notice(user)
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        write_that_fails()
    assert not OutgoingEmail.objects.exists()
    assert len(_jobs("core.email")) == jobs


def test_e_mail_owed_while_the_server_is_down_stays_owed_and_goes_when_it_is_back(make_user, mailbox, settings, clock):
    working = settings.MAILERS
    users = [make_user(f"u{n}") for n in range(3)]
    with socket.socket() as probe:  # a port nothing listens on: connection refused, as a dead server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {"default": {**working["default"], "OPTIONS": {"host": "127.0.0.1", "port": port}}}
    owed = [_notice(user) for user in users]
    assert outbox_send(ids=[e.pk for e in owed]) == 0  # the job queued with the write: the server is down
    for _ in range(3):  # the periodic job, every minute, the server still down
        clock.travel(timedelta(minutes=1))
        assert outbox_job(int(clock.now().timestamp())) == 0
    rows = OutgoingEmail.objects.filter(pk__in=[e.pk for e in owed])
    assert [(e.pending, e.attempts, e.error) for e in rows] == [(True, 4, "ConnectionRefusedError")] * 3
    assert mailbox == []

    settings.MAILERS = working  # the server is back
    clock.travel(timedelta(minutes=1))
    assert outbox_job(int(clock.now().timestamp())) == 3
    assert sorted(m["To"] for m in mailbox) == sorted(u.email for u in users)
    assert [(e.pending, e.attempts, e.error, e.address) for e in rows.all()] == [
        (False, 4, "", u.email) for u in users
    ], "nothing lost, and each row keeps who it went to"
    assert outbox_job(int(clock.now().timestamp())) == 0, "sent once, never twice"


def test_the_periodic_job_leaves_what_was_owed_less_than_a_minute_ago_to_its_own_job(make_user, mailbox, clock):
    owed = _notice(make_user("amy"))
    assert outbox_job(int(clock.now().timestamp())) == 0
    clock.travel(outbox.RETRY_AFTER)
    assert outbox_job(int(clock.now().timestamp())) == 1
    owed.refresh_from_db()
    assert not owed.pending


def test_e_mail_that_could_not_go_for_a_day_is_given_up_and_says_so(make_user, mailbox, clock):
    owed = _notice(make_user("amy"))
    clock.travel(outbox.GIVE_UP + timedelta(minutes=1))
    assert outbox_send() == 0
    owed.refresh_from_db()
    assert (owed.pending, owed.error, owed.sent_at) == (False, "Given up: not sent in a day", None)
    assert mailbox == []


def test_nothing_is_owed_to_a_user_without_an_address_and_nothing_sent_to_one_who_left(make_user, mailbox):
    nobody = make_user("nobody")
    nobody.email = ""
    nobody.save()
    assert email_owe(to=nobody, kind=NOTICE, context={"subject": "s", "body": "b"}) is None

    leaver = make_user("leaver")
    owed = _notice(leaver)
    leaver.is_active = False
    leaver.save()
    assert outbox_send(ids=[owed.pk]) == 0
    owed.refresh_from_db()
    assert (owed.pending, owed.error) == (False, "No address")
    assert mailbox == []


def test_e_mail_to_an_address_goes_there_and_keeps_it(mailbox):
    owed = email_owe(address="team@example.test", kind=NOTICE, context={"subject": "s", "body": "b"})
    assert owed is not None
    assert owed.to is None
    assert outbox_send(ids=[owed.pk]) == 1
    assert [m["To"] for m in mailbox] == ["team@example.test"]


def test_an_unregistered_kind_fails_the_write(make_user):
    with pytest.raises(ValueError, match="No app registered"):
        email_owe(to=make_user("amy"), kind="tests.nobody_writes_this", context={})
    assert not OutgoingEmail.objects.exists()


def test_a_kind_whose_words_are_gone_is_dropped_and_a_kind_that_fails_stays_owed(make_user, mailbox):
    outbox.register_email("tests.gone", lambda to, context: None)
    outbox.register_email("tests.broken", lambda to, context: context["missing"])
    try:
        user = make_user("amy")
        gone = email_owe(to=user, kind="tests.gone")
        broken = email_owe(to=user, kind="tests.broken")
        fine = _notice(user)
        assert gone is not None
        assert broken is not None
        assert outbox_send() == 1, "one e-mail that cannot be written does not hold back the rest"
    finally:
        del outbox._CONTENT["tests.gone"], outbox._CONTENT["tests.broken"]
    rows = {e.pk: e for e in OutgoingEmail.objects.all()}
    assert (rows[gone.pk].pending, rows[gone.pk].error) == (False, "Nothing to send: what it was about is gone")
    assert (rows[broken.pk].pending, rows[broken.pk].attempts, rows[broken.pk].error) == (True, 1, "KeyError")
    assert rows[fine.pk].sent_at is not None
    assert len(mailbox) == 1


def test_once_per_owes_one_e_mail_about_a_thing_while_one_is_still_owed(make_user):
    amy, ben = make_user("amy"), make_user("ben")

    def owe() -> list[OutgoingEmail]:
        return emails_owe(
            [
                (amy, NOTICE, {"subject": "s", "body": "b", "about": 1}),
                (ben, NOTICE, {"subject": "s", "body": "b", "about": 1}),
            ],
            once_per="about",
        )

    assert len(owe()) == 2
    assert owe() == [], "both still owed: not owed again"
    OutgoingEmail.objects.filter(to=amy).update(pending=False)
    [again] = owe()
    assert again.to == amy
    assert OutgoingEmail.objects.count() == 3


def test_after_commit_e_mail_goes_once_the_write_commits(make_user, mailbox, django_capture_on_commit_callbacks):
    user = make_user("amy")
    with django_capture_on_commit_callbacks(execute=True):
        email_owe(to=user, kind=NOTICE, context={"subject": "now", "body": "b"}, after_commit=True)
        assert mailbox == []
    assert [m["To"] for m in mailbox] == [user.email]
