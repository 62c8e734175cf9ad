"""Issue 16 (accounts): who you are says your rank and team; auditors make API tokens within their roles."""

from __future__ import annotations

import json
from typing import Any

import pytest

from haven.accounts.models import ApiToken
from haven.core.testing import sign_in

pytestmark = pytest.mark.django_db


def send(client: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method.lower())(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json")


def test_me_says_the_users_rank_and_team(client, make_user):
    user = make_user("sergeant", roles=("supervisor",), rank="PS", team="IMU")
    sign_in(client, user)

    body = client.get("/api/v1/me").json()

    assert (body["username"], body["rank"], body["team"]) == ("sergeant", "PS", "IMU")


def test_an_auditor_creates_an_api_token_with_the_scopes_their_roles_allow(client, make_user):
    auditor = make_user("dpo", roles=("auditor",))
    sign_in(client, auditor)

    made = send(client, "POST", "/tokens", {"name": "Log export", "scopes": ["audit:log:view"]})

    assert made.status_code == 201, made.content
    assert ApiToken.objects.get(user=auditor).scopes == ["audit:log:view"]
    beyond = send(client, "POST", "/tokens", {"name": "More", "scopes": ["cases:case:handover"]})
    assert beyond.status_code == 422
    assert beyond.json()["error"]["fields"]["scopes"] == ["Your roles do not allow cases:case:handover"]
    page = client.get("/account/tokens/new/")
    assert page.status_code == 200
