"""The API's root class: django-ninja with Haven's error envelope. The instance, with every app's
router, is built in ``config/api.py`` (the top of the layers), so apps import shared API plumbing
without importing each other."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from haven.api import errors as api_errors


class HavenNinjaAPI(NinjaAPI):
    """django-ninja, with the envelope for the two answers it makes outside any operation: a method
    the path lacks (405) and a path no route matches (404).

    The views are ``mfa_public`` because the API enforces the second factor itself, in
    :class:`~haven.api.auth.SessionAuth`, answering 403 ``mfa_enrolment_required`` in the envelope
    (the site-wide middleware would answer before the API could). Tokens are only ever created by a
    session with a second factor, or by another token.
    """

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return api_errors.describe_responses(super().get_openapi_schema(*args, **kwargs))

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = super()._get_urls()
        urls.append(re_path(r"^.*$", api_errors.not_found_view(self), name="not-found"))
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = api_errors.with_envelope_405(self, url.callback)
                url.callback.mfa_public = True  # type: ignore[attr-defined]
        return urls
