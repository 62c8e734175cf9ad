"""Every write to the person register, declared once: input model, permission, service, API route, page.

A path's ``{public_id}`` is loaded through the people selectors (404 for a person the caller may
not see); a refusal is logged and kept, as every read of a person is.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from haven.accounts.models import User
from haven.core.errors import NotFound
from haven.core.operations import Api, declare
from haven.core.permissions import Perm
from haven.people import selectors, services
from haven.people.models import Merge, Person
from haven.people.schemas import (
    KIND_OF_PATH,
    BreakGlassOut,
    EndIn,
    MergeIn,
    MergeOut,
    PersonBreakGlassIn,
    PersonCreateIn,
    PersonOut,
    PersonUpdateIn,
    PhotoIn,
    PhotoOut,
    RecordChangeIn,
    RecordIn,
    RecordKindPath,
    RecordOut,
    RefugeAddressesOut,
    RefugeReadIn,
    RemoveIn,
    RestrictionIn,
    UnmergeIn,
)

KIND = {"kind": RecordKindPath}


def _person(actor: User, public_id: UUID) -> Person:
    return selectors.person_get(user=actor, public_id=public_id, log=False)


def _glass(actor: User, public_id: UUID) -> Person:
    """A restricted person whose glass the actor may break (404 for anyone else, as for no person)."""
    person = selectors.person_may_break_glass(user=actor, public_id=public_id)
    if person is None:
        raise NotFound("Not found.")
    return person


def _records(actor: User, public_id: UUID, kind: RecordKindPath) -> selectors.PersonRecords:
    return selectors.PersonRecords(_person(actor, public_id), KIND_OF_PATH[kind])


def _linked(actor: User, public_id: UUID, kind: RecordKindPath, record_id: UUID) -> selectors.Linked:
    person = _person(actor, public_id)
    record = selectors.person_record_get(user=actor, person=person, kind=KIND_OF_PATH[kind], public_id=record_id)
    return selectors.Linked(person, record)


def _merge(actor: User, merge_id: UUID) -> Merge:
    return selectors.merge_get(user=actor, public_id=merge_id, log=False)  # the un-merge logs itself


def _profile(actor: User, result: Any) -> selectors.PersonProfile:
    """The person as the writer now sees them (a read, logged as one)."""
    return selectors.person_profile(user=actor, public_id=result.public_id)


person_create = declare(
    "people.person_create",
    input=PersonCreateIn,
    perm=Perm.PEOPLE_PERSON_CREATE,
    service=services.person_create,
    api=Api("POST", "", out=PersonOut, answer=_profile, errors=(), summary="Record a person"),
    page="people:create",
)

person_update = declare(
    "people.person_update",
    input=PersonUpdateIn,
    perm=Perm.PEOPLE_PERSON_CREATE,
    service=services.person_update,
    target="person",
    api=Api(
        "PATCH", "/{public_id}", out=PersonOut, status=200, load=_person, answer=_profile, summary="Change a person"
    ),
    page="people:edit",
)

person_photo_set = declare(
    "people.person_photo_set",
    input=PhotoIn,
    perm=Perm.PEOPLE_PERSON_CREATE,
    service=services.person_photo_set,
    target="person",
    api=Api(
        "POST",
        "/{public_id}/photo",
        out=PhotoOut,
        load=_person,
        errors=(),
        summary="Upload or replace the photograph (multipart, field 'photo')",
        description="A JPEG, PNG or WebP image under 5 MB; Haven keeps a re-encoded JPEG without metadata.",
    ),
    page="people:photo-upload",
)

person_restriction_set = declare(
    "people.person_restriction_set",
    input=RestrictionIn,
    perm=Perm.PEOPLE_PERSON_CREATE,
    service=services.person_restriction_set,
    target="person",
    api=Api(
        "PUT",
        "/{public_id}/restriction",
        out=PersonOut,
        status=200,
        load=_person,
        answer=_profile,
        errors=(),
        summary="Restrict a person to named members",
    ),
    page="people:restriction",
)

refuge_addresses_read = declare(
    "people.refuge_addresses_read",
    input=RefugeReadIn,
    perm=Perm.PEOPLE_PERSON_SEARCH,
    service=services.refuge_addresses_read,
    target="person",
    api=Api(
        "POST",
        "/{public_id}/refuge-addresses",
        out=RefugeAddressesOut,
        status=200,
        load=_person,
        errors=(),
        summary="Read the refuge addresses you have need-to-know for, giving a reason (DP-06)",
        description="Every read is logged with the reason; without need-to-know the answer is 403.",
    ),
    page="people:refuge",
)

person_break_glass = declare(
    "people.person_break_glass",
    input=PersonBreakGlassIn,
    perm=Perm.PEOPLE_PERSON_SEARCH,
    service=services.person_break_glass,
    target="person",
    api=Api(
        "POST",
        "/{public_id}/break-glass",
        out=BreakGlassOut,
        status=200,
        load=_glass,
        errors=(),
        summary="Break the glass on a restricted person",
    ),
    page="people:break-glass",
)

person_merge = declare(
    "people.person_merge",
    input=MergeIn,
    perm=Perm.PEOPLE_PERSON_MERGE,
    service=services.person_merge,
    target="survivor",
    api=Api(
        "POST",
        "/{public_id}/merges",
        out=MergeOut,
        load=_person,
        errors=(),
        summary="Merge another person into this one (reversible)",
    ),
    page="people:merge",
)

person_unmerge = declare(
    "people.person_unmerge",
    input=UnmergeIn,
    perm=Perm.PEOPLE_PERSON_MERGE,
    service=services.person_unmerge,
    target="merge",
    api=Api(
        "POST",
        "/merges/{merge_id}/undo",
        out=MergeOut,
        status=200,
        load=_merge,
        summary="Undo a merge exactly",
    ),
    page="people:unmerge",
)

# Linked records: the kind of record is in the path (aliases, identifiers, contacts, addresses,
# flags, relationships); the service checks the values by that kind's rules.

record_add = declare(
    "people.record_add",
    input=RecordIn,
    perm=Perm.PEOPLE_PERSON_CREATE,
    service=services.record_add,
    target="records",
    api=Api(
        "POST",
        "/{public_id}/{kind}",
        out=RecordOut,
        load=_records,
        path_types=KIND,
        errors=(),
        summary="Add a linked record",
    ),
    page="people:record-add",
)

record_update = declare(
    "people.record_update",
    input=RecordChangeIn,
    perm=Perm.PEOPLE_PERSON_CREATE,
    service=services.record_update,
    target="linked",
    api=Api(
        "PATCH",
        "/{public_id}/{kind}/{record_id}",
        out=RecordOut,
        status=200,
        load=_linked,
        path_types=KIND,
        summary="Change a linked record",
    ),
    page="people:record-change",
)

record_end = declare(
    "people.record_end",
    input=EndIn,
    perm=Perm.PEOPLE_PERSON_CREATE,
    service=services.record_end,
    target="linked",
    api=Api(
        "POST",
        "/{public_id}/{kind}/{record_id}/end",
        out=RecordOut,
        status=200,
        load=_linked,
        path_types=KIND,
        errors=(),
        summary="End an address, flag or relationship",
    ),
    page="people:record-end",
)

record_remove = declare(
    "people.record_remove",
    input=RemoveIn,
    perm=Perm.PEOPLE_PERSON_CREATE,
    service=services.record_remove,
    target="linked",
    api=Api(
        "POST",
        "/{public_id}/{kind}/{record_id}/remove",
        out=None,
        status=204,
        load=_linked,
        path_types=KIND,
        errors=(),
        summary="Remove a linked record recorded in error",
        description="The reason is given in the JSON body and logged with the erasure.",
    ),
    page="people:record-remove",
)

# Mounted in this order: a literal segment (photo, restriction, merges) before ``{kind}`` takes it.
ALL = (
    person_create,
    person_update,
    person_photo_set,
    person_restriction_set,
    refuge_addresses_read,
    person_break_glass,
    person_merge,
    person_unmerge,
    record_add,
    record_update,
    record_end,
    record_remove,
)
