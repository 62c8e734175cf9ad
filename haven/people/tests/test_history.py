"""DP-01 (alteration and erasure): every people model that holds personal data keeps field-level change history (insert,
update and delete events by database trigger), so even ``.update()`` and deletes are recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from pghistory.models import Events

from haven.people.models import Alias, Person
from haven.people.tests import records

PERSONAL_DATA_MODELS = [
    "Person",
    "Alias",
    "Identifier",
    "Contact",
    "Address",
    "Flag",
    "Relationship",
    "Merge",
    "PersonPhoto",
    "PersonBreakGlass",
]


@pytest.mark.parametrize("name", PERSONAL_DATA_MODELS)
def test_dp01_every_personal_data_model_has_an_event_model(name: str) -> None:
    event_model = apps.get_model("people", f"{name}Event")
    assert event_model._meta.get_field("pgh_obj").related_model is apps.get_model("people", name)


@pytest.mark.django_db
def test_dp01_queryset_update_and_delete_are_recorded(officer: Any, make_person: Callable[..., Any]) -> None:
    person = make_person("Kai", "Ward")
    Person.objects.filter(pk=person.pk).update(description="Changed behind the services' back")
    alias = records.add(officer, person, "alias", surname="Smith")
    alias_pk = alias.pk
    Alias.objects.filter(pk=alias_pk).update(surname="Smyth")
    Alias.objects.filter(pk=alias_pk).delete()
    person_events = Events.objects.filter(pgh_obj_model="people.Person", pgh_obj_id=str(person.pk))
    assert {"insert", "update"} <= set(person_events.values_list("pgh_label", flat=True))
    alias_events = Events.objects.filter(pgh_obj_model="people.Alias", pgh_obj_id=str(alias_pk))
    assert sorted(alias_events.values_list("pgh_label", flat=True)) == ["delete", "insert", "update"]
    deleted = alias_events.get(pgh_label="delete")
    assert deleted.pgh_data["surname"] == "Smyth"  # the erased row's last state


def test_photo_history_does_not_copy_the_image_bytes() -> None:
    event_model = apps.get_model("people", "PersonPhotoEvent")
    names = {f.name for f in event_model._meta.get_fields()}
    assert "image" not in names
    assert "sha256" in names
