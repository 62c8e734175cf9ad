"""The OpenAPI document is public, honest about every error a route can return, and rendered."""

from __future__ import annotations

import pytest

from haven.api.tests.support import bearer

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
ENVELOPE = "#/components/schemas/ErrorEnvelope"


@pytest.fixture
def document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def produced(operation) -> set[int]:
    """The error statuses a route can produce, from what it takes."""
    codes = {401, 403, 500}  # no credentials; no second factor, missing scope or CSRF token; a fault
    places = {parameter["in"] for parameter in operation.get("parameters", [])}
    if "path" in places:
        codes |= {404, 422}  # no such record; not a UUID
    if "query" in places:
        codes |= {422}
    if "requestBody" in operation:
        codes |= {400, 422}  # not JSON; breaks a rule
    return codes


def test_the_document_is_public_and_lists_the_api(document):
    assert document["info"]["title"] == "Haven API"
    names = {name for name, _ in operations(document)}
    assert {
        "GET /api/v1/me",
        "GET /api/v1/tokens",
        "POST /api/v1/tokens",
        "POST /api/v1/tokens/{token_id}/revoke",
        "GET /api/v1/teams/{team_id}",
    } <= names


def test_every_operation_declares_the_errors_it_can_return_as_the_envelope(document):
    assert document["components"]["schemas"]["ErrorEnvelope"]["required"] == ["error"]
    body = document["components"]["schemas"]["ErrorBody"]
    assert set(body["required"]) == {"code", "message", "fields", "request_id"}
    for name, operation in operations(document):
        declared = {int(status) for status in operation["responses"] if int(status) >= 400}
        assert 401 in declared, name
        assert produced(operation) <= declared, f"{name} does not declare {produced(operation) - declared}"
        for status in declared:
            response = operation["responses"][str(status)]
            assert response["content"]["application/json"]["schema"]["$ref"] == ENVELOPE, (name, status)
            assert response["description"], (name, status)


def test_every_operation_accepts_a_token_or_the_session(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["type"] == "apiKey"
    assert schemes["SessionAuth"]["in"] == "cookie"
    for name, operation in operations(document):
        assert operation["security"] == [{"TokenAuth": []}, {"SessionAuth": []}], name


def test_token_scopes_are_documented_as_the_permissions(document):
    from haven.core.permissions import Perm

    schema = document["components"]["schemas"]
    token_in = schema["TokenIn"]
    scopes = token_in["properties"]["scopes"]["items"]
    scope_values = schema[scopes["$ref"].rsplit("/", 1)[1]]["enum"] if "$ref" in scopes else scopes["enum"]
    assert set(scope_values) == {p.value for p in Perm}


def test_the_docs_page_renders_for_anyone(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger-ui" in body
    assert "/api/v1/openapi.json" in body
    assert "cdn.jsdelivr.net" not in body, "the docs must load under Haven's CSP, which allows only its own scripts"


def test_the_docs_page_renders_for_a_signed_in_user_and_with_a_token(signed_in, make_token):
    client, user = signed_in()
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json", headers=bearer(make_token(user))).status_code == 200


def test_no_operation_declares_a_status_twice():
    """Ninja keys responses by int; an ``openapi_extra`` keyed by the string "200" adds a second "200"
    to the JSON, which Swagger UI (js-yaml) refuses, and the docs page draws nothing."""
    from config.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            keys = [str(k) for k in operation.get("responses", {})]
            assert len(keys) == len(set(keys)), f"{method.upper()} {path} declares {keys}"


def test_every_route_with_a_json_body_declares_413_and_415(document):
    for name, operation in operations(document):
        body = operation.get("requestBody", {}).get("content", {})
        declared = {int(status) for status in operation["responses"]}
        if "application/json" in body:
            assert {413, 415} <= declared, name
        elif body:
            assert 413 in declared, name


def test_no_two_different_schemas_share_a_name(monkeypatch):
    """Ninja files every model and enum under its class name and a second of that name silently replaces
    the first: the referrals' share decision was documented with the partner agency's decisions
    (nfa, early help…), so no client could send a valid one. Two schemas may share a name only if equal."""
    from ninja.openapi.schema import OpenAPISchema

    from config.api import api

    clashes: list[str] = []
    add = OpenAPISchema.add_schema_definitions

    def checked(self, definitions):
        clashes.extend(
            f"{name}: {self.schemas[name]} != {schema}"
            for name, schema in definitions.items()
            if name in self.schemas and self.schemas[name] != schema
        )
        add(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", checked)
    api.get_openapi_schema(path_prefix="/api/v1/")

    assert clashes == []


def test_a_time_says_its_years_and_whether_it_may_be_in_the_future(document):
    # Finding 12: a client building a time from the document was refused most times (years outside
    # 1900-2999, or in the future where it must not be): the document now says both.
    from haven.core.types import MOMENT_PATTERN

    found_at = document["components"]["schemas"]["EpisodeFoundIn"]["properties"]["found_at"]
    assert found_at["pattern"] == MOMENT_PATTERN
    assert found_at["format"] == "date-time"
    assert "Not in the future" in found_at["description"]
