"""The API's one error envelope: ``{"error": {"code", "message", "fields", "request_id"}}``.

``request_id`` is the same id Haven returns in the ``X-Request-ID`` header and writes to its logs.
Every way a request under /api/v1/ can fail answers with this envelope: validation, sign-in,
permission, CSRF, a missing record, an unknown path, a method the path does not have, and a bug.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from haven.core.errors import HavenError
from haven.core.operations import message as field_message
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


class CsrfFailed(HavenError):
    """A browser-session request that changes something came without the CSRF token."""

    code = "csrf_failed"
    status = 403


class MfaEnrolmentRequired(HavenError):
    """A signed-in user has not yet set up a second factor."""

    code = "mfa_enrolment_required"
    status = 403


_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "server_error",
}

_DESCRIPTIONS = {
    400: "The request body is not valid JSON.",
    401: "No valid session or API token (missing, malformed, unknown, expired or revoked token; inactive user).",
    403: "Signed in, but not allowed: a permission the roles or the token's scopes lack, a missing CSRF token, "
    "or no second factor set up yet.",
    404: "No such record, or one the caller may not see.",
    409: "The request clashes with the record's current state.",
    413: "The request body is larger than Haven takes (2.5 MB, a file upload aside).",
    415: "The body is not sent as JSON: send it with 'Content-Type: application/json'.",
    422: "A parameter or the body broke a rule; ``fields`` says which and why.",
    500: "A fault in Haven. Quote the request id to the service desk.",
}

# Every operation can answer these: sign-in (401), a session without a second factor or a token
# without the scope (403), and a fault (500).
ALWAYS = (401, 403, 500)


def errors(*statuses: int) -> dict[int, type[ErrorEnvelope]]:
    """The error responses a route declares: those it names plus :data:`ALWAYS`."""
    return dict.fromkeys(sorted({*ALWAYS, *statuses}), ErrorEnvelope)


def describe_responses(schema: Any) -> Any:
    """Give each declared error response in an OpenAPI document a description of when it happens."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if str(status).isdigit() and int(status) in _DESCRIPTIONS:
                    response["description"] = _DESCRIPTIONS[int(status)]
    return schema


def envelope(
    status: int, message: str, *, code: str | None = None, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code or _CODES.get(status, "error"),
            "message": message,
            "fields": fields or {},
            "request_id": current_request_id(),
        }
    }


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    message: str,
    *,
    code: str | None = None,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, envelope(status, message, code=code, fields=fields), status=status)


def _validation_fields(exc: ValidationError) -> dict[str, list[str]]:
    """The errors by dotted field path, in the words the input models use (``haven.core.operations``):
    a body's errors arrive worded already; a query or path parameter's are worded here the same way."""
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        if str(item.get("type", "")).startswith("haven"):
            text = str(item.get("msg", ""))
        else:
            text = field_message(item, None, loc[-1] if loc else "request")
        fields.setdefault(".".join(loc) or "__all__", []).append(text)
    return fields


def install(api: NinjaAPI) -> None:
    """Replace django-ninja's default handlers so every error uses the envelope."""

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(api, request, 422, "The request is not valid.", fields=_validation_fields(exc))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = error_response(
            api, request, 401, "Sign in, or send a valid API token as 'Authorization: Bearer <token>'."
        )
        response["WWW-Authenticate"] = 'Bearer realm="Haven API"'
        return response

    @api.exception_handler(AuthorizationError)
    def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 403, "You do not have permission to do this.")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, HavenError):  # the body parser's own answer (415), which ninja wraps as a 400
            return error_response(api, request, cause.status, cause.message, code=cause.code, fields=cause.fields)
        if isinstance(cause, RequestDataTooBig):
            return _too_big(request, cause)
        return error_response(api, request, exc.status_code, str(exc))

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return error_response(
            api, request, 413, f"The request body is too large: send at most {limit / 1_048_576:.1f} MB."
        )

    @api.exception_handler(MultiPartParserError)
    def _bad_multipart(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 400, "The request body is not valid multipart form data.")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 404, "Not found.")

    @api.exception_handler(HavenError)
    def _haven(request: HttpRequest, exc: HavenError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.message, code=exc.code, fields=exc.fields)

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("Unhandled API error", exc_info=exc)
        return error_response(api, request, 500, "Something went wrong. Quote the request id to the service desk.")


def with_envelope_405(api: NinjaAPI, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a django-ninja path view so a method the path lacks answers 405 in the envelope."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(api, request, 405, f"This path does not support {request.method}.")
            response["Allow"] = allowed
        return response

    return wrapped


def not_found_view(api: NinjaAPI) -> Callable[..., HttpResponse]:
    """The view for any path under the API that no route matches."""

    @csrf_exempt
    def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return error_response(api, request, 404, "There is no such path in this API.")

    return not_found
