"""Opening a case about (or linking one to) a restricted person or a person with a refuge address is an
access alert for the auditors (issue 16): the s62 row carries ``detail["alert"]``, a sentence the
auditors' alerts page lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haven.audit.models import AccessEvent
from haven.cases import services
from haven.cases.selectors import cases_owned_about
from haven.people import services as people_services
from haven.people.schemas import RecordIn
from haven.people.selectors import PersonRecords


def _refuge(officer: Any, person: Any) -> None:
    """``officer`` records a refuge address for ``person``."""
    people_services.record_add(
        actor=officer, records=PersonRecords(person, "address"), data=RecordIn(lines="14 Hidden Lane", kind="refuge")
    )


def _opening(case: Any) -> AccessEvent:
    return AccessEvent.objects.filter(operation="collection", case_ids__contains=[case.public_id]).get()


@pytest.mark.django_db
def test_dp06_opening_a_case_about_a_person_with_a_refuge_address_raises_an_access_alert(
    make_user: Callable[..., Any], make_person: Callable[..., Any], make_case: Callable[..., Any]
) -> None:
    officer = make_user("officer", roles=("investigator",), team="CATE")
    plain = make_case(officer, subject=make_person("Amy", "Plain"))
    assert "alert" not in _opening(plain).detail
    child = make_person("Lily", "Marsh")
    _refuge(officer, child)
    case = make_case(officer, subject=child)
    assert _opening(case).detail["alert"] == "Opened a case about a person with a refuge address."


@pytest.mark.django_db
def test_opening_a_case_about_a_restricted_person_raises_an_access_alert(
    make_user: Callable[..., Any], make_person: Callable[..., Any], make_case: Callable[..., Any]
) -> None:
    officer = make_user("officer", roles=("investigator",), team="CATE")
    hidden = make_person("Ivy", "Stone", is_restricted=True, actor=officer)
    case = make_case(officer, subject=hidden)
    assert _opening(case).detail["alert"] == "Opened a case about a restricted person."


@pytest.mark.django_db
def test_linking_a_person_with_a_refuge_address_to_a_case_raises_an_access_alert(
    make_user: Callable[..., Any], make_person: Callable[..., Any], make_case: Callable[..., Any]
) -> None:
    officer = make_user("officer", roles=("investigator",), team="CATE")
    case = make_case(officer)
    mother = make_person("Ann", "Marsh")
    _refuge(officer, mother)
    services.involvement_add(actor=officer, case=case, person=mother, role="carer")
    linked = AccessEvent.objects.filter(detail__involvement="carer").get()
    assert linked.detail["alert"] == "Linked a case to a person with a refuge address."


@pytest.mark.django_db
def test_dp06_cases_owned_about_says_whether_the_owner_opened_the_case_themselves(
    make_user: Callable[..., Any], make_person: Callable[..., Any], make_case: Callable[..., Any]
) -> None:
    opener = make_user("opener", roles=("investigator",), team="CATE")
    successor = make_user("successor", roles=("investigator",), team="CATE")
    person = make_person("Rose", "Wren")
    case = make_case(opener, subject=person)
    (mine,) = cases_owned_about(user=opener, person=person)
    assert mine.opened_by_owner
    services.case_handover(actor=opener, case=case, data=services.HandoverIn(to_user="successor", reason="Leave"))
    services.case_handover_acknowledge(actor=successor, case=case)
    (given,) = cases_owned_about(user=successor, person=person)
    assert not given.opened_by_owner
    assert cases_owned_about(user=opener, person=person) == []
