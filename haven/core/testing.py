"""Helpers for Haven's tests (imported by conftest.py and test modules; never by app code)."""

from __future__ import annotations

from typing import Any

import pyotp
from django.test import Client

DEFAULT_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test users only


def totp_now(user: Any) -> str:
    return pyotp.TOTP(user.totp_secret).now()


def sign_in(client: Client, user: Any, password: str = DEFAULT_PASSWORD) -> None:
    """Sign in the way a person does: password, then the code from their authenticator app."""
    response = client.post("/sign-in/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/second-factor/auth/TOTP/"
    client.get(response["Location"])  # starts the challenge, as the browser does
    response = client.post("/second-factor/auth/TOTP/", {"code": totp_now(user)})
    assert response.status_code == 302, response.content[:500]
