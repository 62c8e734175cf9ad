"""The demo's caught e-mail: one ``.eml`` file per message in a folder of the instance's own.

`make run` in demo mode starts a local mail sink that writes here (``save``); the demo mail page
reads from here (``messages``, ``message``). Plain files, no Django: the sink runs in the `make run`
process, before and beside Django. Haven's e-mails carry no personal data (haven.core.mail), so
keeping them on the demo machine's disk is safe.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

SUFFIX = ".eml"
NAME = re.compile(r"\d{19}-[0-9a-f]{8}")
"""A message's name: when it arrived (nanoseconds, so names sort by time) and a random tail."""

SHOWN = 200
"""The page lists the newest messages only; older files stay on disk until the folder is removed."""


@dataclass(frozen=True)
class Caught:
    name: str
    subject: str
    sender: str
    to: str
    sent_at: datetime | None
    body: str = ""


def save(folder: Path, data: bytes) -> str:
    """Keep one message as it came over SMTP; returns its name. Written whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns():019d}-{secrets.token_hex(4)}"
    partial = folder / f".{name}.part"
    partial.write_bytes(data)
    os.replace(partial, folder / f"{name}{SUFFIX}")
    return name


def messages(folder: Path, limit: int = SHOWN) -> list[Caught]:
    """The newest ``limit`` messages, newest first, without their bodies."""
    if not folder.is_dir():
        return []
    names = sorted((p.stem for p in folder.glob(f"*{SUFFIX}") if NAME.fullmatch(p.stem)), reverse=True)
    return [_read(folder, name, with_body=False) for name in names[:limit]]


def message(folder: Path, name: str) -> Caught | None:
    """One message with its text, or None when ``name`` is not a message in ``folder``."""
    if not NAME.fullmatch(name) or not (folder / f"{name}{SUFFIX}").is_file():
        return None
    return _read(folder, name, with_body=True)


def _read(folder: Path, name: str, *, with_body: bool) -> Caught:
    with (folder / f"{name}{SUFFIX}").open("rb") as file:
        parsed = BytesParser(policy=policy.default).parse(file, headersonly=not with_body)
    assert isinstance(parsed, EmailMessage)
    return Caught(
        name=name,
        subject=_header(parsed, "Subject"),
        sender=_header(parsed, "From"),
        to=_header(parsed, "To"),
        sent_at=_date(parsed.get("Date")),
        body=_text(parsed) if with_body else "",
    )


def _header(parsed: EmailMessage, name: str) -> str:
    # A long header may be folded onto the next line straight after its name ("Subject:\r\n Haven …").
    return " ".join(str(parsed.get(name, "")).split())


def _date(value: object) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value))
    except (TypeError, ValueError):
        return None


def _text(parsed: EmailMessage) -> str:
    part = parsed.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    assert isinstance(part, EmailMessage)
    content = part.get_content()
    return content if isinstance(content, str) else ""
