"""The inbox: sending (in-app and e-mail after commit, no personal data), reading and acknowledging."""

from __future__ import annotations

import pytest
from django.db import transaction

from haven.core.errors import Conflict, NotFound
from haven.core.models import OutgoingEmail
from haven.notifications import services
from haven.notifications.models import Notification
from haven.notifications.selectors import unread_count


@pytest.fixture
def case(ranks, make_case, make_person):
    child = make_person(forenames="Amelia", surname="Quartermaine")
    return make_case(ranks["officer"], subject=child)


def _send(recipient, case, **kw):
    return services.notification_send(
        recipient=recipient,
        subject=f"Urgent: review of Amelia Quartermaine on case {case.reference}",
        body="Amelia Quartermaine was seen with an adult of concern.",
        case=case,
        link=f"/cases/{case.public_id}/",
        **kw,
    )


def test_dp01_email_reaches_smtp_with_the_case_reference_and_no_personal_data(
    ranks, case, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(ranks["sergeant"], case, severity="urgent")
    assert len(mailbox) == 1
    message = mailbox[0]
    text = message["Subject"] + message.get_content()
    assert message["To"] == "sergeant@example.test"
    assert case.reference in message["Subject"]
    assert "/notifications/" in text
    for personal in ("Amelia", "Quartermaine", "Sergeant", "Officer", "adult of concern"):
        assert personal not in text
    [sent] = OutgoingEmail.objects.filter(kind="notifications.notification", context__notification=notification.pk)
    assert (sent.pending, sent.address) == (False, "sergeant@example.test")  # kept: who it went to…
    assert sent.subject == f"Haven (Demo Constabulary): urgent notification about case {case.reference}"  # …and what
    assert sent.sent_at is not None


def test_email_waits_for_commit_and_a_rollback_sends_nothing(ranks, case, mailbox, django_capture_on_commit_callbacks):
    def send_then_fail() -> None:
        with transaction.atomic():
            _send(ranks["sergeant"], case)
            assert mailbox == []  # not before commit
            raise RuntimeError("the caller's work failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError, match="work failed"):
        send_then_fail()
    assert mailbox == []
    assert not Notification.objects.exists()
    assert not OutgoingEmail.objects.exists(), "a rollback owes nothing"


def test_email_text_only_when_policy_allows_it(ranks, case, mailbox, make_user, django_capture_on_commit_callbacks):
    from haven.policy import registry
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    admin = make_user("admin", roles=("administrator",), team=None)
    policy_set(
        actor=admin,
        setting=registry.get("notifications.email_text"),
        data=PolicySetIn(value=True, reason="Force e-mail is accredited"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _send(ranks["sergeant"], case)
    assert "Quartermaine" in mailbox[0].get_content()


def test_inbox_only_mine(ranks, case):
    notification = _send(ranks["sergeant"], case)
    with pytest.raises(NotFound):
        services.notification_mark_read(actor=ranks["officer"], notification=notification)
    with pytest.raises(NotFound):
        services.notification_acknowledge(actor=ranks["officer"], notification=notification)


def test_count_includes_unread_and_unacknowledged(ranks, case):
    plain = _send(ranks["sergeant"], case)
    needs_ack = _send(ranks["sergeant"], case, requires_ack=True, severity="critical")
    assert unread_count(user=ranks["sergeant"]) == 2
    services.notification_mark_read(actor=ranks["sergeant"], notification=plain)
    services.notification_mark_read(actor=ranks["sergeant"], notification=needs_ack)
    assert unread_count(user=ranks["sergeant"]) == 1  # read, but still awaiting acknowledgement
    services.notification_acknowledge(actor=ranks["sergeant"], notification=needs_ack)
    assert unread_count(user=ranks["sergeant"]) == 0


def test_acknowledging_what_needs_no_acknowledgement_is_a_conflict(ranks, case):
    plain = _send(ranks["sergeant"], case)
    with pytest.raises(Conflict):
        services.notification_acknowledge(actor=ranks["sergeant"], notification=plain)


def test_mark_all_read_leaves_those_awaiting_acknowledgement(ranks, case):
    _send(ranks["sergeant"], case)
    _send(ranks["sergeant"], case, requires_ack=True)
    assert services.notification_mark_all_read(actor=ranks["sergeant"]) == 1
    assert unread_count(user=ranks["sergeant"]) == 1
