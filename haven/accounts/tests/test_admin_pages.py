"""The administration pages: users, teams, ranks and the roles matrix, for administrators only."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from mfa.models import MFAKey

from haven.accounts.models import Rank, RoleGrant, Team, User
from haven.accounts.tests.pages import error_summary, inputs, table_rows, text
from haven.core.permissions import ROLE_PERMISSIONS, Perm, Role
from haven.core.testing import DEFAULT_PASSWORD, sign_in


@pytest.fixture
def admin(signed_in) -> Client:
    client, _user = signed_in(roles=("administrator",))
    return client


def user_form(**overrides):
    data = {
        "username": "jbloggs",
        "first_name": "Jo",
        "last_name": "Bloggs",
        "email": "Jo.Bloggs@Example.test",
        "collar_number": "4821",
        "rank": "PS",
        "team": "TEST",
        "roles": ["investigator", "supervisor"],
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def has_error_summary(response) -> bool:
    page = response.content.decode()
    return bool(re.search(r'class="([^"]* )?govuk-error-summary[" ]', page)) and "There is a problem" in text(response)


def test_administrator_adds_a_user_with_roles(admin):
    boxes = inputs(admin.get("/administration/users/new/"), "roles")
    assert [(box["type"], box["value"]) for box in boxes] == [("checkbox", role.value) for role in Role]

    response = admin.post("/administration/users/new/", user_form())

    assert response.status_code == 302
    assert response["Location"] == "/administration/users/"
    user = User.objects.get(username="jbloggs")
    assert (user.first_name, user.last_name, user.email) == ("Jo", "Bloggs", "jo.bloggs@example.test")
    assert user.roles == [], "roles that read case data wait for a second administrator"
    waiting = RoleGrant.objects.filter(user=user, state="pending").order_by("role")
    assert [grant.role for grant in waiting] == ["investigator", "supervisor"]
    assert user.rank is not None
    assert user.team is not None
    assert (user.rank.code, user.team.code, user.collar_number) == ("PS", "TEST", "4821")
    assert user.is_active
    assert not MFAKey.objects.filter(user=user).exists(), "they enrol a second factor themselves"
    assert "Jo Bloggs" in text(admin.get("/administration/users/"))


def test_administrator_changes_a_user(admin, make_user):
    bob = make_user("bob", roles=("response_officer",))

    response = admin.post(
        f"/administration/users/{bob.public_id}/",
        user_form(
            username="hijacked",
            first_name="Robert",
            last_name="Smith",
            email=bob.email,
            roles=["inspector"],
            is_active=None,
        ),
    )

    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.username == "bob", "the username cannot be changed"
    assert (bob.first_name, bob.last_name, bob.roles) == ("Robert", "Smith", []), "inspector waits for approval"
    assert RoleGrant.objects.filter(user=bob, role="inspector", state="pending").exists()
    assert not bob.is_active


def test_administrator_adds_and_changes_teams(admin, make_user):
    make_user("coveringps", roles=("supervisor",), team="OTHER")
    response = admin.post(
        "/administration/teams/new/",
        {
            "code": "MASH",
            "name": "Multi-agency safeguarding hub",
            "description": "",
            "email": "mash@example.test",
            "is_active": "on",
            "covering_supervisor": "coveringps",
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(code="MASH")
    assert team.name == "Multi-agency safeguarding hub"

    response = admin.post(
        f"/administration/teams/{team.public_id}/",
        {
            "code": "MASH",
            "name": "Safeguarding hub",
            "description": "Triage",
            "email": "",
            "is_active": "",
        },
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.description, team.is_active) == ("Safeguarding hub", "Triage", False)


def test_administrator_adds_and_changes_ranks(admin):
    response = admin.post(
        "/administration/ranks/new/",
        {
            "code": "PCSO",
            "name": "Police community support officer",
            "seniority": "8",
            "is_police_staff": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rank = Rank.objects.get(code="PCSO")
    assert (rank.seniority, rank.is_police_staff) == (8, True)

    response = admin.post(
        f"/administration/ranks/{rank.public_id}/",
        {
            "code": "PCSO",
            "name": "PCSO",
            "seniority": "9",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rank.refresh_from_db()
    assert (rank.name, rank.seniority, rank.is_police_staff) == ("PCSO", 9, False)


def test_missing_last_name_shows_the_error_summary_and_saves_nothing(admin):
    before = User.objects.count()

    response = admin.post("/administration/users/new/", user_form(last_name=""))

    assert response.status_code == 422
    assert has_error_summary(response)
    assert ("#id_last_name", "Enter the user's last name") in error_summary(response)
    assert 'id="id_last_name"' in response.content.decode()
    assert User.objects.count() == before


def test_duplicate_team_code_shows_the_error_summary_and_saves_nothing(admin):
    before = Team.objects.count()

    response = admin.post("/administration/teams/new/", {"code": "TEST", "name": "Another team", "is_active": "on"})

    assert response.status_code == 422
    assert has_error_summary(response)
    assert [href for href, _message in error_summary(response)] == ["#id_code"]
    assert Team.objects.count() == before


def _administration_requests(user: User, team: Team, rank: Rank) -> list[tuple[str, str]]:
    return [
        ("get", "/administration/"),
        ("get", "/administration/users/"),
        ("get", "/administration/users/new/"),
        ("post", "/administration/users/new/"),
        ("get", f"/administration/users/{user.public_id}/"),
        ("post", f"/administration/users/{user.public_id}/"),
        ("post", f"/administration/users/{user.public_id}/reset-second-factor/"),
        ("post", f"/administration/users/{user.public_id}/unlock/"),
        ("get", "/administration/teams/"),
        ("get", "/administration/teams/new/"),
        ("post", "/administration/teams/new/"),
        ("get", f"/administration/teams/{team.public_id}/"),
        ("post", f"/administration/teams/{team.public_id}/"),
        ("get", "/administration/ranks/"),
        ("get", "/administration/ranks/new/"),
        ("post", "/administration/ranks/new/"),
        ("get", f"/administration/ranks/{rank.public_id}/"),
        ("post", f"/administration/ranks/{rank.public_id}/"),
        ("get", "/administration/roles/"),
    ]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_everyone_but_an_administrator_is_refused_every_administration_page(signed_in, make_user, role):
    client, _user = signed_in(roles=(role.value,))
    target = make_user("target")
    team, rank = Team.objects.get(code="TEST"), Rank.objects.get(code="PC")
    keys_before = MFAKey.objects.filter(user=target).count()

    for method, url in _administration_requests(target, team, rank):
        response = getattr(client, method)(url, {"first_name": "Changed", "code": "X", "name": "X"})
        assert response.status_code == 403, (method, url)

    target.refresh_from_db()
    assert target.first_name == "Test"
    assert MFAKey.objects.filter(user=target).count() == keys_before


@pytest.mark.parametrize("public_id", [str(uuid.UUID(int=1)), "not-a-uuid"])
def test_unknown_or_malformed_public_id_is_not_found(admin, public_id):
    for method, url in (
        ("get", f"/administration/users/{public_id}/"),
        ("post", f"/administration/users/{public_id}/reset-second-factor/"),
        ("post", f"/administration/users/{public_id}/unlock/"),
        ("get", f"/administration/teams/{public_id}/"),
        ("get", f"/administration/ranks/{public_id}/"),
    ):
        assert getattr(admin, method)(url).status_code == 404, (method, url)


def test_roles_page_shows_what_each_role_allows(admin):
    response = admin.get("/administration/roles/")

    assert response.status_code == 200
    header, *rows = table_rows(response)
    assert header == ["Permission", *[role.label for role in Role]]
    assert len(rows) == len(Perm)
    for perm_value, *cells in rows:
        perm = Perm(perm_value)
        expected = ["Yes" if perm in ROLE_PERMISSIONS[role] else "No" for role in Role]
        assert cells == expected, perm


def test_administrator_cannot_remove_their_own_administrator_role(signed_in):
    client, me = signed_in(roles=("administrator",))

    response = client.post(
        f"/administration/users/{me.public_id}/",
        user_form(
            first_name="Test",
            last_name=me.last_name,
            email=me.email,
            roles=["auditor"],
        ),
    )

    assert response.status_code == 422
    assert ("#id_roles_0", "Ask another administrator to change your own roles") in error_summary(response)
    me.refresh_from_db()
    assert me.roles == ["administrator"]


def test_administrator_cannot_deactivate_themselves(signed_in):
    client, me = signed_in(roles=("administrator",))

    response = client.post(
        f"/administration/users/{me.public_id}/",
        user_form(
            last_name=me.last_name,
            email=me.email,
            roles=["administrator"],
            is_active=None,
        ),
    )

    assert response.status_code == 422
    assert error_summary(response)
    me.refresh_from_db()
    assert me.is_active


def test_reset_second_factor_makes_the_user_enrol_again(admin, make_user):
    bob = make_user("bob")
    bobs_browser = Client()
    sign_in(bobs_browser, bob)

    response = admin.post(f"/administration/users/{bob.public_id}/reset-second-factor/", follow=True)

    assert response.status_code == 200
    assert "must set up a new second factor" in text(response)
    assert not MFAKey.objects.filter(user=bob).exists()
    assert bobs_browser.get("/")["Location"] == "/second-factor/", "at once, in the session already open"
    fresh = Client()
    fresh.post("/sign-in/", {"username": "bob", "password": DEFAULT_PASSWORD})
    assert fresh.get("/")["Location"] == "/second-factor/"
