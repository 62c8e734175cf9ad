"""Cross-cutting middleware that carries no business rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

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


# Characters no parameter of Haven's may hold: PostgreSQL refuses NUL in text, so a NUL reaching a
# query (a filter, a search) raised deep in the view and answered 500.
_NUL = "\x00"


def _nul_names(params: Any) -> list[str]:
    """The names of the parameters whose name or value holds a NUL."""
    return [key for key in params if _NUL in key or any(_NUL in value for value in params.getlist(key))]


def _refused(request: HttpRequest, names: list[str]) -> HttpResponse:
    """Under /api/, 422 in the API's error envelope naming each parameter (as the API's input models
    answer a control character); a page answers 400, the plain error page."""
    if request.path.startswith("/api/"):
        words = "Remove the NUL character: Haven does not accept it"
        body = {
            "error": {
                "code": "validation_failed",
                "message": "The request is not valid.",
                "fields": {name.replace(_NUL, "\\0"): [words] for name in names},
                "request_id": request_context.current_request_id(),
            }
        }
        return JsonResponse(body, status=422)
    from django.core.exceptions import BadRequest
    from django.views import defaults

    return defaults.bad_request(request, BadRequest("A parameter holds a NUL character."))


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefuseNulMiddleware:
    """Refuses a request whose query string or form carries a NUL, before any view sees it.

    PostgreSQL cannot store a NUL in text, so one reaching a query answered 500. A page answers 400;
    the API 422 in its error envelope, naming the parameters (what its input models already answer
    for the parameters they type). A form that cannot be read at all is left to the view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if names := _nul_names(request.GET):
            return _refused(request, names)
        # A page's form is read here as CSRF's check would read it; under /api/ a multipart upload's
        # stream is left for the route to read itself.
        forms = FORM_TYPES[:1] if request.path.startswith("/api/") else FORM_TYPES
        if request.method == "POST" and request.content_type in forms:
            try:
                posted = request.POST
            except Exception:  # noqa: BLE001 - too big or malformed: the view's own handling answers it
                posted = None
            if posted is not None and (names := _nul_names(posted)):
                return _refused(request, names)
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` and ``Pragma: no-cache`` on every page and API answer.

    They may carry personal data: no browser, shared computer or proxy may keep a copy. Static files
    never reach this middleware (WhiteNoise, above it, answers them), so they stay cacheable. A view
    that already says ``no-store`` (with more, such as ``private``) keeps its own words.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response
