"""One declaration per write: its input model, the permission it needs, the service it calls, and
how the API exposes it. A plain registry of small declarations, not a class hierarchy.

An app declares its writes in its ``operations.py``::

    plan_review = declare(
        "triggerplans.plan_review",
        input=PlanReviewIn,                         # every field rule lives here, nowhere else
        perm=Perm.MISSING_ENQUIRY_RECORD,            # checked here, in run(), and nowhere else
        service=services.plan_review,                # service(*, actor, plan, data)
        target="plan",
        api=Api("POST", "/{plan_id}/reviews", out=PlanDetailOut, load=load_plan),
        page="triggerplans:plan_review",
    )

The API route is built from it (``haven.api.operations.mount``), the GOV.UK page feeds its posted
form through the same input model (``haven.ui.operations.submit``), and both call :func:`run`.
Input errors speak people's words in both (:class:`Input` turns pydantic's into Haven's).
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, Protocol

from ninja import Schema
from pydantic import ConfigDict, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

from haven.core.errors import Forbidden, ValidationFailed
from haven.core.permissions import Perm
from haven.core.types import CONTROL_PATTERNS, Says

# --- Input models: the only place field rules live ---------------------------------------------------


class _Actor(Protocol):
    def has_perm(self, perm: Any, obj: Any = None) -> bool: ...


class _Token(Protocol):
    scopes: list[str]


def _says(info: FieldInfo | None) -> Says:
    for item in info.metadata if info is not None else ():
        if isinstance(item, Says):
            return item
    return Says()


def _what(name: str, info: FieldInfo | None) -> str:
    return _says(info).what or f"the {name.replace('_', ' ')}"


def _is_choice(info: FieldInfo | None) -> bool:
    annotation = info.annotation if info is not None else None
    for arg in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(arg) is Literal or (isinstance(arg, type) and issubclass(arg, Enum)):
            return True
    return isinstance(annotation, type) and issubclass(annotation, bool)


_REQUIRED = {"missing", "none_required"}
_DATE = {"date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_future"}
_DATETIME = {"datetime_parsing", "datetime_type", "datetime_from_date_parsing", "datetime_object_invalid"}


def message(error: Mapping[str, Any], info: FieldInfo | None, name: str) -> str:
    """The words for one pydantic error on one field, written for people (GOV.UK style)."""
    says = _says(info)
    what = _what(name, info)
    What = what[:1].upper() + what[1:]  # noqa: N806 - the phrase starting a sentence
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    required = says.required or (f"Select {what}" if _is_choice(info) else f"Enter {what}")
    if kind in _REQUIRED or (kind in ("string_too_short", "too_short") and ctx.get("min_length") == 1):
        return required
    if kind == "string_type" and error.get("input") is None:
        return required
    if says.invalid and kind not in ("string_too_long", "too_long"):
        return says.invalid
    if kind == "string_too_long":
        return f"{What} must be {ctx['max_length']:,} characters or fewer"
    if kind == "string_too_short":
        return f"{What} must be {ctx['min_length']:,} characters or more"
    if kind == "too_long":
        return f"Give at most {ctx['max_length']:,} for {what}"
    if kind == "too_short":
        return f"Give at least {ctx['min_length']:,} for {what}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") in CONTROL_PATTERNS:
            return f"{What} must be plain text, without control characters"
        return f"Enter {what} in the right form"
    if kind in _DATE:
        return f"Enter {what} as a real date"
    if kind in _DATETIME:
        return f"Enter {what} as a real date and time"
    if kind == "timezone_aware":
        return f"Give {what} with a time zone"
    if kind in ("enum", "literal_error"):
        return f"Select {what} from the list"  # noqa: S608 - words, not SQL
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{What} must be a whole number"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{What} must be {ctx.get('ge', ctx.get('gt'))} or more"
    if kind in ("less_than_equal", "less_than"):
        return f"{What} must be {ctx.get('le', ctx.get('lt'))} or less"
    if kind in ("uuid_parsing", "uuid_type"):
        return f"{What} must be a Haven id"
    if kind in ("bool_parsing", "bool_type"):
        return f"{What} must be yes or no"
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return str(error.get("msg") or f"Check {what}")


class Input(Schema):
    """Base of every input model: errors come out in people's words, the same in the API and on a
    page. A ``ninja.Schema`` (a pydantic model), so the API takes it as a request body as it is.
    Text arrives without the spaces around it (a name typed with a trailing space is the same name)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    @model_validator(mode="wrap")
    @classmethod
    def _in_peoples_words(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            raise _humane(cls, exc) from None


def _humane(model: type[Any], exc: ValidationError) -> ValidationError:
    fields: Mapping[str, FieldInfo] = getattr(model, "model_fields", {})
    details: list[InitErrorDetails] = []
    for error in exc.errors():
        if str(error["type"]).startswith("haven"):  # a nested input model said it already
            details.append(_keep(error))
            continue
        loc = error["loc"]
        name = str(loc[0]) if loc else ""
        text = message(error, fields.get(name), name) if name else str(error["msg"])
        details.append({"type": PydanticCustomError("haven_field", text), "loc": loc, "input": error.get("input")})
    return ValidationError.from_exception_data(model.__name__, details)


def _keep(error: Any) -> InitErrorDetails:
    return {"type": PydanticCustomError(error["type"], error["msg"]), "loc": error["loc"], "input": error.get("input")}


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    """``{"actions.0.target": ["…"]}``: a validation error's messages by dotted field path."""
    out: dict[str, list[str]] = {}
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "__all__"
        out.setdefault(key, []).append(str(error["msg"]))
    return out


# --- Declarations --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Api:
    """How the JSON API exposes a write. ``path`` is relative to the app's router; each ``{name}`` in
    it is a UUID unless ``path_types`` says otherwise, and ``load(actor, **path)`` turns them into the
    service's target through a permission-scoped selector (404 for what the caller may not see).
    ``answer(actor, result)`` gives the object ``out`` reads (default: the service's result), or a
    ``ninja.Status`` to answer with one of ``statuses`` instead of ``status``. ``headers`` names
    input fields a request header may give when the body leaves them out (field -> header name).
    ``fill(actor, token)`` gives input fields the route fills itself, whatever the body says: context
    the caller must not choose, such as the API token the request is made with (hide such fields from
    the body's schema with ``SkipJsonSchema``)."""

    method: Literal["POST", "PUT", "PATCH", "DELETE"]
    path: str
    out: type[Any] | None = None
    status: int = 201
    load: Callable[..., Any] | None = None
    answer: Callable[[Any, Any], Any] | None = None
    path_types: Mapping[str, type] = field(default_factory=dict)
    summary: str = ""
    description: str = ""
    errors: tuple[int, ...] = (409,)
    statuses: tuple[int, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    fill: Callable[[Any, Any], Mapping[str, Any]] | None = None


@dataclass(frozen=True)
class Operation:
    """One write, declared once."""

    name: str
    input: type[Any]
    perm: Perm  # the one permission it needs: the roles must allow it and, through the API, the token's scopes
    service: Callable[..., Any]
    target: str | None = None
    api: Api | None = None
    page: str | None = None

    @property
    def app(self) -> str:
        return self.name.split(".", 1)[0]


_REGISTRY: dict[str, Operation] = {}


def declare(
    name: str,
    *,
    input: type[Any],  # noqa: A002 - the word the issue and the docs use
    perm: Perm,
    service: Callable[..., Any],
    target: str | None = None,
    api: Api | None = None,
    page: str | None = None,
) -> Operation:
    """Register a write. A name declared twice is a bug (two ways to do one thing); so is a write
    that needs no permission (a token's scopes could not narrow it)."""
    if not isinstance(perm, Perm):
        raise TypeError(f"{name}: declare the permission it needs (perm=Perm.…)")
    if not issubclass(input, Input):
        raise TypeError(f"{name}: the input model must mix in haven.core.operations.Input")
    operation = Operation(name=name, input=input, perm=perm, service=service, target=target, api=api, page=page)
    existing = _REGISTRY.get(name)
    if existing is not None and existing.service is not service:
        raise ValueError(f"The operation {name} is declared twice")
    _REGISTRY[name] = operation
    return operation


def registry() -> Iterator[Operation]:
    """Every declared write, by name."""
    return iter(sorted(_REGISTRY.values(), key=lambda op: op.name))


def get(name: str) -> Operation:
    return _REGISTRY[name]


# --- Running -------------------------------------------------------------------------------------------


def allowed(operation: Operation, actor: _Actor, token: _Token | None = None) -> bool:
    """May ``actor`` (through ``token``, if the API was called with one) attempt this write at all?
    Only if the roles allow the operation's permission and, with a token, its scopes include exactly it."""
    if not actor.has_perm(operation.perm):
        return False
    return token is None or operation.perm.value in token.scopes


def check(operation: Operation, actor: _Actor, token: _Token | None = None) -> None:
    """The one permission check for a write: 403 unless the roles, and the token's scopes, allow it."""
    if not allowed(operation, actor, token):
        raise Forbidden(f"This needs the permission {operation.perm.value}.")


def validated(operation: Operation, data: Any) -> Any:
    """``data`` (a mapping) as the operation's input model; ``ValidationFailed`` with every field's
    message otherwise, so callers in code meet the same error type as the service's own checks."""
    try:
        return operation.input.model_validate(data)
    except ValidationError as exc:
        fields = field_errors(exc)
        messages = [m for ms in fields.values() for m in ms]
        raise ValidationFailed(
            messages[0] if len(messages) == 1 else "Check the answers given.", fields=fields
        ) from None


def run(operation: Operation, *, actor: Any, data: Any, target: Any = None, token: _Token | None = None) -> Any:
    """Check the permission, then call the service with ``(*, actor, <target>, data)``."""
    check(operation, actor, token)
    if not isinstance(data, operation.input):
        data = validated(operation, data)
    kwargs: dict[str, Any] = {"actor": actor, "data": data}
    if operation.target is not None:
        kwargs[operation.target] = target
    return operation.service(**kwargs)
