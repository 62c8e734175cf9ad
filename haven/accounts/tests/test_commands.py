"""Operator commands: the demo force, demo authenticator codes, and creating a user on the server."""

from __future__ import annotations

import re
from io import StringIO

import pyotp
import pytest
from django.core.management import CommandError, call_command
from mfa.models import MFAKey

from haven.accounts.models import Team, User


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_loads_the_demo_force_once(db):
    run("demo")
    counts = (User.objects.count(), Team.objects.count(), MFAKey.objects.count())
    assert counts[0] > 0

    run("demo")

    assert (User.objects.count(), Team.objects.count(), MFAKey.objects.count()) == counts


def test_demo_code_prints_the_users_current_authenticator_code(db):
    run("demo")

    code = run("demo_code", "sergeant").strip()

    assert re.fullmatch(r"\d{6}", code)
    key = MFAKey.objects.get(user__username="sergeant", method="TOTP")
    assert pyotp.TOTP(key.secret).verify(code, valid_window=1)


def test_demo_code_for_someone_without_an_authenticator_fails(db):
    with pytest.raises(CommandError):
        run("demo_code", "nobody")


@pytest.mark.parametrize("command", [("demo",), ("demo_code", "sergeant")])
def test_demo_commands_refuse_to_run_outside_demo_mode(db, make_user, settings, command):
    make_user("sergeant")  # someone with an authenticator the code would be for (the demo need not load)
    settings.DEMO_MODE = False

    with pytest.raises(CommandError, match="HAVEN_DEMO_MODE"):
        run(*command)


def test_demo_refuses_outside_demo_mode_and_creates_nothing(db, settings):
    settings.DEMO_MODE = False

    with pytest.raises(CommandError):
        run("demo")

    assert not User.objects.exists()


def test_createuser_reads_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "a-long-and-unusual-passphrase")

    out = run(
        "createuser",
        "chief",
        "--first-name",
        "Cheryl",
        "--last-name",
        "Hart",
        "--email",
        "Cheryl@Example.test",
        "--role",
        "administrator",
        "--role",
        "auditor",
        "--rank",
        "CC",
        "--password-env",
        "FIRST_ADMIN_PASSWORD",
    )

    assert "Created chief." in out
    user = User.objects.get(username="chief")
    assert user.roles == ["administrator", "auditor"]
    assert user.rank is not None
    assert user.rank.code == "CC"
    assert user.email == "cheryl@example.test"
    assert user.check_password("a-long-and-unusual-passphrase")
    assert not MFAKey.objects.filter(user=user).exists(), "they enrol a second factor at first sign-in"


def test_createuser_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("WEAK", "password")

    with pytest.raises(CommandError, match="stronger password"):
        run(
            "createuser",
            "chief",
            "--first-name",
            "C",
            "--last-name",
            "H",
            "--email",
            "c@example.test",
            "--password-env",
            "WEAK",
        )

    assert not User.objects.filter(username="chief").exists()


def test_createuser_refuses_an_unknown_team(db, monkeypatch):
    monkeypatch.setenv("PW", "a-long-and-unusual-passphrase")

    with pytest.raises(CommandError, match="No team with code NOPE"):
        run(
            "createuser",
            "chief",
            "--first-name",
            "C",
            "--last-name",
            "H",
            "--email",
            "c@example.test",
            "--team",
            "NOPE",
            "--password-env",
            "PW",
        )
