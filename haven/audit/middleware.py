"""Every refused read leaves its ``denied`` row in the s62 log (DP-01), whatever the view rolls back."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from haven.audit.services import denials_kept, denials_written, refusal_record


class DenialsKeptMiddleware:
    """Serves each request inside :func:`haven.audit.services.denials_kept`.

    A selector that refuses a record writes a ``denied`` row and raises NotFound; the transaction it
    ran in rolls back. Once the view has answered (404), the rows rolled back are written again.
    A signed-in user's 404 or 403 about a record that exists, which no selector logged, is logged as a
    refused attempt (:func:`haven.audit.services.refusal_record`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with denials_kept():
            response = self.get_response(request)
            user = getattr(request, "user", None)
            refused = response.status_code in (403, 404) and getattr(user, "is_authenticated", False)
            if refused and not denials_written():
                refusal_record(actor=user, path=request.path)
            return response
