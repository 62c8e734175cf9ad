"""The people permission matrix, generated from the role permissions (haven.core.permissions): every
person endpoint × every role × an open person / a restricted person they are a member of / a
restricted person they are not. Each cell answers exactly what the permissions and the restriction
say: 403 without the permission, 404 for a restricted person outside their members (the same as no
person at all), 200 otherwise. Zero unexpected allows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from haven.core.permissions import ROLE_PERMISSIONS, Perm, Role
from haven.core.testing import sign_in
from haven.people import services
from haven.people.schemas import PersonCreateIn, RestrictionIn
from haven.people.tests import records


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # {id}: the person; {alias}: one of their aliases
    perm: Perm


ENDPOINTS = [
    Endpoint("person page", "/people/{id}/", Perm.PEOPLE_PERSON_SEARCH),
    Endpoint("photo upload page", "/people/{id}/photo/upload/", Perm.PEOPLE_PERSON_CREATE),
    Endpoint("edit page", "/people/{id}/edit/", Perm.PEOPLE_PERSON_CREATE),
    Endpoint("restriction page", "/people/{id}/restriction/", Perm.PEOPLE_PERSON_CREATE),
    Endpoint("change a name", "/people/{id}/alias/{alias}/change/", Perm.PEOPLE_PERSON_CREATE),
    Endpoint("remove a name", "/people/{id}/alias/{alias}/remove/", Perm.PEOPLE_PERSON_CREATE),
    Endpoint("API person", "/api/v1/people/{id}", Perm.PEOPLE_PERSON_SEARCH),
]
SITUATIONS = ("open", "member", "not member")


def expected(role: Role, endpoint: Endpoint, situation: str) -> int:
    if endpoint.perm not in ROLE_PERMISSIONS[role]:
        return 403
    if situation == "not member":
        return 404
    if endpoint.name == "restriction page" and role not in (Role.SUPERVISOR, Role.INSPECTOR):
        return 403  # restricting needs a supervisor or the officer of a case about the person
    return 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_people_endpoints_answer_exactly_as_permissions_and_restriction_say(role: Role, make_user: Any) -> None:
    creator = make_user("creator", roles=("supervisor",))  # a supervisor may restrict
    user = make_user("someone", roles=(role.value,))
    people = {}
    for situation in SITUATIONS:
        person = services.person_create(
            actor=creator,
            data=PersonCreateIn(forenames="Matrix", surname=situation.title(), duplicate_reason="matrix"),
        )
        alias = records.add(creator, person, "alias", surname=f"Alias {situation}")
        if situation != "open":
            members = [user.username] if situation == "member" and user.has_perm(Perm.PEOPLE_PERSON_SEARCH) else []
            services.person_restriction_set(
                actor=creator, person=person, data=RestrictionIn(is_restricted=True, members=members, reason="Matrix")
            )
        people[situation] = (person, alias)
    client = Client()
    sign_in(client, user)
    unexpected = []
    for endpoint in ENDPOINTS:
        for situation in SITUATIONS:
            person, alias = people[situation]
            want = expected(role, endpoint, situation)
            if situation == "member" and not user.has_perm(Perm.PEOPLE_PERSON_SEARCH):
                want = 403 if endpoint.perm not in ROLE_PERMISSIONS[role] else 404
            path = endpoint.path.format(id=person.public_id, alias=alias.public_id)
            got = client.get(path).status_code
            if got != want:
                unexpected.append(f"{role.value} {endpoint.name} ({situation}): {got}, expected {want}")
    assert unexpected == []
