"""E-mail when the mail server is not there: one clear log line, no traceback, nothing raised, and the
e-mail stays owed in the outbox."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from haven.core.mail import mail_user
from haven.core.models import OutgoingEmail
from scripts.ports import free_port


def test_a_missing_mail_server_is_logged_in_one_line_without_a_traceback_and_the_notice_stays_owed(
    settings: Any, make_user: Any, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    port = free_port("127.0.0.1")  # nothing listens there
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    user = make_user()
    with caplog.at_level(logging.WARNING, logger="haven.mail"), django_capture_on_commit_callbacks(execute=True):
        mail_user(to=user, subject="a test notice", body="Open it in Haven.")  # sent once it commits

    [record] = [r for r in caplog.records if r.name == "haven.mail"]
    assert record.getMessage() == (
        f"Could not send e-mail: the mail server at 127.0.0.1:{port} could not be reached (Connection refused); "
        "1 e-mail stays owed"
    )
    [owed] = OutgoingEmail.objects.filter(to=user)
    assert (owed.pending, owed.attempts, owed.context["subject"]) == (True, 1, "a test notice")
    assert record.exc_info is None
    assert "\n" not in record.getMessage()
