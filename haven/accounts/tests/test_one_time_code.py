"""The security code field (GOV.UK pattern): phones offer the number pad and the code just received
(``inputmode="numeric"``, ``autocomplete="one-time-code"``), and the field is asked in the page's own
words ("Enter your security code" is the label and the heading). An error links to the field."""

from __future__ import annotations

import re

import pyotp
from django.test import Client

from haven.accounts.tests.pages import error_summary, inputs
from haven.core.testing import DEFAULT_PASSWORD

TOTP_STEP = "/second-factor/auth/TOTP/"


def _next_code(user) -> str:
    """The code of the next 30 seconds: the one signing in used is spent (no replay)."""
    import time

    return pyotp.TOTP(user.totp_secret).at(time.time() + 30)


def _code_input(response) -> dict[str, str | None]:
    (field,) = inputs(response, "code")
    return field


def _label_of(response, field_id: str) -> str:
    found = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', response.content.decode(), re.S)
    assert found, f"no label for {field_id}"
    return " ".join(found.group(1).split())


def test_the_sign_in_code_field_asks_for_the_number_pad_and_the_received_code(client: Client, make_user) -> None:
    user = make_user("alice")
    client.post("/sign-in/", {"username": user.username, "password": DEFAULT_PASSWORD})

    page = client.get(TOTP_STEP)

    field = _code_input(page)
    assert field["autocomplete"] == "one-time-code"
    assert field["inputmode"] == "numeric"
    assert field["type"] == "text"  # a number input would drop a leading 0 and offer a spinner
    assert _label_of(page, str(field["id"])) == "Enter your security code"
    assert re.search(r"<h1[^>]*><label[^>]*>Enter your security code</label></h1>", page.content.decode())
    assert "security code" in page.content.decode().split(f'id="{field["id"]}-hint"')[1][:120]


def test_a_wrong_code_links_the_error_to_the_code_field(client: Client, make_user) -> None:
    user = make_user("alice")
    client.post("/sign-in/", {"username": user.username, "password": DEFAULT_PASSWORD})
    client.get(TOTP_STEP)

    response = client.post(TOTP_STEP, {"code": "000000" if pyotp.TOTP(user.totp_secret).now() != "000000" else "1"})

    field = _code_input(response)
    assert error_summary(response) == [
        (f"#{field['id']}", "The security code is not right: enter the 6 digits your authenticator app shows now")
    ]
    assert field["aria-describedby"] == f"{field['id']}-hint {field['id']}-error"
    assert response.context["form"].errors["code"]  # on the field, not above the form

    blank = client.post(TOTP_STEP, {"code": ""})
    assert error_summary(blank) == [(f"#{field['id']}", "Enter your security code")]


def test_setting_up_an_authenticator_app_asks_for_the_security_code_the_same_way(client: Client, make_user) -> None:
    from haven.core.testing import sign_in

    user = make_user("alice")
    sign_in(client, user)
    client.post(
        "/second-factor/confirm/?next=/second-factor/create/TOTP/",
        {"password": DEFAULT_PASSWORD, "code": _next_code(user)},
    )

    page = client.get("/second-factor/create/TOTP/")

    field = _code_input(page)
    assert (field["autocomplete"], field["inputmode"]) == ("one-time-code", "numeric")
    assert _label_of(page, str(field["id"])) == "Security code"
    assert "Enter the 6-digit security code the app shows." in page.content.decode()
