"""The id of the request (or job) being served, for logs, error envelopes and the s62 log."""

from __future__ import annotations

import contextvars
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


def begin(incoming: str | None) -> contextvars.Token[str]:
    """Start a request: keep a well-formed id from a trusted proxy, otherwise make one."""
    request_id = incoming if incoming and _VALID.match(incoming) else uuid.uuid4().hex
    return _request_id.set(request_id)


def end(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)
