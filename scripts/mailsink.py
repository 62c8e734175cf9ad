"""The demo's local mail sink: an SMTP server (aiosmtpd, in a thread of `make run`) that keeps every
message Haven sends under the instance's data folder, for the demo mail page (/demo/mail/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from haven.demo import mailbox
from scripts.ports import free_port, port_free


class KeepMessages:
    """aiosmtpd handler: accept every message and write it to ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        mailbox.save(self.folder, envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def start(folder: Path, host: str, preferred_port: int) -> Controller:
    """Start the sink on ``preferred_port``, or on a free port when that one is taken."""
    # Probe first: aiosmtpd reports a port in use only after its whole start-up timeout (5 s).
    ports = [preferred_port] if port_free(host, preferred_port) else []
    for port in (*ports, free_port(host)):
        controller = Controller(KeepMessages(folder), hostname=host, port=port)
        try:
            controller.start()
        except OSError:
            continue
        return controller
    raise OSError(f"Could not start the mail sink on {host}")
