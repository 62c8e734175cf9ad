"""Every write is declared once (haven.core.operations): each declaration has its API route and its
page where it has one, and no write is reached another way (no hand-written write route, no view or
API module calling services)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from django.urls import get_resolver

from config.api import api
from haven.core import operations

HAVEN = Path(__file__).resolve().parents[2]
WRITE_METHODS = {"post", "put", "patch", "delete"}

# Routes that change something but are not a user's write of domain data: named, with the reason.
NOT_WRITES: dict[tuple[str, str], str] = {
    # (none yet)
}


def _declared() -> list[operations.Operation]:
    return list(operations.registry())


def _openapi_writes() -> dict[tuple[str, str], dict[str, object]]:
    schema = api.get_openapi_schema()
    return {
        (method, path): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method in WRITE_METHODS
    }


def test_the_registry_holds_the_writes_of_every_app():
    apps = {op.app for op in _declared()}
    assert {"triggerplans"} <= apps
    assert len(_declared()) >= 4


@pytest.mark.parametrize("operation", _declared(), ids=lambda op: op.name)
def test_each_operation_has_its_route(operation):
    routes = {op.get("x-haven-operation") for op in _openapi_writes().values()}
    assert operation.api is not None, f"{operation.name} has no API route"
    assert operation.name in routes


@pytest.mark.parametrize("operation", _declared(), ids=lambda op: op.name)
def test_each_operation_calls_a_service_with_actor_target_and_data(operation):
    assert operation.service.__module__.endswith(".services"), operation.service.__module__
    parameters = inspect.signature(operation.service).parameters
    expected = {"actor", "data"} | ({operation.target} if operation.target else set())
    assert set(parameters) == expected
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())


@pytest.mark.parametrize("operation", [op for op in _declared() if op.page], ids=lambda op: op.name)
def test_each_page_submits_its_operation(operation):
    views = [
        pattern.callback
        for pattern, name in _named_patterns()
        if name == operation.page and getattr(pattern.callback, "operation", None) is operation
    ]
    assert views, f"no view named {operation.page} is declared with @page({operation.name})"


def _named_patterns():
    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern, inner)
            elif pattern.name:
                yield pattern, f"{namespace}{pattern.name}"

    return list(walk(get_resolver()))


def test_every_write_route_comes_from_a_declaration():
    handwritten = [
        f"{method.upper()} {path}"
        for (method, path), operation in _openapi_writes().items()
        if "x-haven-operation" not in operation and (method, path) not in NOT_WRITES
    ]
    assert handwritten == []


def _imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted([*HAVEN.glob("*/views.py"), *HAVEN.glob("*/api.py")]), ids=str)
def test_pages_and_routes_write_only_through_operations(path):
    services = sorted(name for name in _imports_of(path) if name.endswith(".services") and name.startswith("haven."))
    assert services == [], f"{path.relative_to(HAVEN)} imports {services}: write through operations instead"
