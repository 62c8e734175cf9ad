"""/api/v1/deadlines and /api/v1/notifications: mine, team, per case, the DMM feed; list, read, acknowledge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven.core import clock
from haven.core.testing import sign_in
from haven.deadlines import services
from haven.deadlines.sweep import sweep


@pytest.fixture
def setup(ranks, make_case):
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    case = make_case(ranks["officer"])
    services.deadline_create(
        actor=ranks["officer"],
        case=case,
        kind="tests.one_hour",
        what="Review the grade",
        due_at=clock.now() + timedelta(hours=1),
        key="review:1",
    )
    return case


def test_my_deadlines_in_the_api(client, setup, ranks):
    sign_in(client, ranks["officer"])
    body = client.get("/api/v1/deadlines").json()
    assert len(body) == 1
    assert body[0]["case_reference"] == setup.reference
    assert body[0]["time_left"] == "due in 1 h"
    assert body[0]["rule_id"] == "M-04"
    assert body[0]["ladder"] == [{"offset_minutes": 0, "notify": "supervisor", "severity": "urgent"}]
    assert client.get("/api/v1/deadlines?whose=team").json() == []


def test_case_deadlines_404_when_the_case_is_hidden(client, setup, ranks):
    sign_in(client, ranks["stranger"])
    response = client.get(f"/api/v1/deadlines/cases/{setup.public_id}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_case_deadlines(client, setup, ranks):
    sign_in(client, ranks["sergeant"])
    body = client.get(f"/api/v1/deadlines/cases/{setup.public_id}").json()
    assert [d["what"] for d in body] == ["Review the grade"]


def test_feed_needs_the_dmm_permission(client, setup, make_user):
    admin = make_user("admin", roles=("administrator",), team=None)
    sign_in(client, admin)
    assert client.get("/api/v1/deadlines/feed").status_code == 403


def test_feed(client, setup, ranks):
    clock.travel(timedelta(hours=2))
    sign_in(client, ranks["inspector"])
    body = client.get("/api/v1/deadlines/feed").json()
    assert body[0]["overdue"] is True
    assert body[0]["time_left"] == "overdue by 1 h"


def test_notifications_list_read_and_acknowledge(client, setup, ranks):
    clock.travel(timedelta(hours=1))
    sweep()
    sign_in(client, ranks["sergeant"])
    assert client.get("/api/v1/notifications/count").json() == {"unread": 1}
    items = client.get("/api/v1/notifications?unread=true").json()
    assert len(items) == 1
    assert items[0]["case_reference"] == setup.reference
    read = client.post(f"/api/v1/notifications/{items[0]['id']}/read")
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    ack = client.post(f"/api/v1/notifications/{items[0]['id']}/acknowledge")
    assert ack.status_code == 409  # urgent, not critical: nothing to acknowledge


def test_someone_elses_notification_is_404(client, setup, ranks):
    clock.travel(timedelta(hours=1))
    sweep()
    from haven.notifications.models import Notification

    theirs = Notification.objects.get(recipient=ranks["sergeant"])
    sign_in(client, ranks["officer"])
    assert client.post(f"/api/v1/notifications/{theirs.public_id}/read").status_code == 404
