"""Signal receivers: wiring only, no business rules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.accounts.middleware import LOGIN_AT, SEEN_AT
from haven.core import clock


def start_session_clock(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """The 12-hour and 30-minute limits count from the moment sign-in completes."""
    now = clock.now().isoformat()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
