"""Production settings pass Django's deployment checklist, and refuse to start when unsafe."""

from __future__ import annotations

import pytest

from haven.core.tests.production import manage

pytestmark = pytest.mark.slow


def test_check_deploy_passes_with_no_warnings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", HAVEN_DEMO_MODE=None)

    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output
    assert "WARNING" not in output, output
    assert "?: (" not in output, output  # how Django prints any check message


def test_check_deploy_would_report_a_warning() -> None:
    """The check above can fail: without the HTTPS redirect Django warns, and the command exits 1."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", HAVEN_SSL_REDIRECT="false")

    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"HAVEN_DEMO_MODE": "1"}, "HAVEN_DEMO_MODE cannot be on in production"),
        ({"HAVEN_DEBUG": "1"}, "HAVEN_DEBUG must be off in production"),
        ({"HAVEN_SECRET_KEY": None}, "HAVEN_SECRET_KEY is required in production"),
        ({"HAVEN_SECRET_KEY": ""}, "HAVEN_SECRET_KEY is required in production"),
        ({"HAVEN_SECRET_KEY": "too-short"}, "HAVEN_SECRET_KEY must be at least 50 characters"),
        ({"HAVEN_ALLOWED_HOSTS": ""}, "HAVEN_ALLOWED_HOSTS is required in production"),
    ],
    ids=["demo-mode", "debug", "no-secret-key", "empty-secret-key", "short-secret-key", "no-allowed-hosts"],
)
def test_production_refuses_to_start_when_unsafe(overrides: dict[str, str | None], message: str) -> None:
    result = manage("check", **overrides)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
