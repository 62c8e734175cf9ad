from __future__ import annotations

import string
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.people import selectors
from haven.people.tests import records

DOB = date(2012, 5, 17)


def _ids(hits: list[Any]) -> list[Any]:
    return [h.person.pk for h in hits]


@pytest.mark.django_db
def test_search_with_empty_query_returns_nothing_and_logs_nothing(officer: Any) -> None:
    assert selectors.person_search(user=officer, query="  ") == []
    assert not AccessEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["O'Brien", "OBrien", "o brien", "o'brien"])
def test_apostrophes_and_spacing_fold_in_search(officer: Any, make_person: Callable[..., Any], query: str) -> None:
    person = make_person("Sean", "O'Brien")
    make_person("Sean", "Robinson")
    hits = selectors.person_search(user=officer, query=query)
    assert hits[0].person == person


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Zoe Smith", "Zoë Smith", "ZOË SMITH"])
def test_accents_fold_in_search(officer: Any, make_person: Callable[..., Any], query: str) -> None:
    person = make_person("Zoë", "Smith")
    assert selectors.person_search(user=officer, query=query)[0].person == person


@pytest.mark.django_db
def test_search_finds_people_by_alias_and_says_which_name_matched(
    officer: Any, make_person: Callable[..., Any]
) -> None:
    person = make_person("Kayleigh", "Thompson")
    records.add(officer, person, "alias", forenames="", surname="Kaybee", kind="street_name")
    hit = selectors.person_search(user=officer, query="Kaybee")[0]
    assert hit.person == person
    assert hit.matched_as == "Street name"
    assert hit.matched_name == "Kaybee"


@pytest.mark.django_db
def test_search_result_says_why_it_matched_with_a_score(officer: Any, make_person: Callable[..., Any]) -> None:
    make_person("Liam", "Walker", date_of_birth=DOB)
    hit = selectors.person_search(user=officer, query="Liam Wlaker", date_of_birth=DOB)[0]
    assert "Exact date of birth" in hit.signals
    assert any(s.startswith("Name similarity") for s in hit.signals)
    assert 0 < hit.score <= 100


@pytest.mark.django_db
def test_search_finds_swapped_day_and_month(officer: Any, make_person: Callable[..., Any]) -> None:
    person = make_person("Ella", "Hughes", date_of_birth=date(2011, 3, 4))
    hit = selectors.person_search(user=officer, query="Ella Hughes", date_of_birth=date(2011, 4, 3))[0]
    assert hit.person == person
    assert "Date of birth with day and month swapped" in hit.signals


@pytest.mark.django_db
def test_search_narrowed_by_age_leaves_out_people_of_other_ages(
    officer: Any, make_person: Callable[..., Any], clock: Any
) -> None:
    clock.freeze(clock.now().replace(year=2026, month=11, day=28))
    child = make_person("Noah", "Patel", date_of_birth=date(2012, 1, 1))
    make_person("Noah", "Patel", date_of_birth=date(1980, 1, 1), duplicate_reason="father")
    hits = selectors.person_search(user=officer, query="Noah Patel", age=14)
    assert _ids(hits) == [child.pk]


@pytest.mark.django_db
def test_every_search_is_logged_as_consultation_with_query_and_ids(
    officer: Any, make_person: Callable[..., Any]
) -> None:
    person = make_person("Maya", "Fletcher")
    last = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    selectors.person_search(user=officer, query="Maya Fletcher")
    event = AccessEvent.objects.get(id__gt=last)
    assert event.operation == Operation.CONSULTATION
    assert event.query == "Maya Fletcher"
    assert event.person_ids == [person.public_id]
    assert event.actor == officer


@pytest.mark.django_db
def test_restricted_person_appears_in_search_only_for_members(
    officer: Any, make_person: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    hidden = make_person("Ruby", "Castle", is_restricted=True, actor=officer)  # its first member
    outsider = make_user("outsider", roles=("supervisor",))
    assert selectors.person_search(user=outsider, query="Ruby Castle") == []
    assert _ids(selectors.person_search(user=officer, query="Ruby Castle")) == [hidden.pk]


SURNAMES = [
    "Anderson",
    "Bennett",
    "Chapman",
    "Davies",
    "Fletcher",
    "Griffiths",
    "Harrison",
    "Jenkins",
    "Kennedy",
    "Lawrence",
    "Mitchell",
    "Norris",
    "Osborne",
    "Parker",
    "Richardson",
    "Stevens",
    "Turner",
    "Walker",
]


def _typo(word: str, position: int, letter: str, kind: str) -> str:
    position %= len(word)
    if kind == "substitute":
        replacement = letter if letter != word[position].lower() else ("a" if letter != "a" else "e")
        return word[:position] + replacement + word[position + 1 :]
    if kind == "delete":
        return word[:position] + word[position + 1 :]
    if kind == "insert":
        return word[:position] + letter + word[position:]
    position = min(position, len(word) - 2)  # transpose with the next letter
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    surname=st.sampled_from(SURNAMES),
    position=st.integers(min_value=0, max_value=20),
    letter=st.sampled_from(string.ascii_lowercase),
    kind=st.sampled_from(["substitute", "delete", "insert", "transpose"]),
)
def test_one_typo_in_surname_still_finds_person_with_exact_dob_in_top_three(
    officer: Any, surname: str, position: int, letter: str, kind: str
) -> None:
    from haven.people.models import Person
    from haven.people.schemas import PersonCreateIn
    from haven.people.services import person_create

    Person.objects.all().delete()
    for i, other in enumerate(SURNAMES):
        born = date(2010, 1, 1 + i)
        person_create(
            actor=officer,
            data=PersonCreateIn(forenames="Sam", surname=other, date_of_birth=born, duplicate_reason="x"),
        )
    target = person_create(
        actor=officer, data=PersonCreateIn(forenames="Sam", surname=surname, date_of_birth=DOB, duplicate_reason="x")
    )
    query = f"Sam {_typo(surname, position, letter, kind)}"
    hits = selectors.person_search(user=officer, query=query, date_of_birth=DOB, log=False)
    assert target.pk in _ids(hits)[:3], (query, [(h.person.surname, h.score) for h in hits[:5]])


@pytest.mark.django_db
def test_update_with_stale_version_is_a_conflict(officer: Any, make_person: Callable[..., Any]) -> None:
    from haven.core.errors import Conflict
    from haven.people import services
    from haven.people.schemas import PersonUpdateIn

    person = make_person("Evie", "Shaw")
    services.person_update(actor=officer, person=person, data=PersonUpdateIn(version=1, description="one"))
    with pytest.raises(Conflict):
        services.person_update(actor=officer, person=person, data=PersonUpdateIn(version=1, description="two"))


@pytest.mark.django_db
def test_invalid_nhs_number_is_refused(officer: Any, make_person: Callable[..., Any]) -> None:
    from haven.core.errors import ValidationFailed

    person = make_person("Evie", "Shaw")
    with pytest.raises(ValidationFailed):
        records.add(officer, person, "identifier", kind="nhs", value="943 476 5918")


@pytest.mark.django_db
def test_search_by_dob_finds_person_whose_estimated_range_includes_it(
    officer: Any, make_person: Callable[..., Any]
) -> None:
    person = make_person(
        "Unknown", "Boy", date_of_birth_earliest=date(2011, 1, 1), date_of_birth_latest=date(2012, 12, 31)
    )
    hit = selectors.person_search(user=officer, query="Unknown Boy", date_of_birth=date(2012, 6, 1))[0]
    assert hit.person == person
    assert "Within the estimated date-of-birth range" in hit.signals


@pytest.mark.django_db
def test_the_person_searched_for_is_scored_even_behind_hundreds_of_alphabetically_earlier_candidates(
    officer: Any, make_person: Callable[..., Any]
) -> None:
    from haven.people.models import Person
    from haven.people.rules import normalise_name

    # A common surname: hundreds of sound-alike candidates in the window sort before the one wanted.
    Person.objects.bulk_create(
        Person(
            forenames=f"Aaron {string.ascii_uppercase[i % 26]}",
            surname="Smith",
            normalised_name=normalise_name(f"Aaron {string.ascii_uppercase[i % 26]} Smith"),
            normalised_surname="smith",
            date_of_birth=date(2010, 1, 1 + i % 28),
        )
        for i in range(max(600, selectors.CANDIDATES * 3))  # more than any cut, old (500) or new
    )
    wanted = make_person("Zara", "Smyth", date_of_birth=date(2010, 6, 15))
    hits = selectors.person_search(user=officer, query="Zara Smith", date_of_birth=date(2010, 6, 15))
    assert hits[0].person == wanted
