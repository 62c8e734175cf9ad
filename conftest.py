"""Fixtures every Haven test may use: users with a second factor, a real SMTP server, the clock,
and a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from mfa.models import MFAKey

from haven.core import clock as haven_clock
from haven.core.testing import DEFAULT_PASSWORD, sign_in

ARTIFACTS = Path(__file__).parent / "test-artifacts"


# --- Clock -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _reset_clock() -> Iterator[None]:
    haven_clock.reset()
    yield
    haven_clock.reset()


@pytest.fixture
def clock() -> Any:
    """Haven's clock; ``clock.travel(timedelta(...))`` moves every part of Haven in this process."""
    return haven_clock


# --- Mail: a real SMTP server on loopback ------------------------------------------------------


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, _Mailbox]]:
    mailbox = _Mailbox()
    with socket.socket() as probe:  # aiosmtpd cannot take port 0, so find a free port first
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture(autouse=True)
def mailbox(settings: Any, smtp_server: tuple[Controller, _Mailbox]) -> list[Any]:
    """Messages Haven sent through Django's SMTP backend to the local server during this test."""
    controller, box = smtp_server
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": controller.hostname, "port": controller.port, "timeout": 5},
        }
    }
    box.messages.clear()
    return box.messages


# --- Users -------------------------------------------------------------------------------------


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """Create a user with the given roles and (by default) an authenticator app enrolled.

    The TOTP secret is kept on ``user.totp_secret`` so a test can produce valid codes.
    """
    from haven.accounts import services
    from haven.accounts.models import Rank, Team

    counter = {"n": 0}

    def make(
        username: str | None = None,
        *,
        roles: tuple[str, ...] = ("response_officer",),
        mfa: bool = True,
        rank: str | None = "PC",
        team: str | None = "TEST",
        password: str = DEFAULT_PASSWORD,
    ) -> Any:
        counter["n"] += 1
        # Reference data the migrations seed; a live-server test's flush may have removed it.
        services.rank_seed_defaults()
        username = username or f"user{counter['n']}"
        team_obj = Team.objects.get_or_create(code=team, defaults={"name": f"Team {team}"})[0] if team else None
        user = services.user_create(
            actor=None,
            username=username,
            first_name="Test",
            last_name=username.title(),
            email=f"{username}@example.test",
            password=password,
            rank=Rank.objects.filter(code=rank).first() if rank else None,
            team=team_obj,
            roles=roles,
        )
        user.totp_secret = None
        if mfa:
            user.totp_secret = pyotp.random_base32()
            MFAKey.objects.create(user=user, method="TOTP", name="Phone", secret=user.totp_secret)
        return user

    return make


@pytest.fixture
def signed_in(client: Client, make_user: Callable[..., Any]) -> Callable[..., tuple[Client, Any]]:
    """``signed_in(roles=(...))`` → a test client signed in with password and second factor."""

    def make(**kwargs: Any) -> tuple[Client, Any]:
        user = make_user(**kwargs)
        sign_in(client, user)
        return client, user

    return make


# --- Browser -----------------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("HAVEN_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright. Missing under CI is a failure, never a skip."""
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found: install Debian's chromium (apt-get install -y chromium)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
