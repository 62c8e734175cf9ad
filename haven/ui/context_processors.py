"""What every page needs to draw the shell: force name, navigation, session and worker state."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

import haven
from haven.accounts.middleware import seconds_left, session_expiry
from haven.core.heartbeat import heartbeat_status
from haven.core.permissions import Perm
from haven.ui.navigation import items_for


def shell(request: HttpRequest) -> dict[str, object]:
    context: dict[str, object] = {"force_name": settings.HAVEN_FORCE_NAME, "haven_version": haven.__version__}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    worker = heartbeat_status()
    expiry = session_expiry(request)
    context.update(
        primary_navigation=items_for(request),
        worker_alive=worker.alive,
        # A partner agency's user cannot check the force's deadlines nor tell its service desk: the warnings
        # about Haven's own workers are for the force's people.
        worker_warnings=not user.has_perm(Perm.PARTNER_SHARED_VIEW),
        worker_last_seen=worker.beat_at,
        session_expires_at=expiry.isoformat() if expiry else "",
        # The page counts down from the seconds left by the server's clock, not to the time itself: a PC
        # whose clock runs ahead of the server's would otherwise sign its user out on every page.
        session_expires_in=seconds_left(expiry) if expiry else 0,
        session_warning_seconds=int(settings.HAVEN_SESSION_WARNING.total_seconds()),
    )
    return context
