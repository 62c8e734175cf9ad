"""/api/v1/policy: the same settings and changes through the API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from haven.api.tests.support import assert_envelope
from haven.policy import registry
from haven.policy.selectors import policy_value

pytestmark = pytest.mark.django_db


def _put(client, path, body):
    return client.put(path, json.dumps(body), content_type="application/json")


def test_api_lists_settings_in_stored_form(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    rows = {r["key"]: r for r in client.get("/api/v1/policy").json()}
    assert rows["tests.review_after"]["value"] == 360
    assert rows["tests.review_after"]["rule_id"] == "M-04"
    assert rows["tests.review_after"]["overridden"] is False


def test_api_changes_a_setting_and_resets_it(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    response = _put(client, "/api/v1/policy/tests.review_after", {"value": 30, "reason": "Board decision"})
    assert response.status_code == 200, response.content
    assert response.json()["new_display"] == "30 min"
    assert policy_value(registry.get("tests.review_after")) == timedelta(minutes=30)
    response = client.post(
        "/api/v1/policy/tests.review_after/reset", json.dumps({"reason": "Undo"}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["reset_to_default"] is True
    assert policy_value(registry.get("tests.review_after")) == timedelta(hours=6)


def test_api_refuses_a_bad_value_with_the_error_envelope(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    response = _put(client, "/api/v1/policy/tests.review_after", {"value": "soon", "reason": "x"})
    assert_envelope(response, 422, "validation_failed")
    assert policy_value(registry.get("tests.review_after")) == timedelta(hours=6)


def test_api_refuses_non_administrators(settings_registered, signed_in):
    client, _ = signed_in(roles=("inspector",))
    assert_envelope(_put(client, "/api/v1/policy/tests.threshold", {"value": 9, "reason": "x"}), 403, "forbidden")
    assert policy_value(registry.get("tests.threshold")) == 3


def test_api_unknown_setting_is_404(signed_in):
    client, _ = signed_in(roles=("administrator",))
    assert_envelope(_put(client, "/api/v1/policy/no.such", {"value": 1, "reason": "x"}), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path"), [("put", "/api/v1/policy/tests.threshold"), ("post", "/api/v1/policy/tests.threshold/reset")]
)
def test_each_policy_write_refuses_a_user_without_the_permission(settings_registered, signed_in, method, path):
    client, _ = signed_in(roles=("inspector", "auditor", "supervisor"))
    body = json.dumps({"value": 9, "reason": "x"})
    assert_envelope(getattr(client, method)(path, body, content_type="application/json"), 403, "forbidden")
    assert policy_value(registry.get("tests.threshold")) == 3


def test_api_says_what_is_wrong_in_the_pages_words(settings_registered, signed_in):
    client, _ = signed_in(roles=("administrator",))
    response = _put(client, "/api/v1/policy/tests.review_after", {"value": 2, "reason": ""})
    error = assert_envelope(response, 422, "validation_failed", fields={"reason": ...})
    assert error["fields"]["reason"] == ["Give the reason for the change"]
    response = _put(client, "/api/v1/policy/tests.review_after", {"value": 2, "reason": "Faster"})
    error = assert_envelope(response, 422, "validation_failed", fields={"value": ...})
    assert error["fields"]["value"] == ["Enter 5 minutes or more"]
    response = client.post(
        "/api/v1/policy/tests.review_after/reset", json.dumps({"reason": "Undo"}), content_type="application/json"
    )
    assert_envelope(response, 422, "validation_failed")
