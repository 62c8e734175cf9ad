"""The inbox through the API (issue 16): it needs the inbox scopes like any other route, and each item
says which deadline it is about (its id and kind), so an integrator can act on it."""

from __future__ import annotations

import pytest
from django.apps import apps

from haven import factories
from haven.accounts.schemas import TokenIn
from haven.accounts.services import api_token_create
from haven.notifications import services

pytestmark = pytest.mark.django_db


def _token(user, *scopes):
    _, raw = api_token_create(actor=user, data=TokenIn(name="inbox", scopes=list(scopes)))
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def about_a_deadline(make_user):
    officer = make_user("inboxer", roles=("supervisor",), team="MISS")
    episode = factories.episode(reporter=officer)
    deadline = apps.get_model("deadlines", "Deadline").objects.filter(case=episode.case).order_by("pk").first()
    assert deadline is not None
    item = services.notification_send(
        recipient=officer, subject="Review due", body="", case=episode.case, deadline=deadline, email=False
    )
    return officer, deadline, item


def test_the_inbox_needs_the_inbox_scope_not_another(client, about_a_deadline):
    officer, _, item = about_a_deadline
    other = _token(officer, "missing:episode:view", "cases:case:view")
    assert client.get("/api/v1/notifications", headers=other).status_code == 403
    assert client.get("/api/v1/notifications/count", headers=other).status_code == 403
    marked = client.post(
        f"/api/v1/notifications/{item.public_id}/read", "", content_type="application/json", headers=other
    )
    assert marked.status_code == 403
    item.refresh_from_db()
    assert item.read_at is None

    reader = _token(officer, "notifications:inbox:view")
    assert client.get("/api/v1/notifications", headers=reader).status_code == 200
    marked = client.post(
        f"/api/v1/notifications/{item.public_id}/read", "", content_type="application/json", headers=reader
    )
    assert marked.status_code == 403  # reading the inbox is not acting on it
    manager = _token(officer, "notifications:inbox:manage")
    marked = client.post(
        f"/api/v1/notifications/{item.public_id}/read", "", content_type="application/json", headers=manager
    )
    assert marked.status_code == 200, marked.content


def test_a_notification_carries_its_deadline_s_id_and_kind(client, about_a_deadline):
    officer, deadline, item = about_a_deadline
    listed = client.get("/api/v1/notifications", headers=_token(officer, "notifications:inbox:view"))
    assert listed.status_code == 200
    mine = next(n for n in listed.json() if n["id"] == str(item.public_id))
    assert mine["deadline_id"] == str(deadline.public_id)
    assert mine["deadline_kind"] == deadline.kind
    plain = services.notification_send(recipient=officer, subject="Hello", body="", email=False)
    again = client.get("/api/v1/notifications", headers=_token(officer, "notifications:inbox:view")).json()
    other = next(n for n in again if n["id"] == str(plain.public_id))
    assert (other["deadline_id"], other["deadline_kind"]) == (None, None)
