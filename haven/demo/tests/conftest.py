from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts import mailsink
from scripts.ports import free_port


@pytest.fixture
def sink(settings: Any, tmp_path: Path, mailbox: Any) -> Iterator[Path]:
    """The demo's mail sink as `make run` starts it, with Haven's mail pointed at it; yields its folder.

    Asks for ``mailbox`` so that fixture's mail settings come first and these replace them."""
    folder = tmp_path / "mail"
    controller = mailsink.start(folder, "127.0.0.1", free_port("127.0.0.1"))
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": controller.hostname, "port": controller.port, "timeout": 5},
        }
    }
    settings.HAVEN_DEMO_MAIL_DIR = str(folder)
    yield folder
    controller.stop()
