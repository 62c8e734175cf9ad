from __future__ import annotations

import io
from typing import Any

import pytest

from haven.people.demo import seed_people
from haven.people.models import Address, Alias, Flag, Person, Relationship
from haven.people.schemas import RECORD_INPUTS
from haven.people.selectors import RECORD_MODELS


@pytest.mark.django_db
def test_demo_people_are_seeded_once_with_families_and_near_duplicates(make_user: Any) -> None:
    assert seed_people(count=120, seed=7) == 120
    assert seed_people(count=120, seed=7) == 0
    assert Person.objects.count() == 120
    assert Relationship.objects.filter(kind="parent").exists()
    assert Relationship.objects.filter(kind="sibling").exists()
    assert Address.objects.exists()
    assert Flag.objects.exists()
    assert Alias.objects.exists()
    assert Person.objects.exclude(duplicate_reason="").exists()
    assert Person.objects.filter(identifiers__kind="nhs").exists()
    for kind, model in RECORD_MODELS.items():  # each record can be changed on its page as it stands
        rules = RECORD_INPUTS[kind]
        for record in model._default_manager.all():
            rules.model_validate({name: getattr(record, name) for name in rules.model_fields})
    from haven.people.selectors import person_duplicate_pairs

    analyst = make_user("analyst", roles=("analyst",))
    assert person_duplicate_pairs(user=analyst)


@pytest.mark.django_db
def test_demo_has_photographs_and_one_restricted_person_with_a_named_member(make_user: Any) -> None:
    from PIL import Image

    from haven.people.models import PersonPhoto

    investigator = make_user("investigator", roles=("investigator",))
    seed_people(count=40, seed=7)
    photo = PersonPhoto.objects.first()
    assert photo is not None
    assert Image.open(io.BytesIO(bytes(photo.image))).format == "JPEG"
    [restricted] = Person.objects.filter(is_restricted=True)
    assert list(restricted.members.all()) == [investigator]
