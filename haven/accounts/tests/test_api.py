"""The accounts writes through the API: users, teams, ranks and tokens, each with the permission its
page needs and the same words for what is wrong."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from mfa.models import MFAKey

from haven.accounts import operations
from haven.accounts.choices import Duty
from haven.accounts.models import ApiToken, DutyAssignment, Rank, RoleGrant, Team, User
from haven.api.tests.support import assert_envelope, bearer
from haven.core import clock
from haven.core import operations as registry
from haven.core.operations import run
from haven.core.outbox import outbox_send
from haven.core.permissions import ROLE_PERMISSIONS, Perm, Role
from haven.core.testing import sign_in

pytestmark = pytest.mark.django_db

# Writes some role may not make (every role may make and revoke its own API tokens).
ACCOUNTS = [
    op
    for op in registry.registry()
    if op.app == "accounts" and any(op.perm not in ROLE_PERMISSIONS[role] for role in Role)
]
NEW_USER = {"username": "jbloggs", "first_name": "Jo", "last_name": "Bloggs", "email": "Jo.Bloggs@Example.test"}
# A body each write would take, so that only the permission refuses it (a bad body is a 422 first).
VALID: dict[str, dict[str, Any]] = {
    "accounts.user_create": {**NEW_USER, "first_name": "Changed"},
    "accounts.team_create": {"code": "X", "name": "X"},
    "accounts.rank_create": {"code": "X", "name": "X", "seniority": 1},
    "accounts.api_token_create": {"name": "X", "scopes": ["accounts:team:view"]},
    "accounts.duty_set": {
        "duty": "duty_officer",
        "user": "target",
        "starts_at": "2999-01-01T07:00:00Z",
        "ends_at": "2999-01-01T17:00:00Z",
    },
}


def send(client: Any, method: str, path: str, body: dict[str, Any] | None = None, **headers: Any) -> Any:
    return getattr(client, method.lower())(
        f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", headers=headers or None
    )


@pytest.fixture
def admin(client: Any, make_user: Any) -> Any:
    user = make_user("admin", roles=("administrator",))
    sign_in(client, user)
    return user


def _path(operation: registry.Operation, make_user: Any) -> str:
    """The operation's path with real ids, so only the permission can refuse it."""
    assert operation.api is not None
    target = make_user("target")
    token, _ = run(operations.api_token_create, actor=target, data={"name": "t", "scopes": ["api:token:manage"]})
    duty = DutyAssignment.objects.create(
        team=target.team,
        duty=Duty.DUTY_OFFICER,
        user=target,
        starts_at=clock.now(),
        ends_at=clock.now() + timedelta(hours=8),
    )
    ids = {
        "duty_id": duty.public_id,
        "user_id": target.public_id,
        "team_id": Team.objects.get(code="TEST").public_id,
        "rank_id": Rank.objects.get(code="PC").public_id,
        "token_id": token.public_id,
        "grant_id": RoleGrant.objects.create(
            user=target, role="inspector", reason="Test", requested_by=make_user("asker", roles=("administrator",))
        ).public_id,
    }
    return operation.api.path.format(**ids)


@pytest.mark.parametrize("operation", ACCOUNTS, ids=lambda op: op.name)
def test_each_accounts_write_refuses_a_user_without_its_permission(client, make_user, operation):
    assert operation.perm is not None
    lacking = next(role for role in ("auditor", "call_handler", "partner") if not _role_has(role, operation.perm))
    path = _path(operation, make_user)
    sign_in(client, make_user("someone", roles=(lacking,)))

    response = send(client, operation.api.method, path, VALID.get(operation.name, {"first_name": "Changed"}))

    assert_envelope(response, 403, "forbidden")
    assert not User.objects.filter(first_name="Changed").exists()


def _role_has(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS[Role(role)]


# --- Users --------------------------------------------------------------------------------------------


def test_an_administrator_adds_a_user_who_is_emailed_a_link(client, admin, mailbox):
    response = send(client, "POST", "/users", {**NEW_USER, "rank": "PS", "team": "TEST", "roles": ["investigator"]})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["rank"], body["team"], body["roles"]) == ("jbloggs", "PS", "TEST", [])
    assert RoleGrant.objects.get(user__username="jbloggs").role == "investigator", "waits for a second administrator"
    user = User.objects.get(username="jbloggs")
    assert user.email == "jo.bloggs@example.test"
    assert not user.has_usable_password(), "the API never takes a password: the user chooses one"
    assert outbox_send() == 1
    assert [message["To"] for message in mailbox] == ["jo.bloggs@example.test"]


def test_a_new_user_is_checked_in_the_pages_words(client, admin):
    response = send(client, "POST", "/users", {**NEW_USER, "last_name": "", "rank": "NOPE", "password": "x"})

    error = assert_envelope(response, 422, "validation_failed", fields={"last_name": ...})
    assert error["fields"]["last_name"] == ["Enter the user's last name"]
    response = send(client, "POST", "/users", {**NEW_USER, "rank": "NOPE"})
    error = assert_envelope(response, 422, "validation_failed", fields={"rank": ...})
    assert error["fields"]["rank"] == ["There is no rank or grade NOPE"]
    response = send(client, "POST", "/users", {**NEW_USER, "username": "admin"})
    assert_envelope(response, 422, "validation_failed", fields={"username": ...})
    assert not User.objects.filter(username="jbloggs").exists()


def test_a_change_touches_only_the_fields_given(client, admin, make_user):
    bob = make_user("bob", roles=("response_officer",))

    response = send(client, "PATCH", f"/users/{bob.public_id}", {"roles": ["inspector"], "team": None})

    assert response.status_code == 200, response.content
    bob.refresh_from_db()
    assert (bob.roles, bob.team, bob.first_name, bob.rank.code) == ([], None, "Test", "PC")
    assert RoleGrant.objects.filter(user=bob, role="inspector", state="pending").exists()
    response = send(client, "PATCH", f"/users/{bob.public_id}", {"is_active": False})
    assert response.json()["is_active"] is False
    bob.refresh_from_db()
    assert not bob.is_active


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_a_name_cannot_be_changed_to_nothing(client, admin, make_user, blank):
    bob = make_user("bob")

    response = send(client, "PATCH", f"/users/{bob.public_id}", {"first_name": blank})

    error = assert_envelope(response, 422, "validation_failed", fields={"first_name": ...})
    assert error["fields"]["first_name"] == ["Enter the user's first name"]


def test_an_administrator_cannot_deactivate_themselves_through_the_api(client, admin):
    response = send(client, "PATCH", f"/users/{admin.public_id}", {"is_active": False})

    assert_envelope(response, 422, "validation_failed", fields={"roles": ...})
    admin.refresh_from_db()
    assert admin.is_active


def test_the_user_buttons_through_the_api(client, admin, make_user, mailbox):
    bob = make_user("bob")
    assert MFAKey.objects.filter(user=bob).exists()

    assert send(client, "POST", f"/users/{bob.public_id}/reset-second-factor").status_code == 200
    assert not MFAKey.objects.filter(user=bob).exists()
    assert send(client, "POST", f"/users/{bob.public_id}/unlock").status_code == 200
    assert send(client, "POST", f"/users/{bob.public_id}/send-password-link").status_code == 200
    assert outbox_send() == 2  # that the second factors were removed, and the link
    assert [message["To"] for message in mailbox] == [bob.email, bob.email]
    assert "choose your password" in mailbox[1]["Subject"]
    User.objects.filter(pk=bob.pk).update(is_active=False)
    response = send(client, "POST", f"/users/{bob.public_id}/send-password-link")
    assert_envelope(response, 422, "validation_failed", fields={"email": ...})


def test_an_unknown_user_is_404(client, admin):
    response = send(client, "PATCH", "/users/00000000-0000-0000-0000-000000000000", {"first_name": "X"})

    assert_envelope(response, 404, "not_found")


# --- Teams and ranks ----------------------------------------------------------------------------------


def test_teams_are_added_and_changed_and_their_codes_stay_unique(client, admin, make_user):
    make_user("coveringps", roles=("supervisor",), team="OTHER")
    response = send(
        client, "POST", "/teams", {"code": "MASH", "name": "Safeguarding hub", "covering_supervisor": "coveringps"}
    )
    assert response.status_code == 201, response.content
    team_id = response.json()["id"]

    response = send(client, "PATCH", f"/teams/{team_id}", {"description": "Triage", "is_active": False})

    assert response.status_code == 200, response.content
    assert (response.json()["description"], response.json()["is_active"]) == ("Triage", False)
    assert Team.objects.get(code="MASH").name == "Safeguarding hub"
    response = send(client, "PATCH", f"/teams/{team_id}", {"code": "TEST"})
    error = assert_envelope(response, 422, "validation_failed", fields={"code": ...})
    assert error["fields"]["code"] == ["There is already a team with the code TEST"]


def test_ranks_are_added_and_changed(client, admin):
    response = send(client, "POST", "/ranks", {"code": "PCSO", "name": "PCSO", "seniority": 8})
    assert response.status_code == 201, response.content

    response = send(client, "PATCH", f"/ranks/{response.json()['id']}", {"seniority": 9})

    assert response.json()["seniority"] == 9
    response = send(client, "POST", "/ranks", {"code": "X", "name": "X", "seniority": -1})
    error = assert_envelope(response, 422, "validation_failed", fields={"seniority": ...})
    assert error["fields"]["seniority"] == ["The seniority must be 0 or more"]


# --- Tokens -------------------------------------------------------------------------------------------


def test_a_token_cannot_widen_itself_by_saying_what_it_holds(client, make_user):
    user = make_user(roles=("supervisor",))
    _, raw = run(
        operations.api_token_create,
        actor=user,
        data={"name": "Narrow", "scopes": ["api:token:manage"], "expires_at": _in(days=2)},
    )
    body = {
        "name": "Wider",
        "scopes": ["accounts:team:view"],
        "requesting_token_scopes": ["accounts:team:view"],
        "requesting_token_expires_at": None,
    }

    response = send(client, "POST", "/tokens", body, **bearer(raw))

    error = assert_envelope(response, 422, "validation_failed", fields={"scopes": ...})
    assert error["fields"]["scopes"] == ["The token making this request does not hold accounts:team:view"]
    response = send(client, "POST", "/tokens", {"name": "Short", "scopes": ["api:token:manage"]}, **bearer(raw))
    assert response.status_code == 201, response.content
    assert ApiToken.objects.get(name="Short").expires_at <= ApiToken.objects.get(name="Narrow").expires_at


def test_a_token_lasts_as_many_days_as_asked(client, make_user, clock):
    clock.freeze(clock.now())
    sign_in(client, make_user())

    response = send(client, "POST", "/tokens", {"name": "Week", "scopes": ["accounts:team:view"], "days": 7})

    assert response.status_code == 201, response.content
    assert ApiToken.objects.get(name="Week").expires_at == clock.now() + timedelta(days=7)
    both = {"name": "Both", "scopes": ["accounts:team:view"], "days": 7, "expires_at": _in(days=7)}
    error = assert_envelope(send(client, "POST", "/tokens", both), 422, "validation_failed", fields={"days": ...})
    assert error["fields"]["days"] == ["Give the expiry or the number of days, not both"]


def _in(*, days: int) -> str:
    return (clock.now() + timedelta(days=days)).isoformat()
