"""Run Haven under its production settings in a child process (settings are read once per process).

The child uses the test run's own PostgreSQL, so nothing else is started; only ``SELECT``s reach it.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

from haven.core.database import connection_url

BASE_DIR = Path(__file__).resolve().parents[3]
HOST = "haven.example.police.uk"


def database_url() -> str:
    """A ``DATABASE_URL`` for the database this test run uses (HOST may be a socket directory)."""
    return connection_url(settings.DATABASES["default"])


def production_env(**overrides: str | None) -> dict[str, str]:
    """The environment of a production install; an override of ``None`` removes the variable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAVEN_", "DJANGO_"))}
    env.update(
        HAVEN_ENV="production",
        HAVEN_SECRET_KEY=secrets.token_urlsafe(45),  # 60 random characters
        HAVEN_ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONDONTWRITEBYTECODE="1",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args: list[str], **overrides: str | None) -> subprocess.CompletedProcess[str]:
    """Run ``python <args>`` in the project directory with the production environment."""
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def manage(*args: str, **overrides: str | None) -> subprocess.CompletedProcess[str]:
    return run(["manage.py", *args], **overrides)


def evaluate(script: str, **overrides: str | None) -> Any:
    """Run ``script`` after ``django.setup()`` under production settings; it prints one JSON value."""
    result = run(["-c", "import django\ndjango.setup()\n" + script], **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
