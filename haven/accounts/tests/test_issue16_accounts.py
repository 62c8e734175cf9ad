"""Issue 16 (accounts): nobody gives themselves a role (four eyes, an auditor alert); e-mail through
the outbox; second factors changed only after the password and a code; who you are says your rank and
team; auditors make API tokens within their roles."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import pyotp
import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.test import Client
from mfa.models import MFAKey

from haven.accounts import policy, selectors
from haven.accounts.models import ApiToken, RoleGrant
from haven.accounts.tests.pages import error_summary
from haven.audit.models import AccessEvent
from haven.core.access import Action, scope_for
from haven.core.errors import ValidationFailed
from haven.core.models import OutgoingEmail
from haven.core.outbox import outbox_send
from haven.core.testing import DEFAULT_PASSWORD, sign_in

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


# --- Four eyes on roles: nobody grants themselves (issue 16, finding 3) ---------------------------------


@pytest.fixture
def admins(make_user: Any) -> tuple[Any, Any]:
    return make_user("admin1", roles=("administrator",)), make_user("admin2", roles=("administrator",))


def test_an_administrator_cannot_give_themselves_inspector_or_auditor(client, admins):
    admin1, _ = admins
    sign_in(client, admin1)

    patched = send(client, "PATCH", f"/users/{admin1.public_id}", {"roles": ["administrator", "inspector", "auditor"]})
    asked = send(client, "POST", f"/users/{admin1.public_id}/role-grants", {"role": "auditor", "reason": "Audit"})

    assert patched.status_code == 422
    assert patched.json()["error"]["fields"]["roles"] == ["Ask another administrator to change your own roles"]
    assert asked.status_code == 422
    admin1.refresh_from_db()
    assert admin1.roles == ["administrator"]
    assert not RoleGrant.objects.exists()


def test_granting_the_auditor_role_waits_for_a_second_administrator_and_alerts_the_auditors(client, admins, make_user):
    admin1, admin2 = admins
    bob = make_user("bob", roles=("response_officer",))
    sign_in(client, admin1)

    asked = send(client, "POST", f"/users/{bob.public_id}/role-grants", {"role": "auditor", "reason": "New DPO"})

    assert asked.status_code == 201, asked.content
    grant = asked.json()
    assert (grant["state"], grant["requested_by"], grant["user"]) == ("pending", "admin1", "bob")
    bob.refresh_from_db()
    assert bob.roles == ["response_officer"], "nothing is given until a second administrator approves"
    own = send(client, "POST", f"/role-grants/{grant['id']}/approve", {})
    assert own.status_code == 403, "the administrator who asked cannot approve it"
    bob.refresh_from_db()
    assert "auditor" not in bob.roles

    second = Client()
    sign_in(second, admin2)
    approved = send(second, "POST", f"/role-grants/{grant['id']}/approve", {"note": "Checked with the DPO"})

    assert approved.status_code == 200, approved.content
    assert (approved.json()["state"], approved.json()["decided_by"]) == ("approved", "admin2")
    bob.refresh_from_db()
    assert bob.roles == ["auditor", "response_officer"]
    [row] = AccessEvent.objects.filter(detail__has_key="alert")
    assert row.actor == admin2
    assert row.detail["alert"] == (
        "Granted the auditor / data protection officer role to Test Bob (bob): asked for by Test Admin1 (admin1), "
        "approved by Test Admin2 (admin2)."
    )
    asked_row = AccessEvent.objects.get(detail__role_grant=grant["id"], detail__asked=True)
    assert asked_row.actor == admin1
    assert "alert" not in asked_row.detail
    again = send(second, "POST", f"/role-grants/{grant['id']}/refuse", {})
    assert again.status_code == 409


def test_roles_given_on_the_user_page_wait_for_a_second_administrator_who_approves_on_a_page(client, admins, make_user):
    admin1, admin2 = admins
    bob = make_user("bob", roles=("response_officer",))
    sign_in(client, admin1)
    form = {
        "first_name": "Test",
        "last_name": "Bob",
        "email": bob.email,
        "collar_number": "",
        "rank": "PC",
        "team": "TEST",
        "roles": ["response_officer", "inspector"],
        "is_active": "on",
    }

    assert client.post(f"/administration/users/{bob.public_id}/", form).status_code == 302
    bob.refresh_from_db()
    assert bob.roles == ["response_officer"]
    grant = RoleGrant.objects.get(user=bob, role="inspector", state="pending")
    mine = client.get(f"/administration/role-grants/{grant.public_id}/")
    assert "Another administrator must decide this" in mine.content.decode()

    second = Client()
    sign_in(second, admin2)
    listed = second.get("/administration/role-grants/").content.decode()
    assert f"/administration/role-grants/{grant.public_id}/" in listed
    done = second.post(f"/administration/role-grants/{grant.public_id}/approve/", {"note": ""}, follow=True)

    assert done.status_code == 200
    assert f"{bob.display_name} now has the role Inspector. The auditors have been told." in done.content.decode()
    bob.refresh_from_db()
    assert bob.roles == ["inspector", "response_officer"]
    assert AccessEvent.objects.filter(detail__has_key="alert", detail__user="bob").count() == 1


def test_the_grant_page_asks_for_one_note_that_either_button_posts_and_refusing_there_gives_nothing(
    client, admins, make_user
):
    admin1, admin2 = admins
    bob = make_user("bob", roles=())
    sign_in(client, admin1)
    grant = send(client, "POST", f"/users/{bob.public_id}/role-grants", {"role": "inspector", "reason": "Promoted"})
    url = f"/administration/role-grants/{grant.json()['id']}/"
    second = Client()
    sign_in(second, admin2)

    page = second.get(url).content.decode()

    assert page.count('name="note"') == 1, "one note (no two fields with one id)"
    assert f'action="{url}approve/"' in page
    assert f'formaction="{url}refuse/"' in page
    refused = second.post(f"{url}refuse/", {"note": "Not yet"}, follow=True)
    assert f"The role Inspector was not given to {bob.display_name}." in refused.content.decode()
    assert RoleGrant.objects.get(public_id=grant.json()["id"]).decision_note == "Not yet"
    bob.refresh_from_db()
    assert bob.roles == []


def test_a_refused_grant_gives_nothing_and_is_logged_without_an_alert(client, admins, make_user):
    admin1, admin2 = admins
    bob = make_user("bob", roles=())
    sign_in(client, admin1)
    grant = send(client, "POST", f"/users/{bob.public_id}/role-grants", {"role": "inspector", "reason": "Promoted"})
    second = Client()
    sign_in(second, admin2)

    refused = send(second, "POST", f"/role-grants/{grant.json()['id']}/refuse", {"note": "Not yet"})

    assert refused.json()["state"] == "refused"
    bob.refresh_from_db()
    assert bob.roles == []
    assert AccessEvent.objects.filter(detail__refused_by="admin2").count() == 1
    assert not AccessEvent.objects.filter(detail__has_key="alert").exists()


def test_a_role_force_policy_does_not_list_is_given_at_once(client, admins, make_user, monkeypatch):
    admin1, _ = admins
    bob = make_user("bob", roles=())
    listed = [role for role in policy.SECOND_APPROVER_ROLES.default if role != "analyst"]
    monkeypatch.setattr(policy, "_reader", lambda s: listed if s is policy.SECOND_APPROVER_ROLES else s.default)
    sign_in(client, admin1)

    given = send(client, "POST", f"/users/{bob.public_id}/role-grants", {"role": "analyst", "reason": "Analysis"})
    waits = send(client, "POST", f"/users/{bob.public_id}/role-grants", {"role": "inspector", "reason": "Promoted"})

    assert (given.json()["state"], waits.json()["state"]) == ("approved", "pending")
    bob.refresh_from_db()
    assert bob.roles == ["analyst"]


def test_the_second_approver_policy_always_keeps_the_auditor_role():
    with pytest.raises(ValidationError):
        policy.SECOND_APPROVER_ROLES.clean(["inspector"])
    assert policy.SECOND_APPROVER_ROLES.clean(["inspector", "auditor"]) == ["inspector", "auditor"]
    assert {"auditor", "inspector", "investigator"} <= set(policy.SECOND_APPROVER_ROLES.default)


# --- E-mail through the outbox (finding 6) and second factors changed (finding 8) ----------------------

TOTP_STEP = "/second-factor/auth/TOTP/"


def mail_server_down(settings: Any) -> None:
    """Point Haven's mail at a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }


def wrong_code(user: Any) -> str:
    totp = pyotp.TOTP(user.totp_secret)
    return next(c for c in (f"{n:06d}" for n in range(0, 1_000_000, 7919)) if not totp.verify(c, valid_window=1))


def test_a_wrong_code_with_the_mail_server_down_is_refused_and_the_warning_is_sent_once_it_is_back(
    client, make_user, mailbox, settings
):
    user = make_user("alice")
    working = settings.MAILERS
    mail_server_down(settings)
    client.post("/sign-in/", {"username": "alice", "password": DEFAULT_PASSWORD})
    client.get(TOTP_STEP)

    response = client.post(TOTP_STEP, {"code": wrong_code(user)})

    assert response.status_code == 200
    assert error_summary(response), "the code page says what went wrong"
    [owed] = OutgoingEmail.objects.filter(to=user)
    assert (owed.kind, owed.pending) == ("accounts.sign_in_failed", True)
    assert outbox_send() == 0, "the server is still down: the e-mail stays owed"
    owed.refresh_from_db()
    assert (owed.pending, owed.attempts) == (True, 1)

    settings.MAILERS = working
    assert outbox_send() == 1
    assert [m["Subject"] for m in mailbox] == ["Haven: a failed sign-in to your account"]
    owed.refresh_from_db()
    assert not owed.pending
    assert owed.sent_at is not None


def _next_code(user: Any) -> str:
    """A code the app shows next (accepted one step either side), not the one used to sign in."""
    return pyotp.TOTP(user.totp_secret).at(time.time() + 30)


def test_adding_an_authenticator_asks_for_the_password_and_a_code_and_emails_the_user(client, make_user, mailbox):
    user = make_user("alice")
    sign_in(client, user)

    first = client.get("/second-factor/create/TOTP/")
    assert first.status_code == 302
    assert first["Location"].startswith("/second-factor/confirm/")
    wrong = client.post(first["Location"], {"password": "not-it", "code": _next_code(user)})
    assert wrong.status_code == 422
    assert "The password or the code is not right" in wrong.content.decode()
    confirmed = client.post(first["Location"], {"password": DEFAULT_PASSWORD, "code": _next_code(user)})
    assert confirmed["Location"] == "/second-factor/create/TOTP/"

    client.get("/second-factor/create/TOTP/")
    secret = client.session["mfa_challenge"][1]
    added = client.post("/second-factor/create/TOTP/", {"name": "New phone", "code": pyotp.TOTP(secret).now()})

    assert added.status_code == 302
    assert MFAKey.objects.filter(user=user, name="New phone").exists()
    assert outbox_send() == 1
    assert "was added to your Haven account" in mailbox[0].get_body(preferencelist=("plain",)).get_content()
    again = client.get("/second-factor/create/TOTP/")
    assert again["Location"].startswith("/second-factor/confirm/"), "one confirmation, one change"


def test_removing_an_authenticator_asks_for_the_password_and_a_recovery_code_and_emails_the_user(
    client, make_user, mailbox
):
    user = make_user("alice")
    MFAKey.objects.create(user=user, method="recovery", name="Recovery code", secret=make_password("12345-67890"))
    key = MFAKey.objects.get(user=user, method="TOTP")
    sign_in(client, user)

    refused = client.post(f"/second-factor/{key.pk}/delete/")
    assert refused.status_code == 302
    assert refused["Location"].startswith("/second-factor/confirm/")
    assert MFAKey.objects.filter(pk=key.pk).exists()
    client.post(refused["Location"], {"password": DEFAULT_PASSWORD, "code": "12345-67890"})
    removed = client.post(f"/second-factor/{key.pk}/delete/")

    assert removed.status_code == 302
    assert not MFAKey.objects.filter(pk=key.pk).exists()
    assert not MFAKey.objects.filter(user=user, method="recovery").exists(), "the recovery code is used up"
    outbox_send()
    assert "was removed from your Haven account" in mailbox[0].get_body(preferencelist=("plain",)).get_content()


# --- Handing over: the answer never tells whether a username exists (finding 9) --------------------------


def test_someone_who_may_not_take_a_case_is_answered_as_nobody_by_that_name(make_user):
    make_user("dpo", roles=("auditor",))  # exists, but may not own a case
    make_user("pc2", roles=("response_officer",))

    def may_own(user: Any) -> bool:
        return scope_for(user, Action.EDIT) is not None

    with pytest.raises(ValidationFailed) as nobody:
        selectors.user_by_reference("ghost", field="to_user", eligible=may_own)
    with pytest.raises(ValidationFailed) as refused:
        selectors.user_by_reference("dpo", field="to_user", eligible=may_own)

    assert nobody.value.fields["to_user"] == [
        "There is nobody called ghost who can be chosen here: check the name or choose from the list"
    ]
    assert refused.value.fields["to_user"] == [nobody.value.fields["to_user"][0].replace("ghost", "dpo")]
    assert selectors.user_by_reference("pc2", eligible=may_own).username == "pc2"
