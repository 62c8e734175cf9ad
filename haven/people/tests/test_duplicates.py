"""The analysts' possible-duplicates list: each match rule, what it must not match, and its contract."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.people import selectors, services
from haven.people.schemas import RestrictionIn


@pytest.fixture
def analyst(make_user: Callable[..., Any]) -> Any:
    return make_user("analyst", roles=("analyst",))


def _pairs(user: Any) -> set[frozenset[int]]:
    return {frozenset((p.first.pk, p.second.pk)) for p in selectors.person_duplicate_pairs(user=user)}


@pytest.mark.django_db
def test_a_typo_in_either_name_with_the_same_date_of_birth(make_person: Callable[..., Any], analyst: Any) -> None:
    day = date(2011, 6, 21)
    a = make_person("Keira", "Whitfield", date_of_birth=day)
    b = make_person("Keira", "Whitfeild", date_of_birth=day)  # two letters swapped in the surname
    c = make_person("Kiera", "Whitfield", date_of_birth=day)  # and in the forename
    # b and c are two slips apart (four keystrokes): each is listed with a, not with the other
    assert _pairs(analyst) == {frozenset((a.pk, b.pk)), frozenset((a.pk, c.pk))}


@pytest.mark.django_db
def test_the_same_name_with_the_date_of_birth_a_day_or_ten_days_out(
    make_person: Callable[..., Any], analyst: Any
) -> None:
    a = make_person("Tomasz", "Nowak", date_of_birth=date(2009, 2, 28))
    b = make_person("Tomasz", "Nowak", date_of_birth=date(2009, 3, 1))  # a day out, across the month
    c = make_person("Maja", "Kowalska", date_of_birth=date(2013, 7, 5))
    d = make_person("Maja", "Kowalska", date_of_birth=date(2013, 7, 15))  # the tens digit of the day
    make_person("Maja", "Kowalski", date_of_birth=date(2013, 7, 25))  # ten days out, but another name
    make_person("Tomasz", "Nowak", date_of_birth=date(2009, 3, 4))  # three days out
    assert _pairs(analyst) == {frozenset((a.pk, b.pk)), frozenset((c.pk, d.pk))}


@pytest.mark.django_db
def test_a_hyphenated_surname_gained_or_lost(make_person: Callable[..., Any], analyst: Any) -> None:
    day = date(2010, 1, 30)
    a = make_person("Ruby", "Clarke", date_of_birth=day)
    b = make_person("Ruby", "Clarke-Evans", date_of_birth=day)
    assert _pairs(analyst) == {frozenset((a.pk, b.pk))}


@pytest.mark.django_db
def test_a_variant_two_keystrokes_out_with_the_other_part_the_same(
    make_person: Callable[..., Any], analyst: Any
) -> None:
    day = date(2008, 11, 2)
    a = make_person("Mohammed Ali", "Hussain", date_of_birth=day)
    b = make_person("Muhammed Ali", "Hussain", date_of_birth=day)  # transliterated: one letter out
    make_person("Muhammad Ali", "Husain", date_of_birth=day)  # both parts changed: not listed with a or b
    assert _pairs(analyst) == {frozenset((a.pk, b.pk))}


@pytest.mark.django_db
def test_without_dates_of_birth_names_alone_make_no_pair(make_person: Callable[..., Any], analyst: Any) -> None:
    make_person("Owen", "Pritchard")
    make_person("Owen", "Prichard")
    make_person("Owen", "Pritchard")
    assert _pairs(analyst) == set()


@pytest.mark.django_db
def test_day_and_month_swapped_with_a_typo_but_not_people_who_only_share_a_surname_or_a_date(
    make_person: Callable[..., Any], analyst: Any
) -> None:
    day = date(2012, 5, 9)
    jack = make_person("Jack", "Smith", date_of_birth=day)
    make_person("Emily", "Smith", date_of_birth=day)  # a twin: same surname and date, another forename
    make_person("Jack", "Taylor", date_of_birth=day)  # same forename and date, another surname
    make_person("Jack", "Smith", date_of_birth=date(2012, 8, 20))  # same name, the date months out
    make_person("Jack", "Smith", date_of_birth=date(1985, 5, 9))  # same name and day, another year
    smyth = make_person("Jack", "Smyth", date_of_birth=date(2012, 9, 5))  # day and month swapped, a typo
    assert _pairs(analyst) == {frozenset((jack.pk, smyth.pk))}


@pytest.mark.django_db
def test_restricted_people_only_for_their_members_and_the_list_is_logged(
    make_person: Callable[..., Any], officer: Any, analyst: Any
) -> None:
    day = date(2014, 4, 4)
    a = make_person("Lily", "Hughes", date_of_birth=day)
    b = make_person("Lily", "Hughs", date_of_birth=day, is_restricted=True, actor=officer)
    assert _pairs(analyst) == set()
    services.person_restriction_set(
        actor=officer,
        person=b,
        data=RestrictionIn(is_restricted=True, members=["officer", "analyst"], reason="Analyst to review"),
    )
    assert _pairs(analyst) == {frozenset((a.pk, b.pk))}
    event = AccessEvent.objects.filter(actor=analyst, operation=Operation.CONSULTATION).order_by("-id").first()
    assert event is not None
    assert event.detail["kind"] == "possible_duplicates"
    assert set(event.person_ids) == {a.public_id, b.public_id}
