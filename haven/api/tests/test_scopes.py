"""Every operation of the API needs one permission, and a token's scopes are checked against exactly it.

Generated from the OpenAPI document: each operation names the permission it needs (``x-haven-perm``,
from ``auth=needs(…)`` or a write's declaration), or is one of the few routes any caller may use
(``haven.api.auth.NO_PERMISSION``). A token holding every scope but that one is refused with 403 (the
s62 log's routes: 404), before any parameter or body is read; a token holding only that one is not
refused for its scope. No route checks its permission inside its body any more.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from config.api import api
from haven.api.auth import NO_PERMISSION
from haven.api.tests.support import assert_envelope, bearer
from haven.core.permissions import Perm, Role

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"
METHODS = {"get", "put", "post", "delete", "patch"}

# The s62 log answers a caller who may not read it as if it were not there (404), token or not.
REFUSED_AS_NOT_THERE = {("GET", "/audit/events"), ("GET", "/audit/subject-access/{person_id}")}
# The one route any of several permissions opens (the user picker: handing over, or administering users).
ANY_OF = {("GET", "/users/lookup"): (Perm.CASES_CASE_HANDOVER, Perm.ACCOUNTS_USER_VIEW)}


def _document() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix=f"{PREFIX}/")


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path.removeprefix(PREFIX) or "/", operation)
        for path, item in _document()["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _needs(method: str, path: str, operation: dict[str, Any]) -> tuple[Perm, ...]:
    if "x-haven-perms" in operation:
        return tuple(Perm(p) for p in operation["x-haven-perms"])
    return (Perm(operation["x-haven-perm"]),)


def _url(path: str, operation: dict[str, Any]) -> str:
    kinds = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p["in"] == "path"}

    def value(match: re.Match[str]) -> str:
        schema = kinds.get(match.group(1), {})
        if schema.get("type") == "integer":
            return "1"
        if schema.get("format") == "uuid":
            return str(uuid.uuid4())
        return (schema.get("enum") or ["any"])[0]

    return PREFIX + re.sub(r"{(\w+)}", value, path)


@pytest.fixture
def everyone(make_user: Callable[..., Any]) -> Any:
    """A user whose roles allow every permission, so only a token's scopes can refuse."""
    user = make_user(username=f"all_{uuid.uuid4().hex[:8]}", roles=tuple(Role.values))
    assert set(user.permissions) == set(Perm)
    return user


def _call(client: Client, method: str, url: str, raw: str) -> Any:
    send = getattr(client, method.lower())
    if method == "GET":
        return send(url, headers=bearer(raw))
    return send(url, data=b"", content_type="application/json", headers=bearer(raw))


def test_every_operation_names_the_permission_it_needs_or_is_listed_as_open_to_all() -> None:
    """No route is left to check (or forget) its permission in its body: each names one in the document
    (the user picker: each of the few any one of which will do), or is on the documented list of routes
    any caller may use."""
    unnamed = {(m, p) for m, p, op in _operations() if "x-haven-perm" not in op and "x-haven-perms" not in op}
    assert unnamed == set(NO_PERMISSION), "a route needs auth=needs(Perm.…)"
    several = {(m, p): _needs(m, p, op) for m, p, op in _operations() if "x-haven-perms" in op}
    assert several == ANY_OF, "one permission an operation: only the user picker takes any of several"
    for method, path, operation in _operations():
        for perm in _needs(method, path, operation) if (method, path) not in NO_PERMISSION else ():
            assert f"`{perm.value}`" in operation["description"], (method, path)


def test_every_write_declares_the_permission_its_operation_checks() -> None:
    from haven.core import operations

    by_name = {op.name: op for op in operations.registry()}
    for method, path, operation in _operations():
        name = operation.get("x-haven-operation")
        if name is not None:
            assert operation["x-haven-perm"] == by_name[name].perm.value, (method, path)


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [o for o in _operations() if (o[0], o[1]) not in NO_PERMISSION],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_token_with_every_scope_but_the_one_an_operation_needs_is_refused(
    client: Client,
    everyone: Any,
    make_token: Callable[..., str],
    method: str,
    path: str,
    operation: dict[str, Any],
) -> None:
    needed = _needs(method, path, operation)
    url = _url(path, operation)

    others = tuple(sorted(p.value for p in Perm if p not in needed))
    refused = _call(client, method, url, make_token(everyone, scopes=others))
    if (method, path) in REFUSED_AS_NOT_THERE:
        assert_envelope(refused, 404, "not_found")
    else:
        assert needed[-1].value in assert_envelope(refused, 403, "forbidden")["message"]

    only = tuple(sorted(p.value for p in needed))
    answer = _call(client, method, url, make_token(everyone, scopes=only))
    assert answer.status_code != 403, (method, path, answer.content[:300])


@pytest.mark.parametrize(("method", "path"), sorted(NO_PERMISSION))
def test_the_routes_open_to_every_caller_answer_a_token_with_any_one_scope(
    client: Client, everyone: Any, make_token: Callable[..., str], method: str, path: str
) -> None:
    raw = make_token(everyone, scopes=(Perm.DMM_BOARD_VIEW.value,))
    assert _call(client, method, PREFIX + path.rstrip("/") + ("/" if path == "/" else ""), raw).status_code == 200


def test_docs_api_md_names_every_operation_and_the_permission_it_needs() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text()
    for method, path, operation in _operations():
        line = next(
            (
                ln
                for ln in docs.splitlines()
                if ln.startswith(f"| `{method} {PREFIX}{path.rstrip('/') if path != '/' else '/'}` |")
            ),
            None,
        )
        assert line is not None, f"docs/api.md does not list {method} {path}"
        for perm in _needs(method, path, operation) if (method, path) not in NO_PERMISSION else ():
            assert f"`{perm.value}`" in line, (method, path)
