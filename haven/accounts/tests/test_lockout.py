"""Signing in pauses for 10 minutes after 5 failures for a username (django-axes)."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import time_machine
from django.test import Client
from django.utils import timezone

from haven.accounts.tests.pages import text
from haven.core.outbox import outbox_send
from haven.core.testing import DEFAULT_PASSWORD, sign_in, totp_now

PAUSED = "Signing in is paused"
WRONG_PASSWORD = "not-the-password"
TOTP_STEP = "/second-factor/auth/TOTP/"


def attempt(client: Client, username: str, password: str = WRONG_PASSWORD):
    return client.post("/sign-in/", {"username": username, "password": password})


def wrong_code(user) -> str:
    totp = pyotp.TOTP(user.totp_secret)
    return next(c for c in (f"{n:06d}" for n in range(0, 1_000_000, 7919)) if not totp.verify(c, valid_window=1))


def lock_out(client: Client, username: str) -> None:
    for _ in range(5):
        attempt(client, username)


def test_five_failed_passwords_pause_sign_in_even_with_the_right_password(client, make_user):
    make_user("alice")

    for _ in range(4):
        response = attempt(client, "alice")
        assert response.status_code == 200
        assert "Enter a correct username and password." in text(response)
    fifth = attempt(client, "alice")
    assert fifth.status_code == 429, "the fifth failure already answers with the pause"

    sixth = attempt(client, "alice", DEFAULT_PASSWORD)

    assert sixth.status_code == 429
    page = text(sixth)
    assert PAUSED in page
    assert "alice" not in page
    assert "_auth_user_id" not in client.session
    assert "mfa_user" not in client.session, "the right password while paused must not reach the second step"
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_unknown_username_is_paused_exactly_like_a_real_one(client, make_user):
    make_user("alice")
    lock_out(client, "alice")
    real = attempt(client, "alice", DEFAULT_PASSWORD)

    other = Client()
    lock_out(other, "nobody")
    unknown = attempt(other, "nobody", DEFAULT_PASSWORD)

    assert real.status_code == unknown.status_code == 429
    assert text(real) == text(unknown)
    assert PAUSED in text(unknown)
    assert "nobody" not in text(unknown)


def test_sign_in_works_again_ten_minutes_after_the_last_failure(client, make_user):
    user = make_user("alice")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        lock_out(client, "alice")

    with time_machine.travel(start + timedelta(minutes=10, seconds=1), tick=False):
        sign_in(client, user)
        assert client.get("/").status_code == 200


def test_attempts_while_paused_do_not_extend_the_pause(client, make_user):
    """Otherwise anyone knowing a username could keep that officer locked out for ever."""
    user = make_user("alice")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        lock_out(client, "alice")
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        assert attempt(client, "alice", "wrong-password").status_code == 429
        assert attempt(client, "alice", DEFAULT_PASSWORD).status_code == 429

    with time_machine.travel(start + timedelta(minutes=10, seconds=1), tick=False):
        sign_in(client, user)


def test_administrator_can_lift_a_lockout_early(client, make_user):
    user = make_user("alice")
    lock_out(client, "alice")
    assert attempt(client, "alice", DEFAULT_PASSWORD).status_code == 429
    admin = Client()
    sign_in(admin, make_user("boss", roles=("administrator",)))

    response = admin.post(f"/administration/users/{user.public_id}/unlock/", follow=True)

    assert response.status_code == 200
    assert f"{user.display_name} can sign in again." in text(response)
    sign_in(client, user)
    assert client.get("/").status_code == 200


def test_failed_second_factor_codes_count_towards_the_lockout(client, make_user, mailbox):
    user = make_user("alice")
    assert attempt(client, "alice", DEFAULT_PASSWORD)["Location"] == TOTP_STEP
    client.get(TOTP_STEP)

    for _ in range(4):
        assert client.post(TOTP_STEP, {"code": wrong_code(user)}).status_code == 200
    fifth = client.post(TOTP_STEP, {"code": wrong_code(user)})

    assert fifth.status_code == 429
    assert PAUSED in text(fifth)
    outbox_send()
    assert len(mailbox) == 5, "each failed code warns the user by email"
    right_code = client.post(TOTP_STEP, {"code": totp_now(user)})
    assert right_code.status_code == 429, "while paused, not even the right code signs in"
    assert client.get("/")["Location"].startswith("/sign-in/")
    assert attempt(Client(), "alice", DEFAULT_PASSWORD).status_code == 429


def test_password_and_code_failures_add_up(client, make_user):
    user = make_user("alice")
    for _ in range(3):
        assert attempt(client, "alice").status_code == 200
    assert attempt(client, "alice", DEFAULT_PASSWORD)["Location"] == TOTP_STEP
    client.get(TOTP_STEP)

    assert client.post(TOTP_STEP, {"code": wrong_code(user)}).status_code == 200
    assert client.post(TOTP_STEP, {"code": wrong_code(user)}).status_code == 429


def test_signing_in_clears_earlier_failures(client, make_user):
    user = make_user("alice")
    for _ in range(4):
        attempt(client, "alice")
    sign_in(client, user)
    client.post("/sign-out/")

    for _ in range(4):
        assert attempt(client, "alice").status_code == 200
