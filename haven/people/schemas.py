"""The person register's input models (every field rule of its writes) and the API's output schemas,
which read from the people objects themselves (``from_attributes``).

A linked record (alias, identifier, contact, address, flag, relationship) has rules of its kind:
``RECORD_INPUTS`` holds one model per kind, and a record is always checked whole against it, when it
is added and after a change (so a new end date is checked against the start date already recorded).
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from haven.core import clock
from haven.core.errors import ValidationFailed
from haven.core.operations import Input
from haven.core.types import Email, Filled, Line, NhsNumber, PersonName, PhoneNumber, Says, Text, UkPostcode, Username
from haven.people import selectors
from haven.people.choices import AddressKind, ContactKind, FlagKind, IdentifierKind, NameKind, RelationshipKind, Sex
from haven.people.models import Person
from haven.people.photos import MAX_UPLOAD_BYTES, photo_normalise

NOTE_MAX = 5_000
REASON_MAX = 2_000
ADDRESS_MAX = 1_000
MEMBERS_MAX = 500

Given = Filled()  # a required answer: blank (once trimmed) is no answer

Forenames = Annotated[PersonName, Says("the forenames")]
Surname = Annotated[PersonName, Says("the surname")]
Note = Annotated[str, Text(NOTE_MAX), Says("the note")]
Gender = Annotated[str, Line(100), Says("the gender")]
Ethnicity = Annotated[str, Line(100), Says("the ethnicity")]
HealthNotes = Annotated[str, Text(NOTE_MAX), Says("the health notes")]
Description = Annotated[str, Text(NOTE_MAX), Says("the description")]
IdentifierValue = Annotated[str, Line(64), Says("the number or reference")]
ContactValue = Annotated[str, Line(254), Says("the number, address or handle")]
Platform = Annotated[str, Line(64), Says("the platform")]
AddressLines = Annotated[str, Text(ADDRESS_MAX), Says("the address")]
Authority = Annotated[str, Line(200)]  # a local authority's name
Reason = Annotated[str, Text(REASON_MAX, min_length=1)]  # typed in a text area: several lines


EARLIEST_BIRTH_YEAR = 1900


def plausible_birth_date(value: date | None, *, what: str = "The date of birth") -> date | None:
    """A date of birth from 1900 to today: anything else is a slip (0001-01-01, 9999-12-31), refused
    in people's words rather than failing further on (a search window a year either side of year 1)."""
    if value is not None and value.year < EARLIEST_BIRTH_YEAR:
        raise ValueError(f"{what} must be in {EARLIEST_BIRTH_YEAR} or later")
    if value is not None and value > clock.now().date():
        raise ValueError(f"{what} must be in the past")
    return value


def _in_the_past(value: date | None) -> date | None:
    return plausible_birth_date(value)


def _possible(value: date | None) -> date | None:
    return plausible_birth_date(value, what="A possible date of birth")


DateOfBirth = Annotated[date | None, AfterValidator(_in_the_past), Says("the date of birth")]
PossibleDateOfBirth = AfterValidator(_possible)
SearchDateOfBirth = Annotated[date, AfterValidator(_in_the_past)]
"""A date of birth searched for (the API's ``dob``): from 1900 to today."""


def _ends_after_start(cls: type[Any], value: date | None, info: ValidationInfo) -> date | None:
    start = info.data.get("start_date")
    if value is not None and start is not None and value < start:
        raise ValueError("The end date must be after the start date")
    return value


# --- A person --------------------------------------------------------------------------------------------


class PersonIn(Input):
    """A person's details: what every person on the register must have, and may have."""

    forenames: Annotated[Forenames, Given]
    surname: Annotated[Surname, Given]
    date_of_birth: DateOfBirth = None
    date_of_birth_estimated: Annotated[bool, Says("whether the date of birth is an estimate")] = False
    date_of_birth_earliest: Annotated[date | None, PossibleDateOfBirth, Says("the earliest possible date of birth")] = (
        None
    )
    date_of_birth_latest: Annotated[date | None, PossibleDateOfBirth, Says("the latest possible date of birth")] = None
    sex: Annotated[Sex, Says("the sex")] = Sex.UNKNOWN
    gender: Gender = Field(default="", description="Sensitive: people:sensitive:view.")
    ethnicity: Ethnicity = Field(default="", description="Sensitive.")
    health_notes: HealthNotes = Field(default="", description="Sensitive.")
    description: Description = ""

    @field_validator("date_of_birth_latest")
    @classmethod
    def _latest_after_earliest(cls, value: date | None, info: ValidationInfo) -> date | None:
        earliest = info.data.get("date_of_birth_earliest")
        if value is not None and earliest is not None and value < earliest:
            raise ValueError("The latest possible date of birth must be after the earliest")
        return value


PERSON_FIELDS = tuple(PersonIn.model_fields)


class PersonCreateIn(PersonIn):
    duplicate_reason: Annotated[str, Text(NOTE_MAX), Says("the reason for creating a new person")] = Field(
        default="", description="Required when likely matches already exist (the 422 lists them as likely_matches)."
    )
    is_restricted: bool = Field(
        default=False, description="Restricted to named members; whoever records them is the first."
    )


class PersonUpdateIn(Input):
    """A change to a person: only the fields given change. The result is checked as a whole person."""

    version: Annotated[int, Says("the version")] = Field(
        ge=1, le=2_147_483_647, description="The version the change is based on; an older one is a 409 conflict."
    )
    forenames: Forenames | None = None
    surname: Surname | None = None
    date_of_birth: DateOfBirth = None
    date_of_birth_estimated: bool | None = None
    date_of_birth_earliest: Annotated[date | None, PossibleDateOfBirth] = None
    date_of_birth_latest: Annotated[date | None, PossibleDateOfBirth] = None
    sex: Sex | None = None
    gender: Gender | None = None
    ethnicity: Ethnicity | None = None
    health_notes: HealthNotes | None = None
    description: Description | None = None


# --- Linked records ---------------------------------------------------------------------------------------


class _Record(Input):
    model_config = ConfigDict(extra="forbid")


_NHS = TypeAdapter(NhsNumber)
_CONTACT_TYPES = {ContactKind.PHONE: TypeAdapter(PhoneNumber), ContactKind.EMAIL: TypeAdapter(Email)}


def _checked(adapter: TypeAdapter[str], value: str) -> str:
    """``value`` through a shared type (NHS number, phone number, e-mail), its own message if it fails."""
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        raise ValueError(str(exc.errors()[0]["msg"]).removeprefix("Value error, ")) from None


class AliasIn(_Record):
    kind: Annotated[NameKind, Says("the type of name")] = NameKind.ALIAS
    forenames: Forenames = ""
    surname: Annotated[Surname, Given]


class IdentifierIn(_Record):
    """A PNC ID, local-authority ID or NHS number (its modulus-11 check digit checked)."""

    kind: Annotated[IdentifierKind, Says("the type of identifier")]
    value: Annotated[IdentifierValue, Given]

    @field_validator("value")
    @classmethod
    def _nhs_number(cls, value: str, info: ValidationInfo) -> str:
        return _checked(_NHS, value) if info.data.get("kind") == IdentifierKind.NHS else value


class ContactIn(_Record):
    kind: Annotated[ContactKind, Says("the type of contact")]
    value: Annotated[ContactValue, Given]
    platform: Platform = ""

    @field_validator("value")
    @classmethod
    def _phone_number_or_email(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")  # None when the kind itself was refused
        adapter = _CONTACT_TYPES.get(kind) if kind is not None else None  # a social-media handle is any text
        return _checked(adapter, value) if adapter is not None else value


class AddressIn(_Record):
    kind: Annotated[AddressKind, Says("the type of address")] = AddressKind.HOME
    lines: Annotated[AddressLines, Given]
    postcode: Annotated[UkPostcode, Says("the postcode")] = ""
    start_date: Annotated[date | None, Says("the start date")] = None
    end_date: Annotated[date | None, Says("the end date")] = None

    ends_after_start = field_validator("end_date")(_ends_after_start)


class FlagIn(_Record):
    kind: Annotated[FlagKind, Says("the flag")]
    start_date: Annotated[date | None, Says("the start date")] = None
    end_date: Annotated[date | None, Says("the end date")] = None
    responsible_authority: Annotated[Authority, Says("the responsible local authority")] = Field(
        default="", validate_default=True, description="Required for a looked-after child."
    )
    host_authority: Annotated[Authority, Says("the host local authority")] = ""
    note: Note = ""

    ends_after_start = field_validator("end_date")(_ends_after_start)

    @field_validator("responsible_authority")
    @classmethod
    def _named_for_looked_after(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("kind") == FlagKind.LOOKED_AFTER and not value:
            raise ValueError("Enter the responsible local authority")
        return value


class RelationshipIn(_Record):
    """``person`` is ``kind`` of the other person. The other person is named when it is added and
    never changes (remove the relationship and add another)."""

    kind: Annotated[RelationshipKind, Says("the relationship")]
    start_date: Annotated[date | None, Says("the start date")] = None
    end_date: Annotated[date | None, Says("the end date")] = None
    note: Note = ""

    ends_after_start = field_validator("end_date")(_ends_after_start)


class NewRelationshipIn(RelationshipIn):
    other: Annotated[
        UUID,
        Says(
            "the other person's Haven id",
            invalid="Enter the other person's Haven id, shown at the foot of their person page",
        ),
    ]


RECORD_INPUTS: dict[str, type[_Record]] = {
    "alias": AliasIn,
    "identifier": IdentifierIn,
    "contact": ContactIn,
    "address": AddressIn,
    "flag": FlagIn,
    "relationship": RelationshipIn,
}
NEW_RECORD_INPUTS: dict[str, type[_Record]] = {**RECORD_INPUTS, "relationship": NewRelationshipIn}
RECORD_LABELS = {
    "alias": "name",
    "identifier": "identifier",
    "contact": "contact",
    "address": "address",
    "flag": "flag",
    "relationship": "relationship",
}


def endable(kind: str) -> bool:
    """An address, flag or relationship has an end date: it can be ended instead of removed."""
    return "end_date" in RECORD_INPUTS[kind].model_fields


class _RecordValues(_Record):
    kind: Annotated[str, Line(32)] | None = Field(
        default=None, description="The record's type (NameKind, IdentifierKind, FlagKind…)."
    )
    forenames: Forenames | None = None
    surname: Surname | None = None
    value: ContactValue | None = Field(default=None, description="Identifier or contact value.")
    platform: Platform | None = None
    lines: AddressLines | None = Field(default=None, description="Address lines, one per line.")
    postcode: UkPostcode | None = None
    start_date: date | None = None
    end_date: date | None = None
    responsible_authority: Authority | None = None
    host_authority: Authority | None = None
    note: Note | None = None


class RecordIn(_RecordValues):
    """A new linked record's values. Which fields a kind has, which it needs and its types
    (NameKind, IdentifierKind, FlagKind…) are its kind's rules (``RECORD_INPUTS``); other fields are
    refused."""

    other: UUID | None = Field(default=None, description="Adding a relationship: the other person's id.")


class RecordChangeIn(_RecordValues):
    """A change to a linked record: only the fields given change, and the record is then checked
    whole by its kind's rules (``RECORD_INPUTS``). A relationship's other person never changes."""

    seen: datetime | None = Field(
        default=None, description="The record's updated_at when you read it; if it changed since, the answer is 409."
    )


class EndIn(Input):
    end_date: Annotated[date | None, Says("the end date")] = Field(
        default=None, description="When it ended; today if not given."
    )


class RemoveIn(Input):
    reason: Annotated[Reason, Says("the reason", required="Enter why this is being removed")] = Field(
        description="Why it is being removed (recorded in error); logged with the erasure."
    )


# --- Photograph, restriction, merge -----------------------------------------------------------------------


def _upload(value: Any) -> Any:
    """An uploaded file's bytes (a page's or the API's multipart part); at most 5 MB is read."""
    if not hasattr(value, "read"):
        return value
    if (getattr(value, "size", 0) or 0) > MAX_UPLOAD_BYTES:
        raise ValueError("The photograph must be smaller than 5 MB")
    return value.read(MAX_UPLOAD_BYTES + 1)


class PhotoIn(Input):
    photo: Annotated[bytes, BeforeValidator(_upload), Says("the photograph", required="Choose a photograph")] = Field(
        description="A JPEG, PNG or WebP image under 5 MB; Haven keeps a re-encoded JPEG without metadata."
    )


def _photo_given(value: Any) -> Any:
    """A photograph as a page sends it (an uploaded file) or as JSON carries it (base64 text)."""
    if value is None or isinstance(value, bytes):
        return value
    if hasattr(value, "read"):
        return _upload(value)
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("Give the photograph as a JPEG, PNG or WebP image, base64-encoded") from None
    raise ValueError("Give the photograph as a JPEG, PNG or WebP image")


def _photo_checked(value: bytes | None) -> bytes | None:
    """The photograph as Haven keeps it (checked and re-encoded without metadata), or its error in words."""
    if value is None:
        return None
    try:
        return photo_normalise(value).jpeg
    except ValidationFailed as exc:
        raise ValueError(exc.message) from None


PhotoUpload = Annotated[
    bytes | None,
    BeforeValidator(_photo_given),
    AfterValidator(_photo_checked),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "contentEncoding": "base64", "contentMediaType": "image/jpeg"},
                {"type": "null"},
            ],
            "description": "A JPEG, PNG or WebP image under 5 MB, base64-encoded; Haven keeps a re-encoded JPEG "
            "without metadata.",
        }
    ),
    Says("the photograph"),
]
"""A photograph given with another write (a missing-child report): an uploaded file on a page, base64 in
JSON. Checked and re-encoded as :func:`haven.people.photos.photo_normalise` does, so what passes is the JPEG
Haven would keep; the write stores it with ``services.person_photo_set``."""


class ChildStatusIn(Input):
    """What a report about a child (a missing-child report) says of them that the register keeps: their
    looked-after status and authorities, whether a Philomena form is held, the placement they live in,
    their phone numbers and social-media accounts. ``None`` or empty: nothing said, nothing changes."""

    looked_after: bool | None = None
    responsible_authority: Annotated[Authority, Says("the responsible local authority")] = ""
    host_authority: Annotated[Authority, Says("the host local authority")] = ""
    philomena: bool | None = None
    placement_address: Annotated[AddressLines, Says("the placement's address")] = ""
    phone_numbers: list[Annotated[PhoneNumber, Says("the phone number")]] = Field(default_factory=list, max_length=10)
    social_media: list[Annotated[str, Line(200), Says("the social-media account")]] = Field(
        default_factory=list, max_length=10
    )


class PersonBreakGlassIn(Input):
    reason: Annotated[Reason, Says("the reason", required="Enter why you need to see this person")] = Field(
        description="Why you need to see this restricted person now. Logged; members are told."
    )


class RestrictionIn(Input):
    is_restricted: Annotated[bool, Says("whether the person is restricted")]
    members: Annotated[list[Username], Says("the members")] = Field(
        default_factory=list,
        max_length=MEMBERS_MAX,
        description=(
            "Usernames of the members; whoever restricts a person and the owners of open cases about them stay members."
        ),
    )
    reason: Annotated[Reason, Says("the reason", required="Enter why you are changing who may see this person")] = (
        Field(description="Why; logged with the change.")
    )


class RefugeReadIn(Input):
    reason: Annotated[Reason, Says("the reason", required="Enter why you need to see the refuge address now")] = Field(
        description="Why you need to see the refuge address now. Logged with every read (DP-06)."
    )


class MergeIn(Input):
    merged: Annotated[
        UUID, Says("the Haven id of the person to merge", invalid="Enter the Haven id of the person to merge")
    ] = Field(description="The person merged into this one (the survivor), who then points to it.")
    reason: Annotated[Reason, Says("the reason", required="Enter why these are the same person")]


class UnmergeIn(Input):
    """Nothing to say: the merge is undone exactly as it was recorded."""


# --- Output --------------------------------------------------------------------------------------------------


class AliasOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: NameKind
    forenames: str
    surname: str


class IdentifierOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: IdentifierKind
    value: str


class ContactOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: ContactKind
    value: str
    platform: str


class AddressOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: AddressKind
    lines: str
    postcode: str
    start_date: date | None
    end_date: date | None
    withheld: bool = Field(
        default=False,
        description=(
            "A refuge address is always withheld here (lines and postcode empty): read it with "
            "POST /people/{id}/refuge-addresses and a reason, if you have need-to-know."
        ),
    )


class RefugeAddressesOut(Schema):
    """Reads a ``selectors.RefugeAddresses``."""

    person: UUID = Field(alias="person.public_id")
    addresses: list[AddressOut]


class FlagOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: FlagKind
    start_date: date | None
    end_date: date | None
    responsible_authority: str
    host_authority: str
    note: str


class RelationshipOut(Schema):
    """Reads a ``selectors.Related``: the relationship, its label and the other person."""

    id: UUID = Field(alias="record.public_id")
    kind: RelationshipKind = Field(alias="record.kind")
    description: str = Field(alias="label", description="How this person relates to the other: 'Parent of', 'Sibling'…")
    other: UUID = Field(alias="other.public_id", description="The other person's id.")
    start_date: date | None = Field(alias="record.start_date")
    end_date: date | None = Field(alias="record.end_date")
    note: str = Field(alias="record.note")


class PersonSummary(Schema):
    id: UUID = Field(alias="public_id")
    forenames: str
    surname: str
    date_of_birth: date | None
    date_of_birth_estimated: bool
    age: int | None = Field(description="Computed from the date of birth; never stored.")
    sex: Sex
    is_restricted: bool


class PersonOut(Schema):
    """Reads a ``selectors.PersonProfile``: the person, cut to what the caller may see."""

    id: UUID = Field(alias="person.public_id")
    forenames: str = Field(alias="person.forenames")
    surname: str = Field(alias="person.surname")
    date_of_birth: date | None = Field(alias="person.date_of_birth")
    date_of_birth_estimated: bool = Field(alias="person.date_of_birth_estimated")
    age: int | None = Field(alias="person.age", description="Computed from the date of birth; never stored.")
    sex: Sex = Field(alias="person.sex")
    is_restricted: bool = Field(alias="person.is_restricted")
    description: str = Field(alias="person.description")
    version: int = Field(
        alias="person.version", description="Send it back when changing the person; an older version is a 409 conflict."
    )
    sensitive: dict[str, str] | None = Field(description="Gender, ethnicity and health notes; null without the right.")
    aliases: list[AliasOut]
    identifiers: list[IdentifierOut]
    contacts: list[ContactOut]
    addresses: list[AddressOut]
    flags: list[FlagOut]
    relationships: list[RelationshipOut]
    merged_into: UUID | None
    has_photo: bool = Field(description="Whether GET /people/{id}/photo has a photograph to give.")
    refuge_need_to_know: bool = Field(
        alias="refuge_need",
        description="Whether you may read this person's refuge address (POST /people/{id}/refuge-addresses).",
    )
    members: list[str] = Field(description="Usernames of the named members of a restricted person.")

    @staticmethod
    def resolve_sensitive(obj: selectors.PersonProfile) -> dict[str, str] | None:
        return {name: getattr(obj.person, name) for name in Person.SENSITIVE_FIELDS} if obj.show_sensitive else None

    @staticmethod
    def resolve_merged_into(obj: selectors.PersonProfile) -> UUID | None:
        return obj.person.merged_into.public_id if obj.person.merged_into is not None else None

    @staticmethod
    def resolve_has_photo(obj: selectors.PersonProfile) -> bool:
        return obj.photo is not None

    @staticmethod
    def resolve_members(obj: selectors.PersonProfile) -> list[str]:
        return [member.username for member in obj.members]


class SearchHitOut(Schema):
    person: PersonSummary
    score: int
    matched_name: str
    matched_as: str
    signals: list[str]


class RecordKindPath(StrEnum):
    """The kinds of linked record, as they appear in paths."""

    ALIASES = "aliases"
    IDENTIFIERS = "identifiers"
    CONTACTS = "contacts"
    ADDRESSES = "addresses"
    FLAGS = "flags"
    RELATIONSHIPS = "relationships"


KIND_OF_PATH = {
    RecordKindPath.ALIASES: "alias",
    RecordKindPath.IDENTIFIERS: "identifier",
    RecordKindPath.CONTACTS: "contact",
    RecordKindPath.ADDRESSES: "address",
    RecordKindPath.FLAGS: "flag",
    RecordKindPath.RELATIONSHIPS: "relationship",
}


class RecordOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    updated_at: datetime
    values: dict[str, Any] = Field(description="The record's fields, as in the person's record lists.")

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return selectors.record_kind_of(obj)

    @staticmethod
    def resolve_values(obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in RECORD_INPUTS[selectors.record_kind_of(obj)].model_fields}


class PhotoOut(Schema):
    width: int
    height: int
    bytes: int = Field(description="Size of the stored JPEG.")
    uploaded_at: datetime = Field(alias="updated_at")

    @staticmethod
    def resolve_bytes(obj: Any) -> int:
        return len(obj.image)


class BreakGlassOut(Schema):
    person: UUID = Field(alias="person.public_id")
    expires_at: datetime = Field(description="Until when the person is open to you.")


class MergeOut(Schema):
    id: UUID = Field(alias="public_id")
    survivor: UUID = Field(alias="survivor.public_id", description="The person kept.")
    merged: UUID = Field(alias="merged.public_id", description="The person merged into the survivor.")
    reason: str
    at: datetime = Field(alias="created_at")
    field_sources: dict[str, str] = Field(description="For each of the survivor's fields, whose value it kept.")
    unmerged_at: datetime | None = Field(description="When the merge was undone, if it was.")
