"""The people routes of the JSON API (registered in config/api.py at /api/v1/people).

Every read goes through the people selectors and is logged (s62 consultation); a person the caller
may not see answers 404, exactly like one that does not exist. A refuge address appears only for
callers with need-to-know; sensitive fields only with ``people:sensitive:view``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from haven.api.auth import require
from haven.api.errors import errors
from haven.core.errors import HavenError, NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.people import selectors, services
from haven.people.choices import AddressKind, ContactKind, FlagKind, IdentifierKind, NameKind, RelationshipKind, Sex
from haven.people.photos import MAX_UPLOAD_BYTES

router = Router(tags=["people"])

PlainText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$", max_length=200)]
LongText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", max_length=5000)]


class AliasOut(Schema):
    id: UUID
    kind: NameKind
    forenames: str
    surname: str


class IdentifierOut(Schema):
    id: UUID
    kind: IdentifierKind
    value: str


class ContactOut(Schema):
    id: UUID
    kind: ContactKind
    value: str
    platform: str


class AddressOut(Schema):
    id: UUID
    kind: AddressKind
    lines: str
    postcode: str
    start_date: date | None
    end_date: date | None


class FlagOut(Schema):
    id: UUID
    kind: FlagKind
    start_date: date | None
    end_date: date | None
    responsible_authority: str
    host_authority: str
    note: str


class RelationshipOut(Schema):
    id: UUID
    kind: RelationshipKind
    description: str = Field(description="How this person relates to the other: 'Parent of', 'Sibling'…")
    other: UUID = Field(description="The other person's id.")
    start_date: date | None
    end_date: date | None
    note: str


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
    contacts: list[ContactOut]
    addresses: list[AddressOut]
    flags: list[FlagOut]
    relationships: list[RelationshipOut]
    merged_into: UUID | None
    has_photo: bool = Field(description="Whether GET /people/{id}/photo has a photograph to give.")
    members: list[str] = Field(description="Usernames of the named members of a restricted person.")


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
        "aliases": [_record_out("alias", r) for r in profile.aliases],
        "identifiers": [_record_out("identifier", r) for r in profile.identifiers],
        "contacts": [_record_out("contact", r) for r in profile.contacts],
        "addresses": [_record_out("address", r) for r in profile.addresses],
        "flags": [_record_out("flag", r) for r in profile.flags],
        "relationships": [
            {**_record_out("relationship", rel), "description": label, "other": other.public_id}
            for label, rel, other in profile.relationships
        ],
        "merged_into": person.merged_into.public_id if person.merged_into is not None else None,
        "has_photo": profile.photo is not None,
        "members": [m.username for m in profile.members],
    }


_RECORD_FIELDS = {
    "alias": ("kind", "forenames", "surname"),
    "identifier": ("kind", "value"),
    "contact": ("kind", "value", "platform"),
    "address": ("kind", "lines", "postcode", "start_date", "end_date"),
    "flag": ("kind", "start_date", "end_date", "responsible_authority", "host_authority", "note"),
    "relationship": ("kind", "start_date", "end_date", "note"),
}


def _record_out(kind: str, record: Any) -> dict[str, Any]:
    return {"id": record.public_id, **{name: getattr(record, name) for name in _RECORD_FIELDS[kind]}}


@router.get("", response={200: list[SearchHitOut], **errors(422)}, summary="Search people")
def person_search(
    request: HttpRequest,
    q: Annotated[PlainText, Query(description="Name; typo-tolerant, aliases included.")] = "",
    dob: Annotated[date | None, Query(description="Date of birth, exact or approximate.")] = None,
    age: Annotated[
        int | None, Query(ge=0, le=120, description="Age in years: narrows a name search to about that age.")
    ] = None,
) -> list[dict[str, Any]]:
    user = require(request, Perm.PEOPLE_PERSON_SEARCH)
    hits = selectors.person_search(user=user, query=q, date_of_birth=dob, age=age)
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
    person = selectors.person_get(user=user, public_id=public_id, log=False)  # a refusal is logged and kept
    with transaction.atomic():
        services.person_update(actor=user, person=person, version=version, **fields)
        return _person_out(selectors.person_profile(user=user, public_id=public_id))


# --- Photograph ---------------------------------------------------------------------------------------


class PhotoOut(Schema):
    width: int
    height: int
    bytes: int = Field(description="Size of the stored JPEG.")
    uploaded_at: datetime


class BadRequest(HavenError):
    """The request body cannot be read (for instance multipart without a boundary)."""

    code = "bad_request"
    status = 400


_PHOTO_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"photo": {"type": "string", "format": "binary", "description": "The image file."}},
                "required": ["photo"],
            }
        }
    },
}


@router.post(
    "/{public_id}/photo",
    response={201: PhotoOut, **errors(400, 403, 404, 422)},
    summary="Upload or replace the photograph (multipart, field 'photo')",
    openapi_extra={"requestBody": _PHOTO_BODY},
)
def photo_upload(request: HttpRequest, public_id: UUID) -> Status[dict[str, Any]]:
    """A JPEG, PNG or WebP image under 5 MB; Haven keeps a re-encoded JPEG without metadata."""
    user = require(request, Perm.PEOPLE_PERSON_CREATE)
    try:
        photo = request.FILES.get("photo")
    except MultiPartParserError:
        raise BadRequest("The request body is not valid multipart form data.") from None
    if photo is None:
        raise ValidationFailed(
            "Choose a photograph.", fields={"photo": ["Send the image as the multipart field photo"]}
        )
    person = selectors.person_get(user=user, public_id=public_id, log=False)  # a refusal is logged and kept
    with transaction.atomic():
        if photo.size is not None and photo.size > MAX_UPLOAD_BYTES:
            raise ValidationFailed("Too big.", fields={"photo": ["The photograph must be smaller than 5 MB"]})
        saved = services.person_photo_set(actor=user, person=person, data=photo.read(MAX_UPLOAD_BYTES + 1))
        return Status(
            201,
            {"width": saved.width, "height": saved.height, "bytes": len(saved.image), "uploaded_at": saved.updated_at},
        )


@router.get(
    "/{public_id}/photo",
    response={200: None, **errors(404, 422)},
    summary="The photograph (JPEG)",
    openapi_extra={
        "responses": {
            200: {  # an int, like Ninja's own keys: "200" would be a second, duplicate key in the JSON
                "description": "The photograph as a JPEG.",
                "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def photo_get(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = require(request, Perm.PEOPLE_PERSON_SEARCH)
    person = selectors.person_get(user=user, public_id=public_id, log=False)
    image = selectors.person_photo(user=user, person=person)
    if image is None:
        raise NotFound("This person has no photograph.")
    response = HttpResponse(image, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


# --- Restricted people ----------------------------------------------------------------------------------


class BreakGlassIn(Schema):
    reason: LongText = Field(description="Why you need to see this restricted person now. Logged; members are told.")


class BreakGlassOut(Schema):
    person: UUID
    expires_at: datetime = Field(description="Until when the person is open to you.")


@router.post(
    "/{public_id}/break-glass",
    response={200: BreakGlassOut, **errors(400, 404, 422)},
    summary="Break the glass on a restricted person",
)
def break_glass(request: HttpRequest, public_id: UUID, payload: BreakGlassIn) -> dict[str, Any]:
    user = require(request, Perm.PEOPLE_PERSON_SEARCH)
    person = services.person_break_glass(actor=user, public_id=public_id, reason=payload.reason)
    return {"person": person.public_id, "expires_at": person.glass_breaks.filter(user=user).latest("at").expires_at}


class RestrictionIn(Schema):
    is_restricted: bool
    members: list[Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$", max_length=150)]] = Field(
        default_factory=list, description="Usernames of the members; whoever restricts a person stays a member."
    )


@router.put(
    "/{public_id}/restriction",
    response={200: PersonOut, **errors(400, 403, 404, 422)},
    summary="Restrict a person to named members",
)
def restriction_set(request: HttpRequest, public_id: UUID, payload: RestrictionIn) -> dict[str, Any]:
    user = require(request, Perm.PEOPLE_PERSON_CREATE)
    found = {u.username: u for u in get_user_model().objects.filter(username__in=payload.members)}
    unknown = sorted(set(payload.members) - set(found))
    if unknown:
        raise ValidationFailed(
            "Check the members.", fields={"members": [f"No Haven user is called {', '.join(unknown)}"]}
        )
    person = selectors.person_get(user=user, public_id=public_id, log=False)  # a refusal is logged and kept
    with transaction.atomic():
        services.person_restriction_set(
            actor=user, person=person, is_restricted=payload.is_restricted, members=list(found.values())
        )
        return _person_out(selectors.person_profile(user=user, public_id=public_id))


# --- Linked records ----------------------------------------------------------------------------------


class RecordKindPath(StrEnum):
    """The kinds of linked record, as they appear in paths."""

    ALIASES = "aliases"
    IDENTIFIERS = "identifiers"
    CONTACTS = "contacts"
    ADDRESSES = "addresses"
    FLAGS = "flags"
    RELATIONSHIPS = "relationships"


_KIND_OF_PATH = {
    RecordKindPath.ALIASES: "alias",
    RecordKindPath.IDENTIFIERS: "identifier",
    RecordKindPath.CONTACTS: "contact",
    RecordKindPath.ADDRESSES: "address",
    RecordKindPath.FLAGS: "flag",
    RecordKindPath.RELATIONSHIPS: "relationship",
}


class RecordIn(Schema):
    """The values of a linked record. Which fields apply depends on its kind; others are refused."""

    kind: PlainText | None = Field(None, description="The record's type (NameKind, IdentifierKind, FlagKind…).")
    forenames: PlainText | None = None
    surname: PlainText | None = None
    value: PlainText | None = Field(None, description="Identifier or contact value.")
    platform: PlainText | None = None
    lines: LongText | None = Field(None, description="Address lines, one per line.")
    postcode: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9 ]*$", max_length=10)] | None = None
    start_date: date | None = None
    end_date: date | None = None
    responsible_authority: PlainText | None = None
    host_authority: PlainText | None = None
    note: LongText | None = None
    other: UUID | None = Field(None, description="Adding a relationship: the other person's id.")


class RecordPatch(RecordIn):
    seen: datetime | None = Field(
        None, description="The record's updated_at when you read it; if it changed since, the answer is 409."
    )


class RecordOut(Schema):
    id: UUID
    kind: str
    updated_at: datetime
    values: dict[str, Any] = Field(description="The record's fields, as in the person's record lists.")


class EndIn(Schema):
    end_date: date | None = Field(None, description="When it ended; today if not given.")


def _fields(kind: str, payload: RecordIn, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    given = payload.dict(exclude_unset=True, exclude={"seen", "other", *exclude})
    wrong = sorted(set(given) - set(_RECORD_FIELDS[kind]))
    if wrong:
        raise ValidationFailed(
            f"A {kind} has no such fields.", fields={name: [f"Not a field of a {kind}."] for name in wrong}
        )
    text_fields = {n for n in given if n not in ("start_date", "end_date")}
    nulls = sorted(n for n in text_fields if given[n] is None)
    if nulls:
        raise ValidationFailed("Fields may not be null.", fields={n: ["May not be null."] for n in nulls})
    return given


def _record_response(kind: str, record: Any) -> dict[str, Any]:
    values = _record_out(kind, record)
    values.pop("id")
    return {"id": record.public_id, "kind": kind, "updated_at": record.updated_at, "values": values}


_ADD: dict[str, Callable[..., Any]] = {
    "alias": services.alias_add,
    "identifier": services.identifier_add,
    "contact": services.contact_add,
    "address": services.address_add,
    "flag": services.flag_add,
}
_REQUIRED = {
    "alias": ("surname",),
    "identifier": ("kind", "value"),
    "contact": ("kind", "value"),
    "address": ("lines",),
    "flag": ("kind",),
    "relationship": ("kind", "other"),
}


@router.post(
    "/{public_id}/{kind}", response={201: RecordOut, **errors(400, 403, 404, 422)}, summary="Add a linked record"
)
def record_add(
    request: HttpRequest, public_id: UUID, kind: RecordKindPath, payload: RecordIn
) -> Status[dict[str, Any]]:
    user = require(request, Perm.PEOPLE_PERSON_CREATE)
    name = _KIND_OF_PATH[kind]
    missing = [n for n in _REQUIRED[name] if getattr(payload, n) in (None, "")]
    if missing:
        raise ValidationFailed("Some fields are required.", fields={n: ["Required."] for n in missing})
    fields = _fields(name, payload)
    person = selectors.person_get(user=user, public_id=public_id, log=False)  # a refusal is logged and kept
    with transaction.atomic():
        if name == "relationship":
            try:
                other = selectors.person_get(user=user, public_id=payload.other, log=False)
            except NotFound:
                raise ValidationFailed("Check the other person.", fields={"other": ["No such person"]}) from None
            record = services.relationship_add(actor=user, person=person, other=other, **fields)
        else:
            record = _ADD[name](actor=user, person=person, **fields)
        return Status(201, _record_response(name, record))


@router.patch(
    "/{public_id}/{kind}/{record_id}",
    response={200: RecordOut, **errors(400, 403, 404, 409, 422)},
    summary="Change a linked record",
)
def record_update(
    request: HttpRequest, public_id: UUID, kind: RecordKindPath, record_id: UUID, payload: RecordPatch
) -> dict[str, Any]:
    user = require(request, Perm.PEOPLE_PERSON_CREATE)
    name = _KIND_OF_PATH[kind]
    if payload.other is not None:
        raise ValidationFailed(
            "A relationship's other person cannot change.", fields={"other": ["Remove it and add a new one."]}
        )
    fields = _fields(name, payload)
    person = selectors.person_get(user=user, public_id=public_id, log=False)  # a refusal is logged and kept
    with transaction.atomic():
        record = selectors.person_record_get(user=user, person=person, kind=name, public_id=record_id)
        record = services.record_update(actor=user, person=person, record=record, seen=payload.seen, **fields)
        return _record_response(name, record)


@router.post(
    "/{public_id}/{kind}/{record_id}/end",
    response={200: RecordOut, **errors(400, 403, 404, 422)},
    summary="End an address, flag or relationship",
)
def record_end(
    request: HttpRequest, public_id: UUID, kind: RecordKindPath, record_id: UUID, payload: EndIn
) -> dict[str, Any]:
    user = require(request, Perm.PEOPLE_PERSON_CREATE)
    name = _KIND_OF_PATH[kind]
    person = selectors.person_get(user=user, public_id=public_id, log=False)  # a refusal is logged and kept
    with transaction.atomic():
        record = selectors.person_record_get(user=user, person=person, kind=name, public_id=record_id)
        record = services.record_end(actor=user, person=person, record=record, end_date=payload.end_date)
        return _record_response(name, record)


@router.delete(
    "/{public_id}/{kind}/{record_id}",
    response={204: None, **errors(403, 404, 422)},
    summary="Remove a linked record recorded in error",
)
def record_remove(
    request: HttpRequest,
    public_id: UUID,
    kind: RecordKindPath,
    record_id: UUID,
    reason: Annotated[LongText, Query(description="Why it is being removed; logged with the erasure.")],
) -> Status[None]:
    user = require(request, Perm.PEOPLE_PERSON_CREATE)
    name = _KIND_OF_PATH[kind]
    person = selectors.person_get(user=user, public_id=public_id, log=False)  # a refusal is logged and kept
    with transaction.atomic():
        record = selectors.person_record_get(user=user, person=person, kind=name, public_id=record_id)
        services.record_remove(actor=user, person=person, record=record, reason=reason)
    return Status(204, None)
