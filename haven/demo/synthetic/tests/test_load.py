"""Loading a synthetic force into PostgreSQL with COPY: constraints hold and the app works on it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from haven.cases.models import Case
from haven.demo.synthetic import generate
from haven.demo.synthetic.load import force_build, table_models, truth_pairs
from haven.missing.models import Episode
from haven.people.models import Person

pytestmark = pytest.mark.django_db


def test_t0_builds_with_every_row_and_no_dangling_foreign_key() -> None:
    result = force_build(tier="t0", seed=3, stream=None, verify=True)
    assert result.rows["person"] == generate.TIERS["t0"].people == Person.objects.count()
    assert result.rows["episode"] == Episode.objects.count() > 2000
    assert result.orphans == {}
    assert result.truth_pairs == len(truth_pairs(tier="t0", seed=3)) > 100
    # the database computed the generated dmetaphone column as each row arrived
    assert not Person.objects.filter(surname_metaphone__isnull=True).exclude(normalised_surname="").exists()


def test_a_second_run_of_the_same_tier_and_seed_adds_nothing() -> None:
    force_build(tier="t0", seed=3, parts=range(1), stream=None)
    before = Person.objects.count()
    again = force_build(tier="t0", seed=3, parts=range(1), stream=None)
    assert again.rows["person"] == 0
    assert Person.objects.count() == before


def test_after_a_load_new_rows_get_fresh_ids_and_case_references(make_user, make_person, make_case) -> None:
    force_build(tier="t0", seed=3, parts=range(1), stream=None)

    user = make_user(roles=("response_officer",))
    person = make_person("New", "Person")
    assert person.pk > max(r["id"] for r in Person.objects.exclude(pk=person.pk).values("id").order_by("-id")[:1])
    case = make_case(user, subject=person)
    assert not Case.objects.filter(reference=case.reference).exclude(pk=case.pk).exists()


def test_person_search_finds_a_labelled_near_duplicate(make_user) -> None:
    from haven.people.selectors import person_search

    force_build(tier="t0", seed=3, parts=range(1), stream=None)
    user = make_user(roles=("response_officer",))
    pairs = [
        (Person.objects.get(public_id=a), Person.objects.get(public_id=b), how)
        for a, b, how in truth_pairs(tier="t0", seed=3)
    ]
    pairs = [(a, b, how) for a, b, how in pairs if not (a.is_restricted or b.is_restricted) and b.date_of_birth]
    assert pairs
    for original, duplicate, how in pairs:
        hits = person_search(user=user, query=duplicate.full_name, date_of_birth=duplicate.date_of_birth)
        assert original.pk in {h.person.pk for h in hits}, (how, original.full_name, duplicate.full_name)


def test_case_and_episode_pages_read_the_loaded_force(make_user) -> None:
    from haven.cases.selectors import case_get, case_page
    from haven.missing.selectors import episode_get, episode_page

    force_build(tier="t0", seed=3, parts=range(1), stream=None)
    inspector = make_user(roles=("inspector",), rank="INSP")
    episode = Episode.objects.filter(state__in=["open", "reported"]).first() or Episode.objects.first()
    assert episode is not None
    case = case_get(user=inspector, public_id=episode.case.public_id)
    page = case_page(user=inspector, case=case)
    assert page["timeline"].exists()  # type: ignore[attr-defined]
    found = episode_get(user=inspector, public_id=episode.public_id)
    assert episode_page(user=inspector, episode=found)


def test_the_live_deadlines_of_missing_children_are_due_around_now() -> None:
    from haven.deadlines.models import Deadline

    force_build(tier="t0", seed=3, stream=None)
    live = Deadline.objects.filter(state__in=["open", "breached"])
    assert live.exists()
    assert not live.exclude(case__state="open").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(due_at) - min(due_at) FROM deadlines_deadline WHERE state IN ('open', 'breached')")
        (spread,) = cursor.fetchone()
    assert spread < timedelta(days=8)


def test_every_model_the_generator_fills_is_loaded_in_order() -> None:
    assert list(table_models()) == list(generate.CAPS)
