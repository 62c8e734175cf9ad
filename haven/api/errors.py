"""The API's one error envelope: ``{"error": {"code", "message", "fields", "request_id"}}``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from haven.core.errors import HavenError
from haven.core.request_context import current_request_id

if TYPE_CHECKING:
    from ninja import NinjaAPI

log = logging.getLogger("haven.api")


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]
    request_id: str


class ErrorEnvelope(Schema):
    error: ErrorBody


_CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 422: "validation_failed", 429: "too_many_requests"}


def errors(*statuses: int) -> dict[int, type[ErrorEnvelope]]:
    """The error responses a route declares, always including 401 (every route needs sign-in)."""
    return dict.fromkeys(sorted({401, *statuses}), ErrorEnvelope)


def error_response(api: NinjaAPI, request: HttpRequest, status: int, message: str, *,
                   code: str | None = None, fields: dict[str, list[str]] | None = None) -> HttpResponse:
    body = {"error": {"code": code or _CODES.get(status, "error"), "message": message,
                      "fields": fields or {}, "request_id": current_request_id()}}
    return api.create_response(request, body, status=status)


def _validation_fields(exc: ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        fields.setdefault(".".join(loc) or "__all__", []).append(str(item.get("msg", "Invalid value")))
    return fields


def install(api: NinjaAPI) -> None:
    """Replace django-ninja's default handlers so every error uses the envelope."""

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(api, request, 422, "The request is not valid.", fields=_validation_fields(exc))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 401, "Sign in, or send a valid API token as 'Authorization: Bearer <token>'.")

    @api.exception_handler(AuthorizationError)
    def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 403, "You do not have permission to do this.")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 404, "Not found.")

    @api.exception_handler(HavenError)
    def _haven(request: HttpRequest, exc: HavenError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.message, code=exc.code, fields=exc.fields)

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("Unhandled API error", exc_info=exc)
        return error_response(api, request, 500, "Something went wrong. Quote the request id to the service desk.",
                              code="server_error")


