"""Session rules every signed-in request obeys: idle and absolute expiry, and a second factor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from haven.core import clock, request_context

LOGIN_AT = "haven_login_at"
SEEN_AT = "haven_seen_at"
# Requests a page makes by itself (polling, the timeout warning) do not count as activity.
BACKGROUND_HEADER = "X-Haven-Background"


def session_expiry(request: HttpRequest) -> datetime | None:
    """When this session will end if the user does nothing more."""
    login_at = request.session.get(LOGIN_AT)
    seen_at = request.session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return None
    idle_end = datetime.fromisoformat(seen_at) + settings.HAVEN_SESSION_IDLE
    absolute_end = datetime.fromisoformat(login_at) + settings.HAVEN_SESSION_ABSOLUTE
    return min(idle_end, absolute_end)


def seconds_left(expiry: datetime) -> int:
    """Whole seconds from now (Haven's clock) to ``expiry``, never below zero."""
    return max(0, int((expiry - clock.now()).total_seconds()))


def _wants_json(request: HttpRequest) -> bool:
    # The timeout warning's "Stay signed in" is a script too: it needs a 401, not a sign-in page.
    return request.path.startswith("/api/") or request.path == reverse("accounts:keepalive")


class SessionTimeoutMiddleware:
    """Signs a user out after 30 minutes idle or 12 hours in all, by Haven's clock, on the server."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = clock.now()
            if LOGIN_AT not in request.session:
                request.session[LOGIN_AT] = now.isoformat()
                request.session[SEEN_AT] = now.isoformat()
            expiry = session_expiry(request)
            if expiry is not None and now >= expiry:
                logout(request)  # flushes the session on the server
                if _wants_json(request) or request.headers.get(BACKGROUND_HEADER):
                    return JsonResponse(
                        {
                            "error": {
                                "code": "session_expired",
                                "message": "Your session has ended. Sign in again.",
                                "fields": {},
                                "request_id": request_context.current_request_id(),  # the API's envelope has it
                            }
                        },
                        status=401,
                    )
                messages.info(request, "You were signed out to protect your data. Sign in again to continue.")
                return redirect(
                    f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()}, safe='/')}"
                )
            if not request.headers.get(BACKGROUND_HEADER):
                request.session[SEEN_AT] = now.isoformat()
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Nobody uses Haven before enrolling a second factor (views marked ``mfa_public`` excepted)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        if getattr(view_func, "mfa_public", False) or not request.user.is_authenticated:
            return None
        if request.user.mfakey_set.exists():  # type: ignore[attr-defined]  # django-mfa3's reverse relation
            return None
        if _wants_json(request):
            return JsonResponse(
                {
                    "error": {
                        "code": "mfa_enrolment_required",
                        "message": "Set up a second factor in Haven before using the API.",
                        "fields": {},
                    }
                },
                status=403,
            )
        return redirect("mfa:list")
