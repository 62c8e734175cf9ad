"""Sessions end after 30 minutes idle or 12 hours in all, on the server, by Haven's clock."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from haven.accounts.tests.pages import inputs, text
from haven.core.testing import DEFAULT_PASSWORD, totp_now

BACKGROUND = {"X-Haven-Background": "1"}


@pytest.fixture
def session(signed_in, clock):
    """A signed-in client, with Haven's clock stopped from just before sign-in until a test moves it."""
    clock.freeze(clock.now())
    client, _user = signed_in()
    return client


def is_signed_in(client: Client, path: str = "/account/") -> bool:
    response = client.get(path)
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    return False


def test_session_lives_through_29_idle_minutes_counted_from_the_last_request(session, clock):
    clock.travel(timedelta(minutes=29))
    assert is_signed_in(session)
    clock.travel(timedelta(minutes=29))
    assert is_signed_in(session)


def test_31_idle_minutes_sign_out_on_the_server(session, clock):
    old_key = session.session.session_key
    clock.travel(timedelta(minutes=31))

    response = session.get("/account/")

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/account/"
    assert not Session.objects.filter(session_key=old_key).exists()
    assert "You were signed out to protect your data" in text(session.get(response["Location"]))
    assert not is_signed_in(session, "/")


def test_signing_in_again_after_an_idle_sign_out_returns_to_the_same_page(signed_in):
    client, user = signed_in()
    # time_machine rather than the clock fixture: the authenticator app must show a new code too.
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        sign_in_url = client.get("/account/")["Location"]
        assert [i["value"] for i in inputs(client.get(sign_in_url), "next")] == ["/account/"]
        credentials = {"username": user.username, "password": DEFAULT_PASSWORD, "next": "/account/"}
        response = client.post(sign_in_url, credentials)
        client.get(response["Location"])
        response = client.post(response["Location"], {"code": totp_now(user)})

    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_active_every_20_minutes_is_still_signed_out_at_12_hours(session, clock):
    for _ in range(35):  # 11 hours 40 minutes
        clock.travel(timedelta(minutes=20))
        assert is_signed_in(session)

    clock.travel(timedelta(minutes=20))

    assert not is_signed_in(session)


def test_background_requests_do_not_count_as_activity(session, clock):
    clock.travel(timedelta(minutes=20))
    assert session.get("/", headers=BACKGROUND).status_code == 200
    clock.travel(timedelta(minutes=11))

    assert not is_signed_in(session)


def test_background_request_after_the_session_ended_gets_401_json(session, clock):
    clock.travel(timedelta(minutes=31))

    response = session.get("/", headers=BACKGROUND)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"


def test_keepalive_counts_as_activity_and_says_when_the_session_ends(session, clock):
    clock.travel(timedelta(minutes=20))

    # The page's "Stay signed in" sends the background header empty, so that it counts.
    response = session.post("/session/keepalive/", headers={"X-Haven-Background": ""})

    assert response.status_code == 200
    assert response.json() == {"expires_at": (clock.now() + timedelta(minutes=30)).isoformat(), "expires_in": 1800}
    clock.travel(timedelta(minutes=25))
    assert is_signed_in(session)


def test_keepalive_cannot_stretch_a_session_past_12_hours(session, clock):
    signed_in_at = clock.now()
    for _ in range(47):  # every 15 minutes, to 11 hours 45 minutes
        clock.travel(timedelta(minutes=15))
        assert session.post("/session/keepalive/").status_code == 200

    response = session.post("/session/keepalive/")

    assert response.json() == {"expires_at": (signed_in_at + timedelta(hours=12)).isoformat(), "expires_in": 15 * 60}
    clock.travel(timedelta(minutes=15))
    assert session.post("/session/keepalive/").status_code == 401


def test_keepalive_after_the_session_ended_gets_401_json_not_the_sign_in_page(session, clock):
    clock.travel(timedelta(minutes=31))

    response = session.post("/session/keepalive/", headers={"X-Haven-Background": ""})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"


def test_keepalive_accepts_post_only(session):
    assert session.get("/session/keepalive/").status_code == 405


def test_pages_carry_the_timeout_warning_with_the_session_end(session, clock):
    clock.travel(timedelta(minutes=5))

    page = session.get("/").content.decode()

    dialog = re.search(r"<dialog[^>]*\bid=\"session-timeout\"[^>]*>", page)
    assert dialog, "the timeout warning dialog is missing"
    expected = (clock.now() + timedelta(minutes=30)).isoformat()
    assert f'data-expires-at="{expected}"' in dialog.group(0)
    assert 'data-expires-in="1800"' in dialog.group(0)  # what the page counts down from, whatever the PC's clock
    assert "You will be signed out soon" in page


def test_signing_out_ends_the_session_on_the_server(session):
    old_key = session.cookies[settings.SESSION_COOKIE_NAME].value

    response = session.post("/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"
    assert not Session.objects.filter(session_key=old_key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert not is_signed_in(replay)
    assert not is_signed_in(session)


def test_sign_out_refuses_get(session):
    assert session.get("/sign-out/").status_code == 405
    assert is_signed_in(session)
