"""API routes built from the write declarations (``haven.core.operations``): no route is written by
hand for a write. ``mount(router, *operations)`` adds, for each, a route at its ``Api`` path whose
body is the operation's input model, whose answer is its ``out`` schema read from the object the
service returns (``from_attributes``), and whose declared errors follow ``haven.api.errors``.
A DELETE takes its input from the query string (it carries no body); an input field of type
``bytes`` (an uploaded file) makes the route take multipart/form-data with that field as a file part.
The operation's ``perm`` is the route's one permission (``haven.api.auth.needs``): checked, with the
token's scopes, before the body is read, so a caller without it gets 403 whatever they send.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Header, Router, Status
from ninja.files import UploadedFile
from ninja.params import functions as ninja_params

from haven.api.auth import actor, needs, token_of
from haven.api.errors import errors
from haven.core import operations
from haven.core.operations import Operation

_PATH_PARAM = re.compile(r"{(\w+)}")


def mount(router: Router, *declared: Operation) -> None:
    """Add each operation's route to ``router`` (an operation without ``api`` has no route)."""
    for operation in declared:
        if operation.api is not None:
            _route(router, operation)


def _route(router: Router, operation: Operation) -> None:
    api = operation.api
    assert api is not None  # noqa: S101 - mount() checked it
    names = _PATH_PARAM.findall(api.path)
    uploads = [name for name, info in operation.input.model_fields.items() if info.annotation is bytes]
    in_query = api.method == "DELETE"
    has_body = bool(operation.input.model_fields) and not uploads and not in_query
    statuses = {*api.errors, *((404, 422) if names else ()), *((400, 413, 422) if has_body or uploads else ())}
    statuses |= {415} if has_body else set()
    statuses |= {422} if in_query and operation.input.model_fields else set()
    response: dict[int, Any] = {api.status: api.out, **dict.fromkeys(api.statuses, api.out), **errors(*statuses)}

    def view(request: HttpRequest, **kwargs: Any) -> Status[Any]:
        user = actor(request)
        token = token_of(request)
        operations.check(operation, user, token)  # before loading: 403 never depends on the record
        payload = kwargs.pop("payload", None)
        headers = {name: kwargs.pop(_header_param(name)) for name in api.headers}
        files = {name: file for name in uploads if (file := kwargs.pop(name)) is not None}
        target = api.load(user, **kwargs) if api.load is not None else None
        data = payload if payload is not None else operations.validated(operation, files)
        data = _with_headers(operation, data, headers)
        if api.fill is not None:  # the route's own values replace anything the body said
            data = operations.validated(operation, {**data.model_dump(exclude_unset=True), **api.fill(user, token)})
        result = operations.run(operation, actor=user, target=target, data=data, token=token)
        answer = api.answer(user, result) if api.answer is not None else result
        return answer if isinstance(answer, Status) else Status(api.status, answer)

    params = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest)]
    for name in names:
        params.append(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=api.path_types.get(name, UUID))
        )
    if has_body:
        params.append(inspect.Parameter("payload", inspect.Parameter.KEYWORD_ONLY, annotation=operation.input))
    elif in_query and operation.input.model_fields:
        params.append(
            inspect.Parameter(
                "payload", inspect.Parameter.KEYWORD_ONLY, default=ninja_params.Query(...), annotation=operation.input
            )
        )
    for name in uploads:
        params.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=ninja_params.File(None), annotation=UploadedFile
            )
        )
    for name, header in api.headers.items():
        annotation = Annotated[str | None, Header(alias=header)]
        params.append(
            inspect.Parameter(_header_param(name), inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
        )
    view.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    view.__name__ = operation.name.replace(".", "_")
    view.__qualname__ = view.__name__
    view.__doc__ = api.description or None
    router.add_api_operation(
        api.path,
        [api.method],
        view,
        response=response,
        auth=needs(operation.perm),
        summary=api.summary or None,
        operation_id=operation.name.replace(".", "_"),
        openapi_extra={"x-haven-operation": operation.name},
    )


def _header_param(name: str) -> str:
    return f"header_{name}"


def _with_headers(operation: Operation, data: Any, headers: Mapping[str, str | None]) -> Any:
    """The input with the fields the body left out taken from their headers, checked by the same model."""
    given = {name: value for name, value in headers.items() if value is not None and getattr(data, name) is None}
    if not given:
        return data
    return operations.validated(operation, {**data.model_dump(exclude_unset=True), **given})
