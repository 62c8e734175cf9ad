"""Changing, ending and removing a person's linked records (aliases, identifiers, contacts,
addresses, flags, relationships): alteration and erasure are logged (the erasure before the row
goes), ending keeps the record, refuge addresses stay out of reach without need-to-know, and a
stale edit is a conflict that keeps what the user typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from haven.audit.models import AccessEvent
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.core.operations import run
from haven.core.testing import sign_in
from haven.people import operations, selectors
from haven.people.models import Address, Alias, Flag, Identifier
from haven.people.selectors import Linked
from haven.people.tests import records
from haven.ui.forms import GovukDateInput


def _events(person: Any, operation: str) -> list[Any]:
    return list(AccessEvent.objects.filter(person_ids__contains=[person.public_id], operation=operation).order_by("id"))


@pytest.mark.django_db
def test_changing_an_alias_is_logged_and_search_finds_the_new_name(
    officer: Any, make_person: Callable[..., Any]
) -> None:
    person = make_person("Kai", "Ward")
    alias = records.add(officer, person, "alias", surname="Smith", kind="nickname")
    records.change(officer, person, alias, surname="Wolfenden", forenames="Kay")
    alias.refresh_from_db()
    assert alias.normalised_name == "kay wolfenden"
    [hit] = selectors.person_search(user=officer, query="Kay Wolfenden")
    assert hit.person == person
    assert hit.matched_as == "Nickname"
    change = _events(person, "alteration")[-1]
    assert change.detail == {"record": "alias", "id": str(alias.public_id), "fields": ["forenames", "surname"]}


@pytest.mark.django_db
def test_changed_nhs_number_still_needs_a_valid_check_digit(officer: Any, make_person: Callable[..., Any]) -> None:
    person = make_person("Kai", "Ward")
    nhs = records.add(officer, person, "identifier", kind="nhs", value="943 476 5919")
    with pytest.raises(ValidationFailed) as refused:
        records.change(officer, person, nhs, value="943 476 5918")
    assert "NHS number" in refused.value.fields["value"][0]
    records.change(officer, person, nhs, value="9434765870")
    assert Identifier.objects.get(pk=nhs.pk).value == "943 476 5870"


@pytest.mark.django_db
def test_dp01_removing_a_record_needs_a_reason_and_logs_the_erasure_before_the_row_goes(
    officer: Any, make_person: Callable[..., Any]
) -> None:
    from pghistory.models import Events

    person = make_person("Kai", "Ward")
    flag = records.add(officer, person, "flag", kind="philomena")
    with pytest.raises(ValidationFailed) as refused:
        run(operations.record_remove, actor=officer, target=Linked(person, flag), data={"reason": " "})
    assert refused.value.fields == {"reason": ["Enter why this is being removed"]}
    records.remove(officer, person, flag, reason="Recorded against the wrong child")
    assert not Flag.objects.filter(pk=flag.pk).exists()
    [erasure] = _events(person, "erasure")
    assert erasure.justification == "Recorded against the wrong child"
    assert erasure.detail == {"record": "flag", "id": str(flag.public_id)}
    # The change history keeps the row's last state as its delete event (DP-01).
    deleted = Events.objects.filter(pgh_obj_model="people.Flag", pgh_obj_id=str(flag.pk), pgh_label="delete")
    assert deleted.count() == 1


@pytest.mark.django_db
def test_ending_a_flag_keeps_it_on_record_as_not_current(
    officer: Any, make_person: Callable[..., Any], clock: Any
) -> None:
    person = make_person("Kai", "Ward")
    flag = records.add(
        officer, person, "flag", kind="looked_after", start_date=date(2020, 1, 1), responsible_authority="Leeds"
    )
    records.end(officer, person, flag)
    flag.refresh_from_db()
    assert flag.end_date == clock.now().date()
    clock.travel(timedelta(days=2))
    assert not flag.is_current
    with pytest.raises(ValidationFailed) as refused:  # an end before the start is refused
        records.end(officer, person, flag, end_date=date(2019, 1, 1))
    assert refused.value.fields == {"end_date": ["The end date must be after the start date"]}


@pytest.mark.django_db
def test_aliases_and_identifiers_cannot_be_ended_only_changed_or_removed(
    officer: Any, make_person: Callable[..., Any]
) -> None:
    person = make_person("Kai", "Ward")
    alias = records.add(officer, person, "alias", surname="Smith")
    with pytest.raises(ValidationFailed):
        records.end(officer, person, alias)


@pytest.mark.django_db
def test_dp06_refuge_address_cannot_be_changed_or_removed_without_need_to_know(
    officer: Any, make_person: Callable[..., Any], make_user: Callable[..., Any], client: Any
) -> None:
    person = make_person("Lily", "Marsh")
    refuge = records.add(officer, person, "address", lines="14 Hidden Lane", kind="refuge")
    outsider = make_user("outsider", roles=("call_handler",))
    with pytest.raises(NotFound):
        records.change(outsider, person, refuge, lines="Elsewhere")
    with pytest.raises(NotFound):
        records.remove(outsider, person, refuge, reason="Wrong")
    sign_in(client, outsider)
    for name in ("people:record-change", "people:record-remove"):
        assert client.get(reverse(name, args=[person.public_id, "address", refuge.public_id])).status_code == 404
    assert Address.objects.get(pk=refuge.pk).lines == "14 Hidden Lane"


@pytest.mark.django_db
def test_a_record_of_another_person_is_not_found_through_this_one(
    officer: Any, make_person: Callable[..., Any]
) -> None:
    first, second = make_person("Kai", "Ward"), make_person("Lee", "Ward")
    alias = records.add(officer, second, "alias", surname="Smith")
    with pytest.raises(NotFound):
        records.change(officer, first, alias, surname="Jones")


@pytest.mark.django_db
def test_stale_change_of_a_record_is_a_conflict(officer: Any, make_person: Callable[..., Any], clock: Any) -> None:
    person = make_person("Kai", "Ward")
    contact = records.add(officer, person, "contact", kind="phone", value="07700 900001")
    seen = contact.updated_at.isoformat()
    clock.travel(timedelta(seconds=5))
    records.change(officer, person, contact, seen=seen, value="07700 900002")
    with pytest.raises(Conflict):
        records.change(officer, person, contact, seen=seen, value="07700 900003")


@pytest.mark.django_db
def test_relationship_is_changed_from_either_persons_page(officer: Any, make_person: Callable[..., Any]) -> None:
    parent, child = make_person("Ann", "Ward"), make_person("Kai", "Ward")
    rel = records.add(officer, parent, "relationship", other=child.public_id, kind="parent")
    records.change(officer, child, rel, kind="carer", note="Kinship carer")
    rel.refresh_from_db()
    assert rel.kind == "carer"
    change = _events(child, "alteration")[-1]
    assert set(change.person_ids) == {parent.public_id, child.public_id}


@pytest.mark.django_db
def test_person_page_lists_records_with_change_and_remove_links(
    officer: Any, make_person: Callable[..., Any], client: Any
) -> None:
    person = make_person("Kai", "Ward")
    alias = records.add(officer, person, "alias", surname="Smith")
    flag = records.add(officer, person, "flag", kind="philomena")
    sign_in(client, officer)
    page = client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert reverse("people:record-change", args=[person.public_id, "alias", alias.public_id]) in page
    assert reverse("people:record-remove", args=[person.public_id, "flag", flag.public_id]) in page
    assert "govuk-summary-list__actions" in page


@pytest.mark.django_db
def test_change_page_saves_and_remove_page_asks_for_a_reason(
    officer: Any, make_person: Callable[..., Any], client: Any
) -> None:
    person = make_person("Kai", "Ward")
    alias = records.add(officer, person, "alias", surname="Smith")
    sign_in(client, officer)
    change = reverse("people:record-change", args=[person.public_id, "alias", alias.public_id])
    form = client.get(change).content.decode()
    assert 'value="Smith"' in form
    assert client.post(change, {"kind": "street_name", "forenames": "", "surname": "Blade"}).status_code == 302
    assert Alias.objects.get(pk=alias.pk).surname == "Blade"
    remove = reverse("people:record-remove", args=[person.public_id, "alias", alias.public_id])
    refused = client.post(remove, {"reason": ""})
    assert refused.status_code == 422
    assert "govuk-error-summary" in refused.content.decode()
    assert "Enter why this is being removed" in refused.content.decode()
    assert client.post(remove, {"reason": "Duplicate of the name above"}).status_code == 302
    assert not Alias.objects.filter(pk=alias.pk).exists()


@pytest.mark.django_db
def test_stale_change_page_shows_the_conflict_and_keeps_what_was_typed(
    officer: Any, make_person: Callable[..., Any], client: Any, clock: Any
) -> None:
    person = make_person("Kai", "Ward")
    alias = records.add(officer, person, "alias", surname="Smith")
    seen = alias.updated_at.isoformat()
    clock.travel(timedelta(seconds=5))
    records.change(officer, person, alias, surname="Smyth")
    sign_in(client, officer)
    change = reverse("people:record-change", args=[person.public_id, "alias", alias.public_id])
    response = client.post(change, {"kind": "alias", "surname": "My careful spelling", "seen": seen})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Someone else changed this name" in page
    assert 'value="My careful spelling"' in page
    assert Alias.objects.get(pk=alias.pk).surname == "Smyth"


@pytest.mark.django_db
def test_ending_an_address_from_the_remove_page(officer: Any, make_person: Callable[..., Any], client: Any) -> None:
    person = make_person("Kai", "Ward")
    address = records.add(officer, person, "address", lines="1 High Street", start_date=date(2020, 1, 1))
    sign_in(client, officer)
    page = client.get(reverse("people:record-remove", args=[person.public_id, "address", address.public_id]))
    assert "It was true but has ended" in page.content.decode()
    end = reverse("people:record-end", args=[person.public_id, "address", address.public_id])
    assert client.post(end, GovukDateInput.post_data("end_date", date(2025, 6, 30), time=False)).status_code == 302
    assert Address.objects.get(pk=address.pk).end_date == date(2025, 6, 30)


@pytest.mark.django_db
def test_an_address_is_added_and_changed_with_its_dates_in_day_month_and_year_boxes(
    officer: Any, make_person: Callable[..., Any], client: Any
) -> None:
    person = make_person("Kai", "Ward")
    sign_in(client, officer)
    add = reverse("people:record-add", args=[person.public_id, "address"])
    assert 'name="start_date-day"' in client.get(add).content.decode()
    response = client.post(
        add,
        {
            "kind": "home",
            "lines": "1 High Street",
            **GovukDateInput.post_data("start_date", date(2020, 1, 1), time=False),
            **GovukDateInput.post_data("end_date", date(2024, 5, 31), time=False),
        },
    )
    assert response.status_code == 302, response.content.decode()
    address = Address.objects.get(person=person)
    assert (address.start_date, address.end_date) == (date(2020, 1, 1), date(2024, 5, 31))
    change = reverse("people:record-change", args=[person.public_id, "address", address.public_id])
    page = client.get(change).content.decode()
    assert 'name="end_date-month" type="text" inputmode="numeric" spellcheck="false" value="5"' in page


@pytest.mark.django_db
def test_a_flag_with_a_half_filled_start_date_is_refused_in_words_and_keeps_what_was_typed(
    officer: Any, make_person: Callable[..., Any], client: Any
) -> None:
    person = make_person("Kai", "Ward")
    sign_in(client, officer)
    add = reverse("people:record-add", args=[person.public_id, "flag"])
    response = client.post(add, {"kind": "philomena", "start_date-month": "13", "start_date-year": "2025"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "govuk-error-summary" in page
    assert "The start date must include a day" in page
    assert 'value="13"' in page
    assert not Flag.objects.filter(person=person).exists()
