"""Who may call the API: personal API tokens for integrations, the browser session for people."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from haven.accounts import services
from haven.accounts.models import ApiToken
from haven.accounts.schemas import NothingIn, UserUpdateIn
from haven.api.tests.support import assert_envelope, bearer
from haven.core.permissions import Role
from haven.core.testing import DEFAULT_PASSWORD

# --- Tokens ------------------------------------------------------------------------------------


def test_a_token_authenticates_its_owner_with_its_scopes(client, make_user, make_token):
    user = make_user(roles=("supervisor",))
    raw = make_token(user, scopes=("accounts:team:view", "accounts:user:view"))
    assert raw.startswith("hvn_")

    response = client.get("/api/v1/me", headers=bearer(raw))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == str(user.public_id)
    assert body["username"] == user.username
    assert body["token_scopes"] == ["accounts:team:view", "accounts:user:view"]
    assert "accounts:user:view" in body["permissions"]
    assert ApiToken.objects.get().last_used_at is not None


def test_no_credentials_is_401(client, db):
    response = client.get("/api/v1/me")

    error = assert_envelope(response, 401, "not_authenticated")
    assert "Bearer" in error["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer not-a-haven-token",
        "Bearer hvn_",
        "Bearer hvn_0123456789ab",
        "Bearer hvn_0123456789ab_" + "A" * 43,  # well-formed, but no such token
        "Bearer hvn_x\u00e9_y",
        "Bearer hvn_a b_c",
        "bearer hvn_{prefix}_wrong-secret",  # a real token's prefix with the wrong secret
    ],
)
def test_a_malformed_or_unknown_token_is_401(client, make_user, make_token, header):
    raw = make_token(make_user())
    prefix = raw.split("_")[1]

    response = client.get("/api/v1/me", headers={"Authorization": header.format(prefix=prefix)})

    assert_envelope(response, 401, "not_authenticated")


def test_a_bad_token_is_refused_even_with_a_signed_in_session(signed_in):
    client, _ = signed_in()

    response = client.get("/api/v1/me", headers=bearer("hvn_nope_nope"))

    assert_envelope(response, 401, "not_authenticated")


def test_an_expired_token_is_401(client, make_user, make_token, clock):
    user = make_user()
    raw = make_token(user, expires_at=clock.now() + timedelta(days=30))
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200

    clock.travel(timedelta(days=30, seconds=1))

    assert_envelope(client.get("/api/v1/me", headers=bearer(raw)), 401, "not_authenticated")


def test_a_token_expires_after_90_days_by_default(client, make_user, make_token, clock):
    raw = make_token(make_user())
    clock.travel(timedelta(days=89, hours=23))
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200

    clock.travel(timedelta(hours=1, seconds=1))

    assert_envelope(client.get("/api/v1/me", headers=bearer(raw)), 401, "not_authenticated")


def test_a_revoked_token_is_401(client, make_user, make_token):
    user = make_user()
    raw = make_token(user)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200

    services.api_token_revoke(actor=user, token=ApiToken.objects.get(), data=NothingIn())

    assert_envelope(client.get("/api/v1/me", headers=bearer(raw)), 401, "not_authenticated")


def test_a_token_without_the_scope_is_403_though_its_owners_roles_allow_it(client, make_user, make_token):
    user = make_user(roles=("supervisor",))
    assert user.has_perm("accounts:user:view")
    raw = make_token(user, scopes=("accounts:team:view",))

    response = client.get("/api/v1/users", headers=bearer(raw))

    error = assert_envelope(response, 403, "forbidden")
    assert "accounts:user:view" in error["message"]
    assert client.get("/api/v1/teams", headers=bearer(raw)).status_code == 200


def test_a_token_can_do_no_more_than_its_owners_roles_allow_now(client, make_user, make_token):
    user = make_user(roles=("supervisor",))
    raw = make_token(user, scopes=("accounts:user:view",))
    assert client.get("/api/v1/users", headers=bearer(raw)).status_code == 200

    admin = make_user("admin", roles=("administrator",))
    services.user_update(actor=admin, user=user, data=UserUpdateIn(roles=[Role.RESPONSE_OFFICER]))

    assert_envelope(client.get("/api/v1/users", headers=bearer(raw)), 403, "forbidden")


def test_a_deactivated_owners_token_is_401(client, make_user, make_token):
    user = make_user()
    raw = make_token(user)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200

    admin = make_user("admin", roles=("administrator",))
    services.user_update(actor=admin, user=user, data=UserUpdateIn(is_active=False))

    assert_envelope(client.get("/api/v1/me", headers=bearer(raw)), 401, "not_authenticated")


def test_a_token_may_create_tokens_only_within_its_own_scopes_and_lifetime(client, make_user, make_token, clock):
    user = make_user(roles=("supervisor",))
    raw = make_token(
        user, scopes=("accounts:team:view", "api:token:manage"), expires_at=clock.now() + timedelta(days=10)
    )

    def create(**payload):
        body = {"name": "Child", "scopes": ["accounts:team:view"], **payload}
        return client.post("/api/v1/tokens", json.dumps(body), content_type="application/json", headers=bearer(raw))

    assert_envelope(create(scopes=["accounts:user:view"]), 422, "validation_failed", fields={"scopes": ...})
    later = (clock.now() + timedelta(days=11)).isoformat()
    assert_envelope(create(expires_at=later), 422, "validation_failed", fields={"expires_at": ...})

    response = create()
    assert response.status_code == 201, response.content
    child = ApiToken.objects.get(public_id=response.json()["id"])
    assert child.expires_at <= ApiToken.objects.get(name="Integration").expires_at


def test_requests_with_a_token_need_no_csrf_token(make_user, make_token):
    raw = make_token(make_user())
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/tokens",
        json.dumps({"name": "CI", "scopes": ["accounts:team:view"]}),
        content_type="application/json",
        headers=bearer(raw),
    )

    assert response.status_code == 201, response.content


# --- Browser session ---------------------------------------------------------------------------


def test_a_signed_in_browser_session_authenticates(signed_in):
    client, user = signed_in(roles=("supervisor",))

    response = client.get("/api/v1/me")

    assert response.status_code == 200, response.content
    assert response.json()["username"] == user.username
    assert response.json()["token_scopes"] is None
    assert client.get("/api/v1/users").status_code == 200


def test_unsafe_methods_with_the_session_need_the_csrf_token(signed_in, settings):
    signed_in_client, _ = signed_in()
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in_client.cookies
    assert client.get("/api/v1/me").status_code == 200  # safe methods need no CSRF token
    payload = json.dumps({"name": "From the browser", "scopes": ["accounts:team:view"]})

    response = client.post("/api/v1/tokens", payload, content_type="application/json")

    assert_envelope(response, 403, "csrf_failed")
    assert not ApiToken.objects.exists()

    client.get("/api/v1/docs")  # the docs page carries the CSRF token for "Try it out", and sets the cookie
    csrf_token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/api/v1/tokens", payload, content_type="application/json", headers={"X-CSRFToken": csrf_token}
    )
    assert response.status_code == 201, response.content


def test_without_credentials_an_unsafe_request_is_401_not_a_csrf_failure(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/api/v1/tokens", "{}", content_type="application/json")

    assert_envelope(response, 401, "not_authenticated")


def test_a_signed_in_user_without_a_second_factor_is_403_mfa_enrolment_required(client, make_user):
    user = make_user(mfa=False)
    response = client.post("/sign-in/", {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302

    response = client.get("/api/v1/me")

    error = assert_envelope(response, 403, "mfa_enrolment_required")
    assert "second factor" in error["message"]


def test_an_idle_session_ends_with_a_401_envelope(signed_in, clock, settings):
    client, _ = signed_in()
    assert client.get("/api/v1/me").status_code == 200

    clock.travel(settings.HAVEN_SESSION_IDLE + timedelta(seconds=1))

    assert_envelope(client.get("/api/v1/me"), 401, "session_expired")
    assert_envelope(client.get("/api/v1/me"), 401, "not_authenticated")


def test_a_signed_out_session_is_401(signed_in):
    client, _ = signed_in()
    client.post("/sign-out/")

    assert_envelope(client.get("/api/v1/me"), 401, "not_authenticated")
