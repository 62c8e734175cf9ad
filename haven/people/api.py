"""The people routes of the JSON API (registered in haven/api/api.py at /api/v1/people).

Every read goes through the people selectors and is logged (s62 consultation); a person the caller
may not see answers 404, exactly like one that does not exist. A refuge address appears only for
callers with need-to-know; sensitive fields only with ``people:sensitive:view``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from haven.api.auth import require
from haven.api.errors import errors
from haven.core.errors import ValidationFailed
from haven.core.permissions import Perm
from haven.people import selectors, services
from haven.people.choices import AddressKind, FlagKind, IdentifierKind, NameKind
from haven.people.models import Sex

router = Router(tags=["people"])

PlainText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$", max_length=200)]
LongText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", max_length=5000)]


class AliasOut(Schema):
    kind: NameKind
    forenames: str
    surname: str


class IdentifierOut(Schema):
    kind: IdentifierKind
    value: str


class AddressOut(Schema):
    kind: AddressKind
    lines: str
    postcode: str
    start_date: date | None
    end_date: date | None


class FlagOut(Schema):
    kind: FlagKind
    start_date: date | None
    end_date: date | None
    responsible_authority: str
    host_authority: str


class PersonSummary(Schema):
    id: UUID
    forenames: str
    surname: str
    date_of_birth: date | None
    date_of_birth_estimated: bool
    age: int | None = Field(description="Computed from the date of birth; never stored.")
    sex: Sex
    is_restricted: bool


class PersonOut(PersonSummary):
    description: str
    version: int = Field(description="Send it back when changing the person; an older version is a 409 conflict.")
    sensitive: dict[str, str] | None = Field(description="Gender, ethnicity and health notes; null without the right.")
    aliases: list[AliasOut]
    identifiers: list[IdentifierOut]
    addresses: list[AddressOut]
    flags: list[FlagOut]
    merged_into: UUID | None


class SearchHitOut(Schema):
    person: PersonSummary
    score: int
    matched_name: str
    matched_as: str
    signals: list[str]


class PersonIn(Schema):
    forenames: PlainText
    surname: PlainText
    date_of_birth: date | None = None
    date_of_birth_estimated: bool = False
    sex: Sex = Sex.UNKNOWN
    description: LongText = ""
    duplicate_reason: LongText = Field("", description="Required when likely matches already exist.")


class PersonPatch(Schema):
    version: int = Field(description="The version the change is based on.")
    forenames: PlainText | None = None
    surname: PlainText | None = None
    date_of_birth: date | None = None
    date_of_birth_estimated: bool | None = None
    sex: Sex | None = None
    description: LongText | None = None


def _summary(person: Any) -> dict[str, Any]:
    return {
        "id": person.public_id,
        "forenames": person.forenames,
        "surname": person.surname,
        "date_of_birth": person.date_of_birth,
        "date_of_birth_estimated": person.date_of_birth_estimated,
        "age": person.age,
        "sex": person.sex,
        "is_restricted": person.is_restricted,
    }


def _person_out(profile: selectors.PersonProfile) -> dict[str, Any]:
    person = profile.person
    sensitive = {name: getattr(person, name) for name in person.SENSITIVE_FIELDS} if profile.show_sensitive else None
    return {
        **_summary(person),
        "description": person.description,
        "version": person.version,
        "sensitive": sensitive,
        "aliases": profile.aliases,
        "identifiers": profile.identifiers,
        "addresses": profile.addresses,
        "flags": profile.flags,
        "merged_into": person.merged_into.public_id if person.merged_into is not None else None,
    }


@router.get("", response={200: list[SearchHitOut], **errors(422)}, summary="Search people")
def person_search(
    request: HttpRequest,
    q: Annotated[PlainText, Query(description="Name; typo-tolerant, aliases included.")] = "",
    dob: Annotated[date | None, Query(description="Date of birth, exact or approximate.")] = None,
) -> list[dict[str, Any]]:
    user = require(request, Perm.PEOPLE_PERSON_SEARCH)
    hits = selectors.person_search(user=user, query=q, date_of_birth=dob)
    return [
        {
            "person": _summary(h.person),
            "score": h.score,
            "matched_name": h.matched_name,
            "matched_as": h.matched_as,
            "signals": h.signals,
        }
        for h in hits
    ]


@router.get("/{public_id}", response={200: PersonOut, **errors(404, 422)}, summary="One person")
def person_get(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    user = require(request, Perm.PEOPLE_PERSON_SEARCH)
    return _person_out(selectors.person_profile(user=user, public_id=public_id))


@router.post("", response={201: PersonOut, **errors(400, 422)}, summary="Record a person")
def person_create(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    user = require(request, Perm.PEOPLE_PERSON_CREATE)
    with transaction.atomic():
        person = services.person_create(actor=user, **payload.dict())
        return Status(201, _person_out(selectors.person_profile(user=user, public_id=person.public_id)))


@router.patch("/{public_id}", response={200: PersonOut, **errors(400, 404, 409, 422)}, summary="Change a person")
def person_update(request: HttpRequest, public_id: UUID, payload: PersonPatch) -> dict[str, Any]:
    user = require(request, Perm.PEOPLE_PERSON_CREATE)
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version")
    if any(value is None and name != "date_of_birth" for name, value in fields.items()):
        raise ValidationFailed(
            "Fields may not be null.", fields={n: ["May not be null."] for n, v in fields.items() if v is None}
        )
    with transaction.atomic():
        person = selectors.person_get(user=user, public_id=public_id, log=False)
        services.person_update(actor=user, person=person, version=version, **fields)
        return _person_out(selectors.person_profile(user=user, public_id=public_id))
