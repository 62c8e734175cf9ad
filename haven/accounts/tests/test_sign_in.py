"""Signing in: password, then a second factor; enrolment first for anyone without one."""

from __future__ import annotations

import pyotp
import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from mfa.models import MFAKey

from haven.accounts.tests.pages import error_summary, text
from haven.core.outbox import outbox_send
from haven.core.testing import DEFAULT_PASSWORD, totp_now

TOTP_STEP = "/second-factor/auth/TOTP/"
RECOVERY_STEP = "/second-factor/auth/recovery/"


def wrong_code(user) -> str:
    """A 6-digit code the user's authenticator app is not showing now (nor one step either side)."""
    totp = pyotp.TOTP(user.totp_secret)
    return next(c for c in (f"{n:06d}" for n in range(0, 1_000_000, 7919)) if not totp.verify(c, valid_window=1))


def password_step(client: Client, user, password: str = DEFAULT_PASSWORD):
    return client.post("/sign-in/", {"username": user.username, "password": password})


def test_password_then_authenticator_code_signs_in_and_lands_on_home(client, make_user):
    user = make_user("alice")

    response = password_step(client, user)
    assert response.status_code == 302
    assert response["Location"] == TOTP_STEP
    assert client.get("/")["Location"].startswith("/sign-in/"), "the password alone must not sign anyone in"

    client.get(TOTP_STEP)
    response = client.post(TOTP_STEP, {"code": totp_now(user)})
    assert response.status_code == 302
    assert response["Location"] == "/"

    home = client.get("/")
    assert home.status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.display_name in text(home)


def test_wrong_authenticator_code_is_refused_and_the_user_is_warned_by_email(client, make_user, mailbox):
    user = make_user("alice")
    password_step(client, user)
    client.get(TOTP_STEP)

    response = client.post(TOTP_STEP, {"code": wrong_code(user)})

    assert response.status_code == 200
    assert error_summary(response), "the code page should say what went wrong"
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == "/sign-in/?next=/"
    assert "_auth_user_id" not in client.session

    assert mailbox == [], "the warning goes through the outbox: the worker sends it"
    assert outbox_send() == 1
    assert len(mailbox) == 1
    warning = mailbox[0]
    assert warning["To"] == user.email
    assert warning["Subject"] == "Haven: a failed sign-in to your account"
    assert "failed the second step" in warning.get_body(preferencelist=("plain",)).get_content()


def test_recovery_code_signs_in_once_only(client, make_user):
    user = make_user("alice")
    MFAKey.objects.create(user=user, method="recovery", name="Recovery code", secret=make_password("12345-67890"))

    def sign_in_with_recovery_code(browser: Client):
        assert password_step(browser, user)["Location"] == TOTP_STEP
        browser.get(RECOVERY_STEP)
        return browser.post(RECOVERY_STEP, {"code": "12345-67890"})

    first = sign_in_with_recovery_code(client)
    assert first.status_code == 302
    assert first["Location"] == "/second-factor/", "after a recovery code, the user is sent to set up a new factor"
    assert client.get("/").status_code == 200
    client.post("/sign-out/")

    again = Client()
    second = sign_in_with_recovery_code(again)
    assert second.status_code == 200
    assert error_summary(second)
    assert again.get("/")["Location"] == "/sign-in/?next=/"
    assert not MFAKey.objects.filter(user=user, method="recovery").exists()


def test_user_without_a_second_factor_must_enrol_before_reaching_anything(client, make_user):
    user = make_user("newcomer", roles=("administrator",), mfa=False)

    response = password_step(client, user)
    assert response.status_code == 302

    for url in ("/", "/account/", "/administration/", "/administration/users/", "/administration/roles/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/second-factor/", url
    assert "Set up a second factor" in text(client.get("/second-factor/"))

    setup = client.get("/second-factor/create/TOTP/")
    assert setup.status_code == 200
    secret = client.session["mfa_challenge"][1]
    assert secret in text(setup), "the key must be shown for typing into the app"
    response = client.post("/second-factor/create/TOTP/", {"name": "Work phone", "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert MFAKey.objects.filter(user=user, method="TOTP").count() == 1

    assert client.get("/").status_code == 200
    assert client.get("/administration/").status_code == 200


@pytest.mark.parametrize("problem", ["unknown username", "wrong password", "inactive user"])
def test_sign_in_error_is_the_same_whether_or_not_the_username_exists(client, make_user, problem):
    make_user("alice")
    retired = make_user("retired")
    retired.is_active = False
    retired.save()
    username, password = {
        "unknown username": ("nobody", DEFAULT_PASSWORD),
        "wrong password": ("alice", "not-alices-password"),
        "inactive user": ("retired", DEFAULT_PASSWORD),
    }[problem]

    response = client.post("/sign-in/", {"username": username, "password": password})

    assert response.status_code == 200
    assert error_summary(response) == [("", "Enter a correct username and password.")]
    assert client.get("/")["Location"].startswith("/sign-in/")
