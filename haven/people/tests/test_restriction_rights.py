"""Restricting a person (issue 16): who may, with a reason, never locking out the officers of the cases
about them, and shown to those it shuts out. Also the forms' answers that must not tell usernames apart,
direction-changing characters in names, and dates of birth far outside any life."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from pydantic import ValidationError

from haven.audit.models import AccessEvent
from haven.core.errors import Forbidden, ValidationFailed
from haven.core.operations import run
from haven.core.testing import sign_in
from haven.people import operations, selectors, services
from haven.people.schemas import RestrictionIn
from haven.people.tests import records


@pytest.mark.django_db
def test_an_officer_with_no_case_about_the_person_cannot_restrict_them(
    make_person: Callable[..., Any], make_user: Callable[..., Any], make_case: Callable[..., Any]
) -> None:
    owner = make_user("owner", roles=("investigator",), team="CATE")
    stranger = make_user("stranger", roles=("investigator",), team="OTHER")
    person = make_person("Rae", "Quinn")
    make_case(owner, subject=person)
    with pytest.raises(Forbidden):
        services.person_restriction_set(
            actor=stranger, person=person, data=RestrictionIn(is_restricted=True, reason="Mine now")
        )
    person.refresh_from_db()
    assert not person.is_restricted
    assert selectors.person_visible_to(owner).filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_restricting_needs_a_reason_keeps_the_case_owners_as_members_and_logs_it(
    make_person: Callable[..., Any], make_user: Callable[..., Any], make_case: Callable[..., Any]
) -> None:
    owner = make_user("owner", roles=("investigator",), team="CATE")
    sergeant = make_user("sergeant", roles=("supervisor",), team="CATE")
    person = make_person("Rae", "Quinn")
    make_case(owner, subject=person)
    with pytest.raises(ValidationFailed) as refused:
        run(operations.person_restriction_set, actor=sergeant, target=person, data={"is_restricted": True})
    assert "reason" in refused.value.fields
    services.person_restriction_set(
        actor=sergeant, person=person, data=RestrictionIn(is_restricted=True, reason="Threats from her father")
    )
    person.refresh_from_db()
    assert person.is_restricted
    assert person.restricted_by == sergeant
    assert set(person.members.values_list("username", flat=True)) == {"owner", "sergeant"}
    assert selectors.person_visible_to(owner).filter(pk=person.pk).exists()
    logged = AccessEvent.objects.filter(actor=sergeant, detail__restricted=True).get()
    assert logged.justification == "Threats from her father"


@pytest.mark.django_db
def test_those_a_restriction_shuts_out_see_who_restricted_the_person_and_when_but_nothing_else(
    make_person: Callable[..., Any], make_user: Callable[..., Any], make_case: Callable[..., Any], client: Any
) -> None:
    owner = make_user("owner", roles=("investigator",), team="CATE", rank="DC")
    teammate = make_user("teammate", roles=("investigator",), team="CATE")
    person = make_person("Rae", "Quinn", description="Lives with her aunt")
    make_case(owner, subject=person)
    services.person_restriction_set(actor=owner, person=person, data=RestrictionIn(is_restricted=True, reason="Risk"))
    sign_in(client, teammate)
    page = client.get(reverse("people:detail", args=[person.public_id]))
    assert page.status_code == 404
    body = page.content.decode()
    assert f"Restricted by {owner.rank_and_name} on" in body
    assert "Rae" not in body
    assert "aunt" not in body


@pytest.mark.django_db
def test_the_member_form_answers_the_same_for_no_such_user_and_a_user_who_may_not_be_named(
    make_person: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    sergeant = make_user("sergeant", roles=("supervisor",))
    make_user("admin", roles=("administrator",))  # exists, but cannot see the person register
    person = make_person("Rae", "Quinn")
    answers = []
    for name in ("admin", "nobody"):
        with pytest.raises(ValidationFailed) as refused:
            services.person_restriction_set(
                actor=sergeant, person=person, data=RestrictionIn(is_restricted=True, members=[name], reason="x")
            )
        answers.append((refused.value.message, [m.replace(name, "NAME") for m in refused.value.fields["members"]]))
    assert answers[0] == answers[1]


@pytest.mark.django_db
@pytest.mark.parametrize("mark", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f"])
def test_direction_changing_characters_are_refused_in_names_aliases_and_references(
    mark: str, make_person: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    officer = make_user("officer", roles=("investigator",))
    with pytest.raises(ValidationFailed) as refused:
        run(operations.person_create, actor=officer, data={"forenames": "Amy", "surname": f"Jo{mark}nes"})
    assert "surname" in refused.value.fields
    person = make_person("Amy", "Jones")
    with pytest.raises(ValidationError, match="surname"):
        records.add(officer, person, "alias", surname=f"Sm{mark}ith")
    with pytest.raises(ValidationError, match="value"):
        records.add(officer, person, "identifier", kind="pnc", value=f"12/{mark}3456A")


@pytest.mark.django_db
@pytest.mark.parametrize("dob", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_dates_of_birth_outside_any_life_are_a_clear_error_not_a_crash(
    dob: str, make_user: Callable[..., Any], client: Any
) -> None:
    from haven.people.tests.test_refuge_need_to_know import _token_client

    officer = make_user("officer", roles=("investigator",))
    api = _token_client(officer)
    searched = api.get("/api/v1/people", {"q": "Amy Jones", "dob": dob})
    assert searched.status_code == 422, searched.content
    created = api.post(
        "/api/v1/people",
        {"forenames": "Amy", "surname": "Jones", "date_of_birth": dob},
        content_type="application/json",
    )
    assert created.status_code == 422, created.content
    assert "date_of_birth" in created.json()["error"]["fields"]
    earliest = api.post(
        "/api/v1/people",
        {"forenames": "Amy", "surname": "Jones", "date_of_birth_latest": dob},
        content_type="application/json",
    )
    assert earliest.status_code == 422, earliest.content
    sign_in(client, officer)
    year, month, day = dob.split("-")  # typed into the GOV.UK date input's boxes, as a slip would be
    page = client.get(
        reverse("people:search"), {"q": "Amy Jones", "dob-day": day, "dob-month": month, "dob-year": year}
    )
    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode()
    boxes = {"date_of_birth-day": day, "date_of_birth-month": month, "date_of_birth-year": year}
    form = client.post(reverse("people:create"), {"forenames": "Amy", "surname": "Jones", **boxes})
    assert form.status_code == 422
    assert "govuk-error-summary" in form.content.decode()
    assert "The date of birth must be in" in form.content.decode()
