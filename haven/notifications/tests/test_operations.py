"""The inbox writes (haven/notifications/operations.py) need no permission: everyone signed in has an
inbox, administrators and partners too. Each acts only on the caller's own notifications (another's is
404, as if it did not exist), and nobody signed out reaches them (401)."""

from __future__ import annotations

import pytest
from django.test import Client

from haven.core import operations
from haven.core.testing import sign_in
from haven.notifications import operations as declared  # noqa: F401 - the inbox writes, declared
from haven.notifications import services
from haven.notifications.models import Notification

INBOX_OPERATIONS = [op for op in operations.registry() if op.app == "notifications"]


def _path(operation, notification):
    assert operation.api is not None
    return "/api/v1/notifications" + operation.api.path.format(notification_id=notification.public_id)


# What each write changes on the caller's notification (and whether that one asks for acknowledgement).
EFFECTS = {
    "notifications.notification_mark_read": ("read_at", False),
    "notifications.notification_mark_all_read": ("read_at", False),
    "notifications.notification_acknowledge": ("acknowledged_at", True),
}


@pytest.fixture
def notification_for():
    def send(user, *, requires_ack=True):
        severity = "critical" if requires_ack else "info"
        return services.notification_send(
            recipient=user, subject="Read me", body="", requires_ack=requires_ack, severity=severity, email=False
        )

    return send


def test_the_inbox_writes_need_the_inbox_permission_every_role_holds():
    from haven.core.permissions import ROLE_PERMISSIONS, Perm

    assert {op.name for op in INBOX_OPERATIONS} == set(EFFECTS)
    assert all(op.perm is Perm.NOTIFICATIONS_INBOX_MANAGE for op in INBOX_OPERATIONS)
    assert all(Perm.NOTIFICATIONS_INBOX_MANAGE in perms for perms in ROLE_PERMISSIONS.values())


@pytest.mark.parametrize("role", ["administrator", "partner"])
@pytest.mark.parametrize("operation", INBOX_OPERATIONS, ids=lambda op: op.name)
def test_api_lets_any_role_act_on_its_own_inbox(signed_in, notification_for, role, operation):
    client, user = signed_in(roles=(role,), team=None)
    changed, requires_ack = EFFECTS[operation.name]
    notification = notification_for(user, requires_ack=requires_ack)
    response = client.post(_path(operation, notification))
    assert response.status_code == 200, response.content
    notification.refresh_from_db()
    assert getattr(notification, changed) is not None


@pytest.mark.parametrize("operation", [op for op in INBOX_OPERATIONS if op.target], ids=lambda op: op.name)
def test_api_answers_404_for_someone_elses_notification_and_changes_nothing(
    signed_in, make_user, notification_for, operation
):
    theirs = notification_for(make_user("owner", roles=("response_officer",)))
    client, _ = signed_in(roles=("supervisor",))
    assert client.post(_path(operation, theirs)).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.read_at, theirs.acknowledged_at) == (None, None)


@pytest.mark.parametrize("operation", INBOX_OPERATIONS, ids=lambda op: op.name)
def test_api_answers_401_when_signed_out(make_user, notification_for, operation):
    mine = notification_for(make_user("owner", roles=("response_officer",)))
    assert Client().post(_path(operation, mine)).status_code == 401
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_mark_all_read_answers_how_many(client, make_user, notification_for):
    user = make_user("reader", roles=("response_officer",))
    services.notification_send(recipient=user, subject="One", body="", email=False)
    services.notification_send(recipient=user, subject="Two", body="", email=False)
    notification_for(user)  # awaits acknowledgement: stays unread
    sign_in(client, user)
    response = client.post("/api/v1/notifications/read-all")
    assert response.status_code == 200
    assert response.json() == {"marked": 2}
