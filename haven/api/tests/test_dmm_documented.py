"""The DMM board's answer is documented in the OpenAPI document: every section key, every count key and
every field a section's rows carry in ``details`` (an integrator cannot guess them)."""

from __future__ import annotations

import ast
import importlib
import inspect

from config.api import api

# The DMM app sits above haven.api in the layers: its registry is reached by name (import-linter).
_sections = importlib.import_module("haven.dmm.sections")
PLANNED, registered = _sections.PLANNED, _sections.registered


def _schemas() -> dict[str, dict[str, object]]:
    return api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"]


def _description(schema: str, field: str) -> str:
    return str(_schemas()[schema]["properties"][field]["description"])  # type: ignore[index]


def _detail_keys(section: object) -> set[str]:
    """The keys of the dict the section's row class returns from ``details``."""
    module = inspect.getmodule(section.rows)  # type: ignore[attr-defined]
    tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
    keys: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "details":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Dict):
                    keys |= {str(k.value) for k in inner.keys if isinstance(k, ast.Constant)}
    return keys


def test_every_board_section_key_is_documented():
    described = _description("SectionOut", "key")
    for key in [s.key for s in registered()] + [p.key for p in PLANNED]:
        assert f"`{key}`" in described, key


def test_every_row_detail_of_every_section_is_documented_under_its_section():
    described = _description("RowOut", "details")
    for section in registered():
        keys = _detail_keys(section)
        assert keys, section.key
        part = next(p for p in described.split("\n\n") if p.startswith(f"`{section.key}`:"))
        for key in keys:
            assert f"`{key}`" in part, (section.key, key)


def test_every_count_key_is_documented():
    described = _description("CountOut", "key")
    for key in ("missing", "missing_high", "missing_ungraded", "protection", "custody", "overdue"):
        assert f"`{key}`" in described, key
