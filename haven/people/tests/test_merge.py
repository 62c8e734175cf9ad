from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.people import selectors, services
from haven.people.schemas import MergeIn, UnmergeIn
from haven.people.tests import records

TABLES = [
    "people_person",
    "people_person_members",
    "people_alias",
    "people_identifier",
    "people_contact",
    "people_address",
    "people_flag",
    "people_relationship",
]


def _dump() -> dict[str, list[tuple[Any, ...]]]:
    dump = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - fixed table names
            dump[table] = cursor.fetchall()
    return dump


@pytest.fixture
def analyst(make_user: Callable[..., Any]) -> Any:
    return make_user("analyst", roles=("analyst",))


@pytest.fixture
def two_records(officer: Any, make_person: Callable[..., Any], make_user: Callable[..., Any]) -> tuple[Any, Any]:
    first = make_person("Jayden", "Cole", date_of_birth=date(2011, 7, 9))
    second = make_person("Jaiden", "Cole", description="Known at school", ethnicity="White British")
    mother = make_person("Sarah", "Cole")
    records.add(officer, second, "alias", surname="JC", kind="street_name")
    records.add(officer, second, "identifier", kind="nhs", value="943 476 5919")
    records.add(officer, second, "contact", kind="phone", value="07700 900123")
    records.add(officer, second, "address", lines="2 Mill Road", kind="care_placement")
    records.add(officer, second, "flag", kind="looked_after", responsible_authority="Leeds")
    records.add(officer, mother, "relationship", other=second.public_id, kind="parent")
    records.add(officer, second, "relationship", other=first.public_id, kind="associate")
    second.members.add(make_user("keyworker", roles=("investigator",)))
    return first, second


@pytest.mark.django_db
def test_merge_then_unmerge_leaves_the_tables_as_they_were(two_records: tuple[Any, Any], analyst: Any) -> None:
    first, second = two_records
    before = _dump()
    merge = services.person_merge(
        actor=analyst, survivor=first, data=MergeIn(merged=second.public_id, reason="Same child, same school")
    )
    assert _dump() != before
    services.person_unmerge(actor=analyst, merge=merge, data=UnmergeIn())
    assert _dump() == before


@pytest.mark.django_db
def test_merge_moves_linked_records_and_records_where_each_field_came_from(
    two_records: tuple[Any, Any], analyst: Any
) -> None:
    first, second = two_records
    merge = services.person_merge(
        actor=analyst, survivor=first, data=MergeIn(merged=second.public_id, reason="Same child")
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first
    assert first.description == "Known at school"
    assert merge.field_sources["description"] == "merged"
    assert merge.field_sources["date_of_birth"] == "survivor"
    assert {a.surname for a in first.aliases.all()} == {"JC", "Cole"}
    assert first.identifiers.count() == first.addresses.count() == first.flags.count() == 1
    assert {m["model"] for m in merge.moved} >= {"people.Alias", "people.Identifier", "people.Relationship"}


@pytest.mark.django_db
def test_merged_person_drops_out_of_search(two_records: tuple[Any, Any], analyst: Any, officer: Any) -> None:
    first, second = two_records
    services.person_merge(actor=analyst, survivor=first, data=MergeIn(merged=second.public_id, reason="Same child"))
    hits = selectors.person_search(user=officer, query="Jaiden Cole")
    assert second.pk not in [h.person.pk for h in hits]
    assert hits[0].person == first


@pytest.mark.django_db
def test_merge_and_unmerge_are_logged_as_combination(two_records: tuple[Any, Any], analyst: Any) -> None:
    first, second = two_records
    last = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    merge = services.person_merge(
        actor=analyst, survivor=first, data=MergeIn(merged=second.public_id, reason="Same child")
    )
    services.person_unmerge(actor=analyst, merge=merge, data=UnmergeIn())
    events = list(AccessEvent.objects.filter(id__gt=last, operation=Operation.COMBINATION))
    assert len(events) == 2
    assert all(set(e.person_ids) == {first.public_id, second.public_id} for e in events)


@pytest.mark.django_db
def test_possible_duplicates_lists_alike_names_with_same_dob(
    make_person: Callable[..., Any], analyst: Any, officer: Any
) -> None:
    a = make_person("Freya", "Dawson", date_of_birth=date(2012, 3, 4))
    b = make_person("Freya", "Dawsen", date_of_birth=date(2012, 4, 3))
    make_person("Freya", "Dawson", date_of_birth=date(1990, 1, 1))
    pairs = selectors.person_duplicate_pairs(user=analyst)
    assert [(p.first.pk, p.second.pk) for p in pairs] == [(a.pk, b.pk)]
    assert selectors.person_duplicate_pairs(user=officer) == []


@pytest.mark.django_db
def test_analyst_merges_from_duplicates_list_and_undoes_it(
    make_person: Callable[..., Any], signed_in: Callable[..., Any], django_assert_max_num_queries: Any
) -> None:
    from django.urls import reverse

    from haven.people.models import Merge

    a = make_person("Freya", "Dawson", date_of_birth=date(2012, 3, 4))
    b = make_person("Freya", "Dawsen", date_of_birth=date(2012, 3, 4))
    for i in range(5):
        make_person("Jo", f"Pair{i}", date_of_birth=date(2001, 1, 1 + i))
        make_person("Jo", f"Pair{i}", date_of_birth=date(2001, 1, 1 + i))
    client, _ = signed_in(roles=("analyst",))
    with django_assert_max_num_queries(22):
        page = client.get(reverse("people:duplicates")).content.decode()
    assert reverse("people:merge", args=[a.public_id, b.public_id]) in page
    response = client.post(reverse("people:merge", args=[a.public_id, b.public_id]), {"reason": "Same school record"})
    merge = Merge.objects.get()
    assert response["Location"] == reverse("people:merge-detail", args=[merge.public_id])
    b.refresh_from_db()
    assert b.merged_into == a
    client.post(reverse("people:unmerge", args=[merge.public_id]))
    b.refresh_from_db()
    assert b.merged_into is None


@pytest.mark.django_db
def test_merge_pages_are_forbidden_without_the_merge_permission(
    make_person: Callable[..., Any], signed_in: Callable[..., Any]
) -> None:
    from django.urls import reverse

    a = make_person("Freya", "Dawson")
    b = make_person("Freya", "Dawsen")
    client, _ = signed_in(roles=("investigator",))
    assert client.get(reverse("people:duplicates")).status_code == 403
    assert client.post(reverse("people:merge", args=[a.public_id, b.public_id]), {"reason": "x"}).status_code == 403


@pytest.mark.django_db
def test_merge_moves_case_links_and_unmerge_puts_them_back(
    make_person: Callable[..., Any], make_user: Callable[..., Any], analyst: Any
) -> None:
    from haven.cases import services as case_services
    from haven.cases.models import Involvement

    kept = make_person("Mia", "Ford", date_of_birth=date(2012, 1, 2))
    merged = make_person("Mya", "Ford", date_of_birth=date(2012, 1, 2))
    owner = make_user("owner", roles=("investigator",))
    case = case_services.case_open(actor=owner, subject=merged)
    links = list(Involvement.objects.filter(person=merged).values_list("pk", flat=True))
    merge = services.person_merge(
        actor=analyst, survivor=kept, data=MergeIn(merged=merged.public_id, reason="Same child")
    )
    case.refresh_from_db()
    assert case.subject == kept
    assert set(Involvement.objects.filter(person=kept).values_list("pk", flat=True)) >= set(links)
    services.person_unmerge(actor=analyst, merge=merge, data=UnmergeIn())
    case.refresh_from_db()
    assert case.subject == merged
    assert list(Involvement.objects.filter(person=merged).values_list("pk", flat=True)) == links


@pytest.mark.django_db
def test_merge_refuses_people_linked_twice_to_the_same_case_role(
    make_person: Callable[..., Any], make_user: Callable[..., Any], analyst: Any
) -> None:
    from haven.cases import services as case_services
    from haven.core.errors import ValidationFailed

    first = make_person("Mia", "Ford")
    second = make_person("Mya", "Ford")
    owner = make_user("owner", roles=("investigator",))
    case = case_services.case_open(actor=owner, subject=first)
    case_services.involvement_add(actor=owner, case=case, person=first, role="witness")
    case_services.involvement_add(actor=owner, case=case, person=second, role="witness")
    with pytest.raises(ValidationFailed):
        services.person_merge(actor=analyst, survivor=first, data=MergeIn(merged=second.public_id, reason="Same child"))
    second.refresh_from_db()
    assert second.merged_into is None
