"""Every refused read leaves its ``denied`` row in the s62 log (DP-01), whatever the view rolls back."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from haven.audit.services import denials_kept


class DenialsKeptMiddleware:
    """Serves each request inside :func:`haven.audit.services.denials_kept`.

    A selector that refuses a record writes a ``denied`` row and raises NotFound; the transaction it
    ran in rolls back. Once the view has answered (404), the rows rolled back are written again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with denials_kept():
            return self.get_response(request)
