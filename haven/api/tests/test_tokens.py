"""Personal API tokens through the API: shown once, stored hashed, listed, revoked; yours only."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import timedelta

from haven.accounts.models import ApiToken
from haven.api.tests.support import assert_envelope, bearer


def create(client, raw, **payload):
    body = {"name": "Nightly export", "scopes": ["accounts:team:view"], **payload}
    return client.post("/api/v1/tokens", json.dumps(body), content_type="application/json", headers=bearer(raw))


def test_a_new_token_is_shown_once_and_stored_hashed(client, make_user, make_token):
    user = make_user(roles=("supervisor",))
    raw = make_token(user, name="Admin")

    response = create(client, raw, scopes=["accounts:team:view", "accounts:user:view"])

    assert response.status_code == 201, response.content
    created = response.json()
    new_raw = created["token"]
    assert new_raw.startswith(f"hvn_{created['prefix']}_")
    assert created["name"] == "Nightly export"
    assert created["scopes"] == ["accounts:team:view", "accounts:user:view"]
    assert created["revoked_at"] is None

    stored = ApiToken.objects.get(public_id=created["id"])
    secret = new_raw.split("_", 2)[2]
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps([stored.name, stored.prefix, stored.secret_hash])

    listing = client.get("/api/v1/tokens", headers=bearer(raw))
    assert listing.status_code == 200
    assert secret not in listing.content.decode()
    assert all("token" not in item and "secret_hash" not in item for item in listing.json())
    assert {item["name"] for item in listing.json()} == {"Admin", "Nightly export"}

    me = client.get("/api/v1/me", headers=bearer(new_raw))
    assert me.status_code == 200
    assert me.json()["token_scopes"] == ["accounts:team:view", "accounts:user:view"]


def test_revoking_a_token_stops_it_at_once(client, make_user, make_token):
    user = make_user()
    raw = make_token(user, name="Admin")
    victim = create(client, raw).json()
    assert client.get("/api/v1/me", headers=bearer(victim["token"])).status_code == 200

    response = client.post(f"/api/v1/tokens/{victim['id']}/revoke", headers=bearer(raw))

    assert response.status_code == 200, response.content
    assert response.json()["id"] == victim["id"]
    assert response.json()["revoked_at"] is not None
    assert "token" not in response.json()
    assert_envelope(client.get("/api/v1/me", headers=bearer(victim["token"])), 401, "not_authenticated")
    again = client.post(f"/api/v1/tokens/{victim['id']}/revoke", headers=bearer(raw))
    assert again.status_code == 200
    assert again.json()["revoked_at"] == response.json()["revoked_at"]
    listed = {item["id"]: item for item in client.get("/api/v1/tokens", headers=bearer(raw)).json()}
    assert listed[victim["id"]]["revoked_at"] is not None


def test_a_user_can_neither_see_nor_revoke_another_users_token(client, make_user, make_token):
    mine = make_token(make_user("alice"), name="Alice's")
    theirs = make_token(make_user("bob"), name="Bob's")
    bobs = ApiToken.objects.get(name="Bob's")

    listing = client.get("/api/v1/tokens", headers=bearer(mine)).json()
    assert [item["name"] for item in listing] == ["Alice's"]

    response = client.post(f"/api/v1/tokens/{bobs.public_id}/revoke", headers=bearer(mine))

    assert_envelope(response, 404, "not_found")
    bobs.refresh_from_db()
    assert bobs.revoked_at is None
    assert client.get("/api/v1/me", headers=bearer(theirs)).status_code == 200


def test_even_a_user_administrator_cannot_revoke_another_users_token_through_the_api(client, make_user, make_token):
    admin = make_token(make_user("admin", roles=("administrator",)))
    make_token(make_user("bob"), name="Bob's")
    bobs = ApiToken.objects.get(name="Bob's")

    assert_envelope(client.post(f"/api/v1/tokens/{bobs.public_id}/revoke", headers=bearer(admin)), 404, "not_found")


def test_revoking_an_unknown_token_is_404(client, make_user, make_token):
    raw = make_token(make_user())

    assert_envelope(client.post(f"/api/v1/tokens/{uuid.uuid4()}/revoke", headers=bearer(raw)), 404, "not_found")


def test_a_token_cannot_be_given_scopes_beyond_its_owners_roles(client, make_user, make_token):
    raw = make_token(make_user(roles=("response_officer",)))

    response = create(client, raw, scopes=["accounts:user:manage"])

    error = assert_envelope(response, 422, "validation_failed", fields={"scopes": ...})
    assert "accounts:user:manage" in error["fields"]["scopes"][0]


def test_a_token_cannot_last_longer_than_the_maximum(client, make_user, make_token, clock, settings):
    raw = make_token(make_user())
    too_late = clock.now() + timedelta(days=settings.HAVEN_API_TOKEN_MAX_DAYS + 1)
    response = create(client, raw, expires_at=too_late.isoformat())

    assert_envelope(response, 422, "validation_failed", fields={"expires_at": ...})


def test_managing_tokens_needs_the_scope(client, make_user, make_token):
    raw = make_token(make_user(), scopes=("accounts:team:view",))

    assert_envelope(client.get("/api/v1/tokens", headers=bearer(raw)), 403, "forbidden")
    assert_envelope(create(client, raw), 403, "forbidden")
    assert ApiToken.objects.count() == 1


def test_a_token_asked_for_a_number_of_days_too_large_for_a_date_is_a_422_not_a_500(client, make_user, make_token):
    raw = make_token(make_user(roles=("supervisor",)), name="Admin")

    response = create(client, raw, days=10**12)

    error = assert_envelope(response, 422, "validation_failed")
    assert "days" in error["fields"]
