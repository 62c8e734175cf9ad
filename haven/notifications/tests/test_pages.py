"""The inbox page, its actions, and the header count that htmx polls without counting as activity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from haven.core import clock
from haven.core.testing import sign_in
from haven.notifications import services
from haven.notifications.models import Notification


@pytest.fixture
def case(ranks, make_case):
    return make_case(ranks["officer"])


@pytest.fixture
def inbox(client, ranks, case):
    sign_in(client, ranks["sergeant"])
    plain = services.notification_send(
        recipient=ranks["sergeant"],
        subject=f"Warning: review on case {case.reference}",
        body="Due soon.",
        case=case,
        link=f"/cases/{case.public_id}/",
        email=False,
    )
    critical = services.notification_send(
        recipient=ranks["sergeant"],
        subject=f"Critical: case {case.reference} overdue",
        body="Overdue.",
        case=case,
        requires_ack=True,
        severity="critical",
        email=False,
    )
    return {"client": client, "plain": plain, "critical": critical}


def test_inbox_lists_my_notifications_and_the_header_counts_them(inbox, case):
    page = inbox["client"].get("/notifications/").content.decode()
    assert page.count('data-testid="notification"') == 2
    assert case.reference in page
    assert 'data-testid="inbox-count">2<' in page
    assert 'data-testid="acknowledge"' in page


def test_inbox_logs_the_cases_it_shows(inbox, case):
    from haven.audit.models import AccessEvent

    inbox["client"].get("/notifications/")
    assert AccessEvent.objects.filter(operation="consultation", case_ids__contains=[case.public_id]).exists()


def test_mark_read_and_acknowledge_from_the_inbox(inbox):
    client = inbox["client"]
    client.post(f"/notifications/{inbox['plain'].public_id}/read/")
    client.post(f"/notifications/{inbox['critical'].public_id}/acknowledge/")
    inbox["plain"].refresh_from_db()
    inbox["critical"].refresh_from_db()
    assert inbox["plain"].read_at is not None
    assert inbox["critical"].acknowledged_at is not None


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(inbox, case):
    response = inbox["client"].get(f"/notifications/{inbox['plain'].public_id}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.public_id}/"
    inbox["plain"].refresh_from_db()
    assert inbox["plain"].read_at is not None


def test_someone_elses_notification_is_not_found(ranks, inbox):
    client = Client()
    sign_in(client, ranks["officer"])
    assert client.post(f"/notifications/{inbox['plain'].public_id}/read/").status_code == 404
    assert client.get(f"/notifications/{inbox['plain'].public_id}/open/").status_code == 404


def test_count_poll_answers_204_when_unchanged_and_the_new_link_when_changed(inbox, ranks):
    client = inbox["client"]
    headers = {"X-Haven-Background": "1"}
    assert client.get("/notifications/count/?seen=2", headers=headers).status_code == 204
    Notification.objects.filter(recipient=ranks["sergeant"]).update(read_at=clock.now())
    Notification.objects.filter(recipient=ranks["sergeant"], requires_ack=True).update(acknowledged_at=clock.now())
    response = client.get("/notifications/count/?seen=2", headers=headers)
    assert response.status_code == 200
    assert 'data-testid="inbox-link"' in response.content.decode()
    assert "?seen=0" in response.content.decode()


def test_polling_the_count_does_not_keep_the_session_alive(inbox):
    client = inbox["client"]
    idle = settings.HAVEN_SESSION_IDLE
    background = {"X-Haven-Background": "1"}
    for _ in range(2):
        clock.travel(idle / 3)
        assert client.get("/notifications/count/?seen=2", headers=background).status_code == 204
    clock.travel(idle / 3 + timedelta(seconds=5))  # idle since sign-in, polls notwithstanding
    assert client.get("/notifications/count/?seen=2", headers=background).status_code == 401
    assert client.get("/notifications/count/?seen=2", headers=background).status_code == 401  # signed out
