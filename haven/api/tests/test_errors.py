"""Every error under /api/v1/ is one JSON envelope whose request id is the X-Request-ID header's."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client

from haven.accounts import selectors
from haven.api.tests.support import assert_envelope, bearer


@pytest.fixture
def token(make_user, make_token):
    return make_token(make_user(roles=("supervisor",)))


def test_401(client, db):
    assert_envelope(client.get("/api/v1/teams"), 401, "not_authenticated")


def test_403(client, make_user, make_token):
    raw = make_token(make_user(roles=("response_officer",)))  # may not view users

    assert_envelope(client.get("/api/v1/users", headers=bearer(raw)), 403, "forbidden")


def test_404_for_an_unknown_team_id(client, token):
    response = client.get(f"/api/v1/teams/{uuid.uuid4()}", headers=bearer(token))

    assert_envelope(response, 404, "not_found")


def test_404_for_a_path_the_api_does_not_have(client, token):
    for path in ("/api/v1/nothing-here", "/api/v1/me/", "/api/v1/teams/a/b"):
        assert_envelope(client.get(path, headers=bearer(token)), 404, "not_found")
    assert_envelope(Client(enforce_csrf_checks=True).post("/api/v1/nothing-here"), 404, "not_found")


def test_422_for_a_path_parameter_that_is_not_a_uuid(client, token):
    response = client.get("/api/v1/teams/not-a-uuid", headers=bearer(token))

    assert_envelope(response, 422, "validation_failed", fields={"team_id": ...})


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("q=" + "x" * 101, "q"),
        ("q=%00", "q"),
        ("q=a%0Ab", "q"),
    ],
)
def test_422_for_a_bad_query_parameter(client, token, query, field):
    response = client.get(f"/api/v1/users?{query}", headers=bearer(token))

    error = assert_envelope(response, 422, "validation_failed", fields={field: ...})
    assert error["fields"][field]
    assert all(isinstance(m, str) for m in error["fields"][field])


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"name", "scopes"}),
        ({"name": "", "scopes": ["accounts:team:view"]}, {"name"}),
        ({"name": "x" * 65, "scopes": ["accounts:team:view"]}, {"name"}),
        ({"name": "Tab\there", "scopes": ["accounts:team:view"]}, {"name"}),
        ({"name": "Nul\u0000", "scopes": ["accounts:team:view"]}, {"name"}),
        ({"name": "  ", "scopes": ["accounts:team:view"]}, {"name"}),
        ({"name": "Export", "scopes": []}, {"scopes"}),
        ({"name": "Export", "scopes": ["no:such:scope"]}, {"scopes.0"}),
        ({"name": "Export", "scopes": ["audit:log:view"]}, {"scopes"}),  # beyond the supervisor's roles
        ({"name": "Export", "scopes": ["accounts:team:view"], "expires_at": "2030-01-01T00:00:00"}, {"expires_at"}),
        ({"name": "Export", "scopes": ["accounts:team:view"], "expires_at": "2000-01-01T00:00:00Z"}, {"expires_at"}),
        ({"name": "Export", "scopes": ["accounts:team:view"], "expires_at": "9999-01-01T00:00:00Z"}, {"expires_at"}),
        ({"name": "Export", "scopes": ["accounts:team:view"], "expires_at": "soon"}, {"expires_at"}),
    ],
)
def test_422_for_a_bad_body(client, token, body, fields):
    response = client.post("/api/v1/tokens", json.dumps(body), content_type="application/json", headers=bearer(token))

    assert_envelope(response, 422, "validation_failed", fields=dict.fromkeys(fields))


def test_400_for_a_body_that_is_not_json(client, token):
    response = client.post("/api/v1/tokens", "{not json", content_type="application/json", headers=bearer(token))

    assert_envelope(response, 400, "bad_request")


def test_405_for_a_method_the_path_does_not_have(client, token):
    response = client.delete("/api/v1/me", headers=bearer(token))

    assert_envelope(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert client.put("/api/v1/tokens", headers=bearer(token))["Allow"] in ("GET, POST", "POST, GET")


def test_500_for_a_fault_logs_it_and_answers_with_the_envelope(make_user, make_token, monkeypatch, caplog):
    raw = make_token(make_user())

    def broken(**kwargs):
        raise RuntimeError("the database caught fire")

    monkeypatch.setattr(selectors, "team_list", broken)
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/teams", headers=bearer(raw))

    error = assert_envelope(response, 500, "server_error")
    assert "fire" not in response.content.decode(), "a fault's details never reach the caller"
    assert "request id" in error["message"]
    assert any(
        "the database caught fire" in (r.exc_text or str(r.exc_info)) for r in caplog.records if r.name == "haven.api"
    )


def test_a_well_formed_incoming_request_id_is_kept(client, db):
    response = client.get("/api/v1/me", headers={"X-Request-ID": "upstream-proxy-1234"})

    error = assert_envelope(response, 401, "not_authenticated")
    assert error["request_id"] == "upstream-proxy-1234"


def test_a_malformed_incoming_request_id_is_replaced(client, db):
    response = client.get("/api/v1/me", headers={"X-Request-ID": "<script>"})

    error = assert_envelope(response, 401, "not_authenticated")
    assert error["request_id"] != "<script>"


# --- Issue 16: a body too large answers 413, a body not sent as JSON 415 -------------------------


def _note_url() -> str:
    return f"/api/v1/cases/{uuid.uuid4()}/notes"


def test_413_for_a_json_body_over_2_5_mb(client, token):
    body = json.dumps({"text": "x" * 2_700_000})

    response = client.post(_note_url(), body, content_type="application/json", headers=bearer(token))

    error = assert_envelope(response, 413, "too_large")
    assert "2.5 MB" in error["message"]


def test_a_body_just_under_the_limit_is_read(client, token):
    body = json.dumps({"text": "x" * 2_600_000})

    response = client.post(_note_url(), body, content_type="application/json", headers=bearer(token))

    assert response.status_code in (404, 422), response.content[:300]  # read, then judged: not 413


@pytest.mark.parametrize(
    "content_type", ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded"]
)
def test_415_for_a_json_body_sent_as_another_media_type(client, token, content_type):
    body = json.dumps({"text": "A note"})

    response = client.post(_note_url(), body, content_type=content_type, headers=bearer(token))

    error = assert_envelope(response, 415, "unsupported_media_type")
    assert "application/json" in error["message"]


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/merge-patch+json"]
)
def test_a_json_media_type_is_read(client, token, content_type):
    body = json.dumps({"kind": "fact", "text": "A note"})

    response = client.post(_note_url(), body, content_type=content_type, headers=bearer(token))

    assert_envelope(response, 404, "not_found")  # read as JSON, then the case is not found


def test_a_browser_s_cross_site_text_plain_post_is_refused_unread(signed_in):
    client, _ = signed_in(roles=("supervisor",))

    response = client.post(_note_url(), json.dumps({"text": "A note"}), content_type="text/plain")

    assert_envelope(response, 415, "unsupported_media_type")
