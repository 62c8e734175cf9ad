"""Cross-cutting middleware that carries no business rules."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from haven.core import request_context


class RequestIdMiddleware:
    """Gives every request an id (``request.id``), returned as ``X-Request-ID`` and logged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_context.begin(request.headers.get("X-Request-ID"))
        request.id = request_context.current_request_id()  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            request_context.end(token)
        response["X-Request-ID"] = request.id  # type: ignore[attr-defined]
        return response


class HavenErrorMiddleware:
    """Turns service and selector errors raised in a view into the accessible error pages.

    ``NotFound`` and ``Forbidden`` from a selector or service answer exactly like Django's 404 and
    403, so a record the user may not see is indistinguishable from one that does not exist.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        from django.views import defaults

        from haven.core.errors import Forbidden, NotFound

        if isinstance(exception, NotFound):
            return defaults.page_not_found(request, Http404())
        if isinstance(exception, Forbidden):
            return defaults.permission_denied(request, PermissionDenied())
        return None
