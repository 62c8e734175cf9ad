from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from haven.people import services
from haven.people.models import Person
from haven.people.schemas import PersonUpdateIn
from haven.people.tests import records
from haven.ui.forms import GovukDateInput

REFUGE = "14 Hidden Lane"


@pytest.fixture
def child_in_refuge(officer: Any, make_person: Callable[..., Any]) -> Any:
    person = make_person("Lily", "Marsh", date_of_birth=date(2013, 2, 2))
    records.add(officer, person, "address", lines="1 High Street", kind="home")
    records.add(officer, person, "address", lines=REFUGE, kind="refuge")
    person.members.add(officer)
    return person


@pytest.mark.django_db
def test_search_page_shows_nothing_until_a_query_is_typed(signed_in: Callable[..., Any]) -> None:
    client, _ = signed_in(roles=("call_handler",))
    response = client.get(reverse("people:search"))
    assert response.status_code == 200
    assert "result" not in response.content.decode()


@pytest.mark.django_db
def test_refuge_address_is_absent_for_an_outsider_on_page_and_in_search(
    child_in_refuge: Any, signed_in: Callable[..., Any]
) -> None:
    client, _ = signed_in(roles=("call_handler",))
    page = client.get(reverse("people:detail", args=[child_in_refuge.public_id])).content.decode()
    assert "1 High Street" in page
    assert REFUGE not in page
    results = client.get(reverse("people:search"), {"q": "Lily Marsh"}).content.decode()
    assert "Lily Marsh" in results
    assert REFUGE not in results


@pytest.mark.django_db
def test_refuge_address_is_withheld_even_from_need_to_know_who_are_offered_to_ask(
    child_in_refuge: Any, client: Any, officer: Any
) -> None:
    from haven.core.testing import sign_in

    sign_in(client, officer)
    page = client.get(reverse("people:detail", args=[child_in_refuge.public_id])).content.decode()
    assert REFUGE not in page
    assert "Address withheld (refuge)" in page
    assert reverse("people:refuge", args=[child_in_refuge.public_id]) in page


@pytest.mark.django_db
def test_restricted_person_is_404_for_outsiders(make_person: Callable[..., Any], signed_in: Callable[..., Any]) -> None:
    hidden = make_person("Ivy", "Stone", is_restricted=True)
    client, _ = signed_in(roles=("inspector",))
    assert client.get(reverse("people:detail", args=[hidden.public_id])).status_code == 404
    assert client.get(reverse("people:edit", args=[hidden.public_id])).status_code == 404


@pytest.mark.django_db
def test_sensitive_fields_are_shown_only_with_the_sensitive_permission(
    make_person: Callable[..., Any], signed_in: Callable[..., Any]
) -> None:
    person = make_person("Ada", "Finch", health_notes="Asthma inhaler")
    client, _ = signed_in(roles=("call_handler",))
    assert "Asthma inhaler" not in client.get(reverse("people:detail", args=[person.public_id])).content.decode()


@pytest.mark.django_db
def test_person_page_shows_age_computed_from_date_of_birth(
    make_person: Callable[..., Any], signed_in: Callable[..., Any], clock: Any
) -> None:
    clock.freeze(clock.now().replace(year=2026, month=11, day=28))
    person = make_person("Tom", "Reed", date_of_birth=date(2014, 11, 29))
    client, _ = signed_in(roles=("call_handler",))
    page = client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert person.age == 11
    assert "29 November 2014" in page


@pytest.mark.django_db
def test_stale_edit_shows_conflict_and_keeps_what_was_typed(
    make_person: Callable[..., Any], signed_in: Callable[..., Any], officer: Any
) -> None:
    person = make_person("Oscar", "Lane")
    client, _ = signed_in(roles=("investigator",))
    stale = person.version
    services.person_update(
        actor=officer, person=person, data=PersonUpdateIn(version=stale, description="Changed by someone else")
    )
    response = client.post(
        reverse("people:edit", args=[person.public_id]),
        {"forenames": "Oscar", "surname": "Lane", "sex": "unknown", "description": "My careful note", "version": stale},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Someone else changed this person" in page
    assert "My careful note" in page
    person.refresh_from_db()
    assert person.description == "Changed by someone else"


@pytest.mark.django_db
def test_creating_a_likely_duplicate_shows_matches_and_needs_a_reason(
    make_person: Callable[..., Any], signed_in: Callable[..., Any]
) -> None:
    make_person("Grace", "Holloway", date_of_birth=date(2012, 6, 1))
    client, _ = signed_in(roles=("investigator",))
    data = {
        "forenames": "Grace",
        "surname": "Holoway",
        "sex": "female",
        **GovukDateInput.post_data("date_of_birth", date(2012, 6, 1), time=False),
    }
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-testid="likely-matches"' in page
    assert "Give a reason for creating a new person instead of using a match" in page
    assert "(score" not in page.split('data-testid="likely-matches"')[0]  # the matches are links, not error text
    assert Person.objects.count() == 1
    response = client.post(
        reverse("people:create"), {**data, "duplicate_reason": "Different child, checked with school"}
    )
    assert response.status_code == 302
    assert Person.objects.get(surname="Holoway").duplicate_reason == "Different child, checked with school"


@pytest.mark.django_db
def test_search_page_query_count_does_not_grow_with_results(
    officer: Any, make_person: Callable[..., Any], signed_in: Callable[..., Any], django_assert_max_num_queries: Any
) -> None:
    for i in range(15):
        person = make_person("Jack", "Morgan", date_of_birth=date(2010, 1, 1 + i))
        records.add(officer, person, "alias", surname=f"Morgan{i}")
    client, _ = signed_in(roles=("call_handler",))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("people:search"), {"q": "Jack Morgan"})
    assert response.content.decode().count("Jack Morgan") >= 15


@pytest.mark.django_db
def test_people_nav_item_is_shown_to_searchers(signed_in: Callable[..., Any]) -> None:
    client, _ = signed_in(roles=("call_handler",))
    assert reverse("people:search") in client.get(reverse("ui:home")).content.decode()


@pytest.mark.django_db
def test_dp06_refuge_need_to_know_is_not_case_ownership_the_reader_gave_themselves_nor_team_scope(
    make_person: Callable[..., Any], make_user: Callable[..., Any], officer: Any
) -> None:
    from haven.cases import services as case_services
    from haven.people.selectors import can_see_refuge

    person = make_person("Rose", "Wren")
    records.add(officer, person, "address", lines=REFUGE, kind="refuge")
    owner = make_user("owner", roles=("investigator",), team="CATE")
    teammate = make_user("teammate", roles=("investigator",), team="CATE")
    force_wide = make_user("handler", roles=("call_handler",), team="CONTROL")
    assert not can_see_refuge(owner, person)
    case_services.case_open(actor=owner, subject=person)
    assert not can_see_refuge(owner, person)
    assert not can_see_refuge(teammate, person)
    assert not can_see_refuge(force_wide, person)
    assert can_see_refuge(officer, person), "whoever recorded it"


@pytest.mark.django_db
def test_refused_look_at_a_restricted_person_is_logged_as_denied(
    make_person: Callable[..., Any], signed_in: Callable[..., Any]
) -> None:
    from haven.audit.models import AccessEvent

    hidden = make_person("Ivy", "Stone", is_restricted=True)
    client, outsider = signed_in(roles=("inspector",))
    client.get(reverse("people:detail", args=[hidden.public_id]))
    event = AccessEvent.objects.filter(actor=outsider).get()
    assert event.outcome == "denied"
    assert event.person_ids == [hidden.public_id]


@pytest.mark.django_db
def test_viewing_a_person_page_is_logged_as_consultation(
    make_person: Callable[..., Any], signed_in: Callable[..., Any]
) -> None:
    from haven.audit.models import AccessEvent

    person = make_person("Ada", "Finch")
    client, viewer = signed_in(roles=("call_handler",))
    client.get(reverse("people:detail", args=[person.public_id]))
    event = AccessEvent.objects.filter(actor=viewer).get()
    assert event.operation == "consultation"
    assert event.person_ids == [person.public_id]


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_records(officer: Any, person: Any, other: Any, n: int) -> None:
    for i in range(n):
        records.add(officer, person, "alias", surname=f"Alias{i}")
        records.add(officer, person, "identifier", kind="pnc", value=f"26/{i:06d}A")
        records.add(officer, person, "contact", kind="phone", value=f"07700 9000{i:02d}")
        records.add(officer, person, "address", lines=f"{i} High Street", kind="home")
        records.add(officer, person, "flag", kind="exploitation_risk", note=f"Note {i}")
        records.add(officer, person, "relationship", other=other.public_id, kind="associate")


@pytest.mark.django_db
def test_person_page_query_count_does_not_grow_with_linked_records(
    officer: Any, make_person: Callable[..., Any], client: Any
) -> None:
    from haven.core.testing import sign_in

    person, other = make_person("Tia", "Moss"), make_person("Rob", "Moss")
    _add_records(officer, person, other, 1)
    sign_in(client, officer)
    url = reverse("people:detail", args=[person.public_id])
    few = _queries(client, url)
    _add_records(officer, person, other, 8)
    assert _queries(client, url) == few


@pytest.mark.django_db
def test_duplicates_page_query_count_does_not_grow_with_pairs(
    make_person: Callable[..., Any], signed_in: Callable[..., Any]
) -> None:
    client, _ = signed_in(roles=("analyst",))
    make_person("Jade", "Fletcher", date_of_birth=date(2011, 3, 4))
    make_person("Jade", "Flecher", date_of_birth=date(2011, 3, 4))
    url = reverse("people:duplicates")
    few = _queries(client, url)
    for i in range(8):
        make_person("Owen", f"Marsh{'' if i % 2 else 'e'}", date_of_birth=date(2010, 1, 1 + i // 2))
    page = client.get(url).content.decode()
    assert page.count("Owen") >= 8
    assert _queries(client, url) == few


# --- Dates in the GOV.UK date input (day, month and year boxes) ----------------------------------------


@pytest.mark.django_db
def test_a_person_is_recorded_with_their_date_of_birth_in_day_month_and_year_boxes(
    signed_in: Callable[..., Any],
) -> None:
    client, _ = signed_in(roles=("investigator",))
    page = client.get(reverse("people:create")).content.decode()
    assert 'name="date_of_birth-day"' in page
    assert 'name="date_of_birth_earliest-year"' in page
    assert "2012-03-27" not in page  # no ISO hint: the boxes say "For example, 27 3 2012."
    response = client.post(
        reverse("people:create"),
        {
            "forenames": "Nell",
            "surname": "Quarry",
            "sex": "female",
            "date_of_birth-day": "9",
            "date_of_birth-month": "Feb",  # a month may be typed as a word, GOV.UK style
            "date_of_birth-year": "2014",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert Person.objects.get(surname="Quarry").date_of_birth == date(2014, 2, 9)


@pytest.mark.django_db
def test_a_half_filled_date_of_birth_is_a_gov_uk_error_and_keeps_what_was_typed(
    signed_in: Callable[..., Any],
) -> None:
    client, _ = signed_in(roles=("investigator",))
    response = client.post(
        reverse("people:create"),
        {"forenames": "Nell", "surname": "Quarry", "date_of_birth-day": "9", "date_of_birth-year": "2014"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "govuk-error-summary" in page
    assert "The date of birth must include a month" in page
    assert 'href="#id_date_of_birth-month"' in page  # the summary's link goes to the empty box
    assert 'name="date_of_birth-day" type="text" inputmode="numeric" spellcheck="false" value="9"' in page
    assert 'value="2014"' in page
    assert 'value="Quarry"' in page
    assert not Person.objects.filter(surname="Quarry").exists()


@pytest.mark.django_db
def test_a_future_date_of_birth_in_the_boxes_is_refused_in_words(signed_in: Callable[..., Any]) -> None:
    client, _ = signed_in(roles=("investigator",))
    response = client.post(
        reverse("people:create"),
        {
            "forenames": "Nell",
            "surname": "Quarry",
            **GovukDateInput.post_data("date_of_birth", date(2999, 1, 1), time=False),
        },
    )
    assert response.status_code == 422
    assert "The date of birth must be in the past" in response.content.decode()


@pytest.mark.django_db
def test_searching_by_date_of_birth_in_the_boxes_finds_the_person(
    make_person: Callable[..., Any], signed_in: Callable[..., Any]
) -> None:
    make_person("Rowan", "Teale", date_of_birth=date(2011, 8, 14))
    make_person("Rowan", "Teale", date_of_birth=date(2003, 1, 2))
    client, _ = signed_in(roles=("call_handler",))
    empty = client.get(reverse("people:search")).content.decode()
    assert 'name="dob-day"' in empty
    assert "2012-03-27" not in empty
    response = client.get(reverse("people:search"), GovukDateInput.post_data("dob", date(2011, 8, 14), time=False))
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 result" in page
    assert "14 Aug 2011" in page
    assert "2 Jan 2003" not in page
    assert 'value="14"' in page  # the boxes keep the date searched for


@pytest.mark.django_db
def test_a_half_filled_search_date_of_birth_says_what_is_missing_and_searches_nothing(
    make_person: Callable[..., Any], signed_in: Callable[..., Any]
) -> None:
    make_person("Rowan", "Teale", date_of_birth=date(2011, 8, 14))
    client, _ = signed_in(roles=("call_handler",))
    response = client.get(reverse("people:search"), {"q": "Rowan Teale", "dob-day": "14", "dob-year": "2011"})
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The date of birth must include a month" in page
    assert "result" not in page.split("</form>")[-1]
    assert 'value="Rowan Teale"' in page
