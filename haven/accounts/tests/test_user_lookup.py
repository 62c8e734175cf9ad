"""Picking a person by name: the look-up the user picker asks as you type, and the resolver that turns
what a form posted (a name, collar number, username or the picker's label) into one user."""

from __future__ import annotations

from typing import Any

import pytest

from haven.accounts import selectors
from haven.accounts.models import Team
from haven.api.tests.support import assert_envelope
from haven.core.errors import ValidationFailed
from haven.core.testing import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def force(make_user: Any) -> dict[str, Any]:
    def person(username: str, first: str, last: str, collar: str, **kwargs: Any) -> Any:
        user = make_user(username, **kwargs)
        user.first_name, user.last_name, user.collar_number = first, last, collar
        user.save()
        return user

    people = {
        "tom": person("response", "Tom", "Jones", "4521", team="RESP-A"),
        "tomos": person("tjones2", "Tomos", "Jones", "4522", team="CATE", rank="DC"),
        "sergeant": person("sergeant", "Ngozi", "Okafor", "1190", roles=("supervisor",), rank="PS", team="RESP-A"),
        "gone": person("gone", "Tom", "Gone", "9999", team="RESP-A"),
    }
    people["gone"].is_active = False
    people["gone"].save()
    Team.objects.filter(code="RESP-A").update(name="Response team A")
    return people


def test_user_lookup_matches_names_collar_numbers_usernames_and_teams(force):
    by = force["sergeant"]

    def names(q: str) -> list[str]:
        return [u.username for u in selectors.user_lookup(user=by, q=q)]

    assert names("jones") == ["response", "tjones2"]
    assert names("Tom Jones") == ["response", "tjones2"], "Tom Jones before Tomos Jones"
    assert names("PC Tom Jones") == ["response"]
    assert names("4522") == ["tjones2"]
    assert names("sergeant") == ["sergeant"]
    assert "response" in names("RESP-A")
    assert "sergeant" in names("response team a")
    assert "gone" not in names("tom"), "a deactivated user is never offered"


def test_user_lookup_puts_exact_matches_first_and_answers_at_most_twenty(force, make_user):
    for n in range(25):
        make_user(f"jones{n:02}", team="RESP-A")

    found = selectors.user_lookup(user=force["sergeant"], q="4521")
    many = selectors.user_lookup(user=force["sergeant"], q="Jones")

    assert [u.username for u in found] == ["response"]
    assert len(many) == 20
    assert many[0].username == "response"  # surname Jones, first name starts as typed: the closest first


def test_user_lookup_finds_nobody_for_someone_who_neither_hands_over_nor_administers(force, make_user):
    analyst = make_user("analyst", roles=("analyst",))

    assert selectors.user_lookup(user=analyst, q="Jones") == []


def test_the_lookup_api_answers_name_rank_collar_number_and_team(client, force):
    sign_in(client, force["sergeant"])

    response = client.get("/api/v1/users/lookup", {"q": "4521"})

    assert response.status_code == 200
    assert response.json() == [
        {
            "username": "response",
            "public_id": str(force["tom"].public_id),
            "name": "PC Tom Jones",
            "rank": "PC",
            "collar_number": "4521",
            "team": "Response team A",
            "label": "PC Tom Jones (4521), Response team A",
        }
    ]


def test_the_lookup_api_refuses_a_user_without_the_permission(client, make_user):
    sign_in(client, make_user("analyst", roles=("analyst",)))

    response = client.get("/api/v1/users/lookup", {"q": "jones"})

    assert_envelope(response, 403, "forbidden")


@pytest.mark.parametrize(
    "text",
    ["response", "4521", "PC Tom Jones (4521), Response team A", "Tom Jones", "tom  jones", "PC Tom Jones"],
)
def test_user_by_reference_accepts_a_username_collar_number_label_or_full_name(force, text):
    assert selectors.user_by_reference(text) == force["tom"]


def test_user_by_reference_accepts_a_public_id(force):
    assert selectors.user_by_reference(str(force["tom"].public_id)) == force["tom"]


def test_user_by_reference_names_the_field_and_speaks_peoples_words(force, make_user):
    twin = make_user("tjones3", team="CATE")
    twin.first_name, twin.last_name = "Tom", "Jones"
    twin.save()

    with pytest.raises(ValidationFailed) as unknown:
        selectors.user_by_reference("Tom Gone", field="to_user")
    with pytest.raises(ValidationFailed) as twice:
        selectors.user_by_reference("Tom Jones", field="to_user")

    assert unknown.value.fields == {"to_user": ["There is no Haven user called Tom Gone"]}
    assert twice.value.fields == {"to_user": ["More than one person is called Tom Jones: choose from the list"]}
    assert selectors.user_by_reference("PC Tom Jones (4521), Response team A") == force["tom"], (
        "the label tells them apart"
    )
