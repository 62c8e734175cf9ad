"""Inbox: one item per deadline and recipient. A later escalation step updates the recipient's item (more
severe, unread again, back at the top); someone first told at a later step gets an item of their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from haven.core import clock
from haven.core.models import OutgoingEmail
from haven.deadlines import services
from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step, register_kind
from haven.deadlines.sweep import sweep
from haven.notifications.models import Notification
from haven.notifications.selectors import notifications_for
from haven.notifications.services import notification_acknowledge, notification_mark_read, notification_send

REPEATING = register_kind(
    DeadlineKind(
        code="tests.repeating",
        rule_id="M-04",
        label="Test repeating",
        ladder=(
            Step(timedelta(minutes=-30), Notify.RESPONSIBLE, Severity.WARNING),
            Step(timedelta(0), Notify.RESPONSIBLE, Severity.CRITICAL),
            Step(timedelta(minutes=30), Notify.RESPONSIBLE, Severity.URGENT),
            Step(timedelta(minutes=60), Notify.SUPERVISOR, Severity.URGENT),
        ),
    )
)


@pytest.fixture
def deadline(ranks, make_case):
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    return services.deadline_create(
        actor=ranks["officer"],
        case=make_case(ranks["officer"]),
        kind=REPEATING.code,
        what="Grade the risk",
        due_at=clock.now() + timedelta(hours=1),
        key="review",
    )


def _items(deadline, user):
    return list(Notification.objects.filter(deadline=deadline, recipient=user))


def _step(minutes):
    clock.freeze(datetime(2026, 6, 1, 10, 0, tzinfo=UTC) + timedelta(minutes=minutes))
    sweep()


def test_a_later_step_updates_the_recipients_item_instead_of_adding_one(deadline, ranks):
    officer = ranks["officer"]
    _step(-30)
    (first,) = _items(deadline, officer)
    assert (first.severity, first.told_count) == ("warning", 1)
    notification_mark_read(actor=officer, notification=first)
    notification_send(recipient=officer, subject="Something else", body="", email=False)  # newer, on top
    _step(0)
    (item,) = _items(deadline, officer)
    assert item.pk == first.pk
    assert (item.severity, item.told_count) == ("critical", 2)
    assert item.read_at is None  # unread again
    assert item.requires_ack
    assert item.acknowledged_at is None
    assert "overdue" in item.subject or "due now" in item.subject
    assert item.told_at == clock.now()
    assert notifications_for(user=officer)[0].pk == item.pk  # back at the top of the inbox


def test_a_later_step_never_lowers_the_severity(deadline, ranks):
    _step(-30)
    _step(0)
    (item,) = _items(deadline, ranks["officer"])
    notification_acknowledge(actor=ranks["officer"], notification=item)
    _step(30)  # an urgent step after a critical one
    (item,) = _items(deadline, ranks["officer"])
    assert (item.severity, item.told_count) == ("critical", 3)
    assert item.acknowledged_at is not None  # the urgent step asks for no acknowledgement again


def test_someone_first_told_at_a_later_step_gets_an_item_of_their_own(deadline, ranks):
    _step(-30)
    _step(0)
    (officers,) = _items(deadline, ranks["officer"])
    notification_acknowledge(actor=ranks["officer"], notification=officers)  # else it climbs to the sergeant
    assert _items(deadline, ranks["sergeant"]) == []
    _step(30)
    _step(60)
    assert Notification.objects.filter(deadline=deadline, recipient=ranks["officer"]).count() == 1
    (sergeants,) = _items(deadline, ranks["sergeant"])
    assert (sergeants.severity, sergeants.told_count, sergeants.level) == ("urgent", 1, "supervisor")


def test_the_database_keeps_one_item_per_deadline_and_recipient(deadline, ranks):
    _step(-30)
    with pytest.raises(IntegrityError), transaction.atomic():
        notification_send(
            recipient=ranks["officer"], subject="Again", body="", deadline=deadline, case=deadline.case, email=False
        )


def test_an_updated_item_is_e_mailed_again(deadline, ranks):
    _step(-30)
    (item,) = _items(deadline, ranks["officer"])
    emails = OutgoingEmail.objects.filter(kind="notifications.notification", context__notification=item.pk)
    assert emails.count() == 1
    emails.update(pending=False, sent_at=clock.now())  # the first was sent
    _step(0)
    assert emails.count() == 2, "told again: one more e-mail owed, the first kept"
    assert emails.filter(pending=True).count() == 1


def test_an_item_told_again_before_its_e_mail_went_is_e_mailed_once(deadline, ranks):
    _step(-30)
    _step(0)
    (item,) = _items(deadline, ranks["officer"])
    [owed] = OutgoingEmail.objects.filter(kind="notifications.notification", context__notification=item.pk)
    assert owed.pending, "one e-mail, written when it goes: it will say what the item says then"
