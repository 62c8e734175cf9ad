"""Every write to the person register. Keyword-only, one transaction each, permission checked, logged.

Creating a person is logged as collection, every change as alteration, a merge and an un-merge as
combination (the s62 log, haven.audit). Services keep the normalised name columns in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from haven.audit.choices import Operation
from haven.core import clock
from haven.core.errors import Conflict, Forbidden, ValidationFailed
from haven.core.permissions import Perm
from haven.people import s62, selectors
from haven.people.choices import IdentifierKind
from haven.people.models import Address, Alias, Contact, Flag, Identifier, Merge, Person, Relationship
from haven.people.rules import nhs_number_is_valid, normalise_identifier, normalise_name

if TYPE_CHECKING:
    from haven.accounts.models import User

PERSON_FIELDS = (
    "forenames",
    "surname",
    "date_of_birth",
    "date_of_birth_estimated",
    "date_of_birth_earliest",
    "date_of_birth_latest",
    "sex",
    "gender",
    "ethnicity",
    "health_notes",
    "description",
)


def _require(actor: User, perm: Perm) -> None:
    if not actor.has_perm(perm):
        raise Forbidden("You do not have permission to do this.")


def _full_clean(obj: Any, *, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ValidationFailed("Check the details you entered.", fields=exc.message_dict) from exc


def _set_names(obj: Person | Alias) -> None:
    obj.normalised_surname = normalise_name(obj.surname)
    obj.normalised_name = normalise_name(f"{obj.forenames} {obj.surname}")


def _check_person(person: Person) -> None:
    errors: dict[str, list[str]] = {}
    if not person.surname.strip():
        errors["surname"] = ["Enter the surname"]
    today = clock.now().date()
    if person.date_of_birth and person.date_of_birth > today:
        errors["date_of_birth"] = ["Date of birth must be in the past"]
    lo, hi = person.date_of_birth_earliest, person.date_of_birth_latest
    if lo and hi and lo > hi:
        errors["date_of_birth_latest"] = ["The latest possible date of birth must be after the earliest"]
    if errors:
        raise ValidationFailed("Check the details you entered.", fields=errors)


@transaction.atomic
def person_create(
    *,
    actor: User,
    forenames: str,
    surname: str,
    duplicate_reason: str = "",
    is_restricted: bool = False,
    **fields: Any,
) -> Person:
    """Record a new person (collection). If likely matches exist, a reason for creating anyway is required."""
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"person_create cannot set {sorted(unknown)}")
    person = Person(forenames=forenames.strip(), surname=surname.strip(), is_restricted=is_restricted, **fields)
    _check_person(person)
    matches = selectors.person_likely_matches(
        user=actor, forenames=person.forenames, surname=person.surname, date_of_birth=person.date_of_birth
    )
    if matches and not duplicate_reason.strip():
        raise ValidationFailed(
            "This person may already be recorded.",
            fields={
                "duplicate_reason": ["Give a reason for creating a new person instead of using a match"],
                "likely_matches": [f"{m.person.public_id} {m.person.full_name} (score {m.score})" for m in matches],
            },
        )
    person.duplicate_reason = duplicate_reason.strip() if matches else ""
    _set_names(person)
    _full_clean(person, exclude=["normalised_name", "normalised_surname", "members", "merged_into"])
    person.save()
    if is_restricted:
        person.members.add(actor)
    s62.record(
        actor=actor,
        operation=Operation.COLLECTION,
        person_ids=[person.public_id],
        detail={"duplicate_of": [str(m.person.public_id) for m in matches]} if matches else None,
    )
    return person


def _check_version(person: Person, version: int) -> Person:
    """Lock the person's row and refuse a stale version (optimistic concurrency)."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != version:
        raise Conflict(
            "Someone else changed this person while you were editing. "
            "Their changes are shown; check your changes and save again."
        )
    return current


@transaction.atomic
def person_update(*, actor: User, person: Person, version: int, **fields: Any) -> Person:
    """Change a person's details (alteration). ``version`` is the one the editor started from."""
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"person_update cannot change {sorted(unknown)}")
    if not actor.has_perm(Perm.PEOPLE_SENSITIVE_VIEW) and set(fields) & set(Person.SENSITIVE_FIELDS):
        raise Forbidden("You may not change sensitive details.")
    person = _check_version(selectors.person_get(user=actor, public_id=person.public_id, log=False), version)
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    for name in changed:
        value = fields[name]
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    if changed:
        _check_person(person)
        _set_names(person)
        person.version += 1
        _full_clean(person, exclude=["normalised_name", "normalised_surname", "members", "merged_into"])
        person.save()
        s62.record(
            actor=actor, operation=Operation.ALTERATION, person_ids=[person.public_id], detail={"fields": changed}
        )
    return person


def _bump(actor: User, person: Person, what: str) -> Person:
    """Lock the person, bump its version and log the alteration of one linked record."""
    person = selectors.person_get(user=actor, public_id=person.public_id, log=False)
    Person.objects.filter(pk=person.pk).update(version=models.F("version") + 1, updated_at=clock.now())
    s62.record(actor=actor, operation=Operation.ALTERATION, person_ids=[person.public_id], detail={"added": what})
    return person


@transaction.atomic
def alias_add(*, actor: User, person: Person, surname: str, forenames: str = "", kind: str = "alias") -> Alias:
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    person = _bump(actor, person, "alias")
    alias = Alias(person=person, kind=kind, forenames=forenames.strip(), surname=surname.strip())
    _set_names(alias)
    _full_clean(alias, exclude=["person", "normalised_name", "normalised_surname"])
    alias.save()
    return alias


@transaction.atomic
def identifier_add(*, actor: User, person: Person, kind: str, value: str) -> Identifier:
    """Add a PNC ID, local-authority ID or NHS number (its modulus-11 check digit checked)."""
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    if kind == IdentifierKind.NHS and not nhs_number_is_valid(value):
        raise ValidationFailed(
            "Check the NHS number.",
            fields={"value": ["Enter a valid NHS number: 10 digits with a correct check digit"]},
        )
    person = _bump(actor, person, "identifier")
    identifier = Identifier(person=person, kind=kind, value=normalise_identifier(kind, value))
    _full_clean(identifier, exclude=["person"])
    identifier.save()
    return identifier


@transaction.atomic
def contact_add(*, actor: User, person: Person, kind: str, value: str, platform: str = "") -> Contact:
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    person = _bump(actor, person, "contact")
    contact = Contact(person=person, kind=kind, value=value.strip(), platform=platform.strip())
    _full_clean(contact, exclude=["person"])
    contact.save()
    return contact


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationFailed("Check the dates.", fields={"end_date": ["The end date must be after the start date"]})


@transaction.atomic
def address_add(
    *,
    actor: User,
    person: Person,
    lines: str,
    kind: str = "home",
    postcode: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
) -> Address:
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    _check_dates(start_date, end_date)
    person = _bump(actor, person, "address")
    address = Address(
        person=person,
        kind=kind,
        lines=lines.strip(),
        postcode=postcode.strip().upper(),
        start_date=start_date,
        end_date=end_date,
    )
    _full_clean(address, exclude=["person"])
    address.save()
    return address


@transaction.atomic
def flag_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    start_date: date | None = None,
    end_date: date | None = None,
    responsible_authority: str = "",
    host_authority: str = "",
    note: str = "",
) -> Flag:
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    _check_dates(start_date, end_date)
    if kind == "looked_after" and not responsible_authority.strip():
        raise ValidationFailed(
            "Check the flag.", fields={"responsible_authority": ["Enter the responsible local authority"]}
        )
    person = _bump(actor, person, "flag")
    flag = Flag(
        person=person,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        responsible_authority=responsible_authority.strip(),
        host_authority=host_authority.strip(),
        note=note.strip(),
    )
    _full_clean(flag, exclude=["person"])
    flag.save()
    return flag


@transaction.atomic
def relationship_add(
    *,
    actor: User,
    person: Person,
    other: Person,
    kind: str,
    start_date: date | None = None,
    end_date: date | None = None,
    note: str = "",
) -> Relationship:
    """Record that ``person`` is ``kind`` of ``other`` (e.g. parent of)."""
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    _check_dates(start_date, end_date)
    if person.pk == other.pk:
        raise ValidationFailed("Check the relationship.", fields={"other": ["Choose another person"]})
    other = selectors.person_get(user=actor, public_id=other.public_id, log=False)
    person = _bump(actor, person, "relationship")
    relationship = Relationship(
        person=person, other=other, kind=kind, start_date=start_date, end_date=end_date, note=note.strip()
    )
    _full_clean(relationship, exclude=["person", "other"])
    relationship.save()
    return relationship


# --- Merge and un-merge --------------------------------------------------------------------------

# Fields a merge may fill on the survivor from the merged person when the survivor's are empty.
MERGE_FILLABLE = (
    "date_of_birth",
    "date_of_birth_earliest",
    "date_of_birth_latest",
    "gender",
    "ethnicity",
    "health_notes",
    "description",
)
_SNAPSHOT_FIELDS = (
    *PERSON_FIELDS,
    "normalised_name",
    "normalised_surname",
    "is_restricted",
    "merged_into",
    "version",
    "updated_at",
    "duplicate_reason",
)


def _linked_columns() -> list[tuple[type[models.Model], str]]:
    """Every (model, column) that points at a person, in any app (cases' involvements included).

    A merge moves these rows to the survivor and an un-merge moves exactly those rows back. Apps
    need no registration: any ForeignKey to Person is found here.
    """
    found = []
    for relation in Person._meta.related_objects:
        if relation.many_to_many or relation.one_to_one or relation.related_model in (Person, Merge):
            continue
        found.append((relation.related_model, relation.field.attname))
    return sorted(found, key=lambda mc: (mc[0]._meta.label, mc[1]))


def _snapshot(person: Person) -> dict[str, Any]:
    return {
        name: _json(getattr(person, "merged_into_id" if name == "merged_into" else name)) for name in _SNAPSHOT_FIELDS
    }


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def person_merge(*, actor: User, survivor: Person, merged: Person, reason: str) -> Merge:
    """Merge ``merged`` into ``survivor`` (combination), recording enough to undo it exactly.

    The survivor keeps its own values; empty fields are filled from the merged person, and
    ``Merge.field_sources`` says which person each field came from. Every row pointing at the merged
    person (aliases, identifiers, addresses, flags, relationships, case involvements…) moves to the
    survivor and is listed in ``Merge.moved``. The merged person's name becomes an alias.
    """
    _require(actor, Perm.PEOPLE_PERSON_MERGE)
    if not reason.strip():
        raise ValidationFailed("Give a reason.", fields={"reason": ["Enter why these are the same person"]})
    survivor = selectors.person_get(user=actor, public_id=survivor.public_id, log=False)
    merged = selectors.person_get(user=actor, public_id=merged.public_id, log=False)
    if survivor.pk == merged.pk or survivor.merged_into_id or merged.merged_into_id:
        raise ValidationFailed(
            "Choose two different people who have not been merged.", fields={"merged": ["Choose another person"]}
        )
    survivor, merged = (Person.objects.select_for_update().get(pk=p.pk) for p in (survivor, merged))
    merge = Merge(
        survivor=survivor,
        merged=merged,
        merged_by=actor,
        reason=reason.strip(),
        before={"survivor": _snapshot(survivor), "merged": _snapshot(merged)},
    )
    sources = {name: "survivor" for name in PERSON_FIELDS}
    for name in MERGE_FILLABLE:
        if getattr(survivor, name) in (None, "") and getattr(merged, name) not in (None, ""):
            setattr(survivor, name, getattr(merged, name))
            sources[name] = "merged"
    if merged.is_restricted and not survivor.is_restricted:
        survivor.is_restricted = True
        sources["is_restricted"] = "merged"
    moved: list[dict[str, Any]] = []
    for model, column in _linked_columns():
        ids = list(model._default_manager.filter(**{column: merged.pk}).order_by("pk").values_list("pk", flat=True))
        if ids:
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk__in=ids).update(**{column: survivor.pk})
            except IntegrityError:
                raise ValidationFailed(
                    "These people cannot be merged yet.",
                    fields={
                        "merged": [
                            f"Both are linked to the same {model._meta.verbose_name}: remove the repeated link first"
                        ]
                    },
                ) from None
            moved.append({"model": model._meta.label, "column": column, "ids": ids})
    merge.moved = moved
    merge.field_sources = sources
    alias = Alias(person=survivor, kind="previous", forenames=merged.forenames, surname=merged.surname)
    _set_names(alias)
    alias.save()
    merge.created = [{"model": "people.Alias", "ids": [alias.pk]}]
    members = set(merged.members.values_list("pk", flat=True)) - set(survivor.members.values_list("pk", flat=True))
    survivor.members.add(*members)
    merge.members_added = sorted(members)
    survivor.version += 1
    survivor.save()
    merged.merged_into = survivor
    merged.version += 1
    merged.save()
    merge.save()
    s62.record(
        actor=actor,
        operation=Operation.COMBINATION,
        person_ids=[survivor.public_id, merged.public_id],
        justification=merge.reason,
        detail={"merge": str(merge.public_id), "action": "merge"},
    )
    return merge


@transaction.atomic
def person_unmerge(*, actor: User, merge: Merge) -> Merge:
    """Undo a merge exactly (combination): both people and every linked row return as they were."""
    from django.apps import apps

    _require(actor, Perm.PEOPLE_PERSON_MERGE)
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.unmerged_at is not None:
        raise Conflict("This merge has already been undone.")
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    merged = Person.objects.select_for_update().get(pk=merge.merged_id)
    for created in merge.created:
        apps.get_model(created["model"])._default_manager.filter(pk__in=created["ids"]).delete()
    for entry in merge.moved:
        apps.get_model(entry["model"])._default_manager.filter(pk__in=entry["ids"]).update(
            **{entry["column"]: merged.pk}
        )
    survivor.members.remove(*merge.members_added)
    for person, key in ((survivor, "survivor"), (merged, "merged")):
        values = dict(merge.before[key])
        values["merged_into_id"] = values.pop("merged_into")
        Person.objects.filter(pk=person.pk).update(**_unjson(values))
    merge.unmerged_at = clock.now()
    merge.unmerged_by = actor
    merge.save(update_fields=["unmerged_at", "unmerged_by"])
    s62.record(
        actor=actor,
        operation=Operation.COMBINATION,
        person_ids=[survivor.public_id, merged.public_id],
        detail={"merge": str(merge.public_id), "action": "unmerge"},
    )
    return merge


def _unjson(values: dict[str, Any]) -> dict[str, Any]:
    """Turn a snapshot's ISO strings back into dates and datetimes."""
    from datetime import datetime

    out = dict(values)
    for name, value in values.items():
        if isinstance(value, str) and value:
            field = Person._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
            if isinstance(field, models.DateTimeField):
                out[name] = datetime.fromisoformat(value)
            elif isinstance(field, models.DateField):
                out[name] = date.fromisoformat(value)
    return out
