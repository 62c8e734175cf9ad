"""The API's root class: django-ninja with Haven's error envelope. The instance, with every app's
router, is built in ``config/api.py`` (the top of the layers), so apps import shared API plumbing
without importing each other."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from haven.api import errors as api_errors
from haven.api.auth import perms_of
from haven.api.parsers import JsonOnly


class HavenOpenAPISchema(OpenAPISchema):
    """The OpenAPI document, naming on each operation the one permission (API token scope) it needs:
    ``x-haven-perm``, and a sentence at the end of its description. The one route that takes any of
    several (the user picker) names them all in ``x-haven-perms`` instead."""

    def operation_details(self, operation: Operation) -> Any:
        details = super().operation_details(operation)
        perms = perms_of(operation.auth_callbacks)
        if len(perms) == 1:
            details["x-haven-perm"] = perms[0].value
            needs = f"Needs the permission `{perms[0].value}` (an API token needs it among its scopes)."
        elif perms:
            details["x-haven-perms"] = [p.value for p in perms]
            listed = " or ".join(f"`{p.value}`" for p in perms)
            needs = f"Needs one of the permissions {listed} (an API token needs it among its scopes)."
        else:
            return details
        details["description"] = f"{details['description']}\n\n{needs}" if details.get("description") else needs
        return details


class HavenNinjaAPI(NinjaAPI):
    """django-ninja, with the envelope for the two answers it makes outside any operation: a method
    the path lacks (405) and a path no route matches (404).

    The views are ``mfa_public`` because the API enforces the second factor itself, in
    :class:`~haven.api.auth.SessionAuth`, answering 403 ``mfa_enrolment_required`` in the envelope
    (the site-wide middleware would answer before the API could). Tokens are only ever created by a
    session with a second factor, or by another token.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("parser", JsonOnly())
        super().__init__(*args, **kwargs)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return api_errors.describe_responses(HavenOpenAPISchema(self, path_prefix))

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = super()._get_urls()
        urls.append(re_path(r"^.*$", api_errors.not_found_view(self), name="not-found"))
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = api_errors.with_envelope_405(self, url.callback)
                url.callback.mfa_public = True  # type: ignore[attr-defined]
        return urls
