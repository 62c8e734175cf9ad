"""Every write to the person register. Keyword-only, one transaction each, permission checked, logged.

Creating a person is logged as collection, every change as alteration, a merge and an un-merge as
combination (the s62 log, haven.audit). Services keep the normalised name columns in step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from haven.audit.choices import JustificationKind, Operation
from haven.core import clock
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.core.mail import mail_user
from haven.core.permissions import Perm
from haven.people import s62, selectors
from haven.people.choices import IdentifierKind
from haven.people.models import (
    Address,
    Alias,
    Contact,
    Flag,
    Identifier,
    Merge,
    Person,
    PersonBreakGlass,
    PersonChild,
    PersonPhoto,
    Relationship,
)
from haven.people.photos import photo_normalise
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
    person = _check_version(_editable(actor, person), version)
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


def _editable(actor: User, person: Person) -> Person:
    """The person, fresh, if ``actor`` may change them: NotFound outside sight, Forbidden if they can
    see a restricted person (by breaking the glass) without being a named member."""
    person = selectors.person_get(user=actor, public_id=person.public_id, log=False)
    if not selectors.person_can_edit(actor, person):
        raise Forbidden("You can see this person but may not change them: only named members may.")
    return person


def _bump(
    actor: User, person: Person, what: str, *, operation: Operation = Operation.ALTERATION, **detail: Any
) -> Person:
    """Check the actor may change the person, bump its version and log the change of one linked record."""
    person = _editable(actor, person)
    Person.objects.filter(pk=person.pk).update(version=models.F("version") + 1, updated_at=clock.now())
    also = detail.pop("also", [])
    reason = detail.pop("reason", "")
    s62.record(
        actor=actor,
        operation=operation,
        person_ids=[person.public_id, *also],
        detail={"record": what, **detail} if detail or operation != Operation.ALTERATION else {"added": what},
        justification=reason,
        justification_kind=JustificationKind.STATED if reason else None,
    )
    return person


# --- Linked records: checking their values -------------------------------------------------------


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationFailed("Check the dates.", fields={"end_date": ["The end date must be after the start date"]})


def _clean_alias(v: dict[str, Any]) -> dict[str, Any]:
    v["forenames"] = (v.get("forenames") or "").strip()
    v["surname"] = (v.get("surname") or "").strip()
    if not v["surname"]:
        raise ValidationFailed("Check the name.", fields={"surname": ["Enter the surname"]})
    return v


def _clean_identifier(v: dict[str, Any]) -> dict[str, Any]:
    """NHS numbers must pass the modulus-11 check digit."""
    if v["kind"] == IdentifierKind.NHS and not nhs_number_is_valid(v["value"]):
        raise ValidationFailed(
            "Check the NHS number.",
            fields={"value": ["Enter a valid NHS number: 10 digits with a correct check digit"]},
        )
    v["value"] = normalise_identifier(v["kind"], v["value"])
    return v


def _clean_contact(v: dict[str, Any]) -> dict[str, Any]:
    v["value"] = (v.get("value") or "").strip()
    v["platform"] = (v.get("platform") or "").strip()
    return v


def _clean_address(v: dict[str, Any]) -> dict[str, Any]:
    _check_dates(v.get("start_date"), v.get("end_date"))
    v["lines"] = (v.get("lines") or "").strip()
    v["postcode"] = (v.get("postcode") or "").strip().upper()
    return v


def _clean_flag(v: dict[str, Any]) -> dict[str, Any]:
    _check_dates(v.get("start_date"), v.get("end_date"))
    for name in ("responsible_authority", "host_authority", "note"):
        v[name] = (v.get(name) or "").strip()
    if v["kind"] == "looked_after" and not v["responsible_authority"]:
        raise ValidationFailed(
            "Check the flag.", fields={"responsible_authority": ["Enter the responsible local authority"]}
        )
    return v


def _clean_relationship(v: dict[str, Any]) -> dict[str, Any]:
    _check_dates(v.get("start_date"), v.get("end_date"))
    v["note"] = (v.get("note") or "").strip()
    return v


@dataclass(frozen=True)
class RecordKind:
    """What may be changed on one kind of linked record, and how its values are checked."""

    label: str
    fields: tuple[str, ...]
    clean: Callable[[dict[str, Any]], dict[str, Any]]
    endable: bool = False


RECORD_KINDS: dict[str, RecordKind] = {
    "alias": RecordKind("name", ("kind", "forenames", "surname"), _clean_alias),
    "identifier": RecordKind("identifier", ("kind", "value"), _clean_identifier),
    "contact": RecordKind("contact", ("kind", "value", "platform"), _clean_contact),
    "address": RecordKind(
        "address", ("kind", "lines", "postcode", "start_date", "end_date"), _clean_address, endable=True
    ),
    "flag": RecordKind(
        "flag",
        ("kind", "start_date", "end_date", "responsible_authority", "host_authority", "note"),
        _clean_flag,
        endable=True,
    ),
    "relationship": RecordKind(
        "relationship", ("kind", "start_date", "end_date", "note"), _clean_relationship, endable=True
    ),
}


def record_kind_of(record: PersonChild) -> str:
    for kind, model in selectors.RECORD_MODELS.items():
        if isinstance(record, model):
            return kind
    raise ValueError(f"Not a linked record: {record!r}")


# --- Linked records: adding ----------------------------------------------------------------------


@transaction.atomic
def alias_add(*, actor: User, person: Person, surname: str, forenames: str = "", kind: str = "alias") -> Alias:
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    values = _clean_alias({"kind": kind, "forenames": forenames, "surname": surname})
    person = _bump(actor, person, "alias")
    alias = Alias(person=person, **values)
    _set_names(alias)
    _full_clean(alias, exclude=["person", "normalised_name", "normalised_surname"])
    alias.save()
    return alias


@transaction.atomic
def identifier_add(*, actor: User, person: Person, kind: str, value: str) -> Identifier:
    """Add a PNC ID, local-authority ID or NHS number (its modulus-11 check digit checked)."""
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    values = _clean_identifier({"kind": kind, "value": value})
    person = _bump(actor, person, "identifier")
    identifier = Identifier(person=person, **values)
    _full_clean(identifier, exclude=["person"])
    identifier.save()
    return identifier


@transaction.atomic
def contact_add(*, actor: User, person: Person, kind: str, value: str, platform: str = "") -> Contact:
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    values = _clean_contact({"kind": kind, "value": value, "platform": platform})
    person = _bump(actor, person, "contact")
    contact = Contact(person=person, **values)
    _full_clean(contact, exclude=["person"])
    contact.save()
    return contact


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
    values = _clean_address(
        {"kind": kind, "lines": lines, "postcode": postcode, "start_date": start_date, "end_date": end_date}
    )
    person = _bump(actor, person, "address")
    address = Address(person=person, **values)
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
    values = _clean_flag(
        {
            "kind": kind,
            "start_date": start_date,
            "end_date": end_date,
            "responsible_authority": responsible_authority,
            "host_authority": host_authority,
            "note": note,
        }
    )
    person = _bump(actor, person, "flag")
    flag = Flag(person=person, **values)
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
    values = _clean_relationship({"kind": kind, "start_date": start_date, "end_date": end_date, "note": note})
    if person.pk == other.pk:
        raise ValidationFailed("Check the relationship.", fields={"other": ["Choose another person"]})
    other = selectors.person_get(user=actor, public_id=other.public_id, log=False)
    person = _bump(actor, person, "relationship")
    relationship = Relationship(person=person, other=other, **values)
    _full_clean(relationship, exclude=["person", "other"])
    relationship.save()
    return relationship


# --- Linked records: changing, ending and removing ------------------------------------------------


def _locked_record(actor: User, person: Person, record: PersonChild) -> tuple[str, PersonChild]:
    """The record again, through the selector (sight, refuge need-to-know), locked for the change."""
    kind = record_kind_of(record)
    fresh = selectors.person_record_get(user=actor, person=person, kind=kind, public_id=record.public_id)
    return kind, type(fresh)._default_manager.select_for_update().get(pk=fresh.pk)


def _others(record: PersonChild, person: Person) -> list[Any]:
    """The other person a relationship names, for the s62 log."""
    if isinstance(record, Relationship):
        return [record.other.public_id if record.person_id == person.pk else record.person.public_id]
    return []


@transaction.atomic
def record_update(
    *, actor: User, person: Person, record: PersonChild, seen: str | datetime | None = None, **fields: Any
) -> PersonChild:
    """Change one linked record of ``person`` (alteration).

    ``seen`` is the record's ``updated_at`` (ISO) when the editor opened it: if someone changed it
    since, the change is refused with a Conflict rather than silently overwriting theirs.
    """
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    person = _editable(actor, person)
    kind, record = _locked_record(actor, person, record)
    spec = RECORD_KINDS[kind]
    unknown = set(fields) - set(spec.fields)
    if unknown:
        raise ValueError(f"A {spec.label} has no {sorted(unknown)} to change")
    if seen is not None and _to_ms(_moment(seen)) != _to_ms(record.updated_at):
        raise Conflict(
            f"Someone else changed this {spec.label} while you were editing. Check it and save again.",
            fields={"seen": [f"The {spec.label} has changed since you opened it."]},
        )
    values = spec.clean({**{name: getattr(record, name) for name in spec.fields}, **fields})
    changed = [name for name in spec.fields if getattr(record, name) != values[name]]
    if not changed:
        return record
    for name in changed:
        setattr(record, name, values[name])
    if isinstance(record, Alias):
        _set_names(record)
    exclude = ["person", "other", "normalised_name", "normalised_surname"]
    _full_clean(record, exclude=[n for n in exclude if hasattr(record, n)])
    record.save()
    _bump(actor, person, kind, id=str(record.public_id), fields=changed, also=_others(record, person))
    return record


def _to_ms(moment: datetime | None) -> datetime | None:
    """Milliseconds are what the JSON API shows of a time, so that is what ``seen`` compares."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000) if moment is not None else None


def _moment(seen: str | datetime) -> datetime | None:
    if isinstance(seen, datetime):
        return seen
    try:
        return datetime.fromisoformat(seen)
    except ValueError:
        return None


@transaction.atomic
def record_end(*, actor: User, person: Person, record: PersonChild, end_date: date | None = None) -> PersonChild:
    """End an address, flag or relationship on ``end_date`` (today by default): it stays on record,
    shown as ended. Preferred to removing it when it was true and has stopped being so."""
    kind = record_kind_of(record)
    if not RECORD_KINDS[kind].endable:
        raise ValidationFailed(f"A {RECORD_KINDS[kind].label} cannot be ended; change or remove it.")
    return record_update(actor=actor, person=person, record=record, end_date=end_date or clock.now().date())


@transaction.atomic
def record_remove(*, actor: User, person: Person, record: PersonChild, reason: str) -> None:
    """Remove one linked record that should never have been recorded (erasure), with a reason.

    The erasure is logged before the row goes; the change history keeps its last state.
    """
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Give a reason.", fields={"reason": ["Enter why this is being removed"]})
    if len(reason) > 2000:
        raise ValidationFailed("The reason is too long.", fields={"reason": ["Use 2,000 characters or fewer"]})
    person = _editable(actor, person)
    kind, record = _locked_record(actor, person, record)
    _bump(
        actor,
        person,
        kind,
        operation=Operation.ERASURE,
        id=str(record.public_id),
        reason=reason,
        also=_others(record, person),
    )
    record.delete()


# --- Photograph ----------------------------------------------------------------------------------


@transaction.atomic
def person_photo_set(*, actor: User, person: Person, data: bytes) -> PersonPhoto:
    """Upload (collection) or replace (alteration) the person's photograph.

    The bytes must be a real JPEG, PNG or WebP image of at most 5 MB (:mod:`haven.people.photos`);
    Haven stores a re-encoded JPEG with every piece of metadata stripped.
    """
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    normalised = photo_normalise(data)
    person = _editable(actor, person)
    photo = PersonPhoto.objects.select_for_update().filter(person=person).first()
    operation = Operation.ALTERATION if photo is not None else Operation.COLLECTION
    photo = photo or PersonPhoto(person=person)
    photo.image = normalised.jpeg
    photo.width, photo.height, photo.sha256 = normalised.width, normalised.height, normalised.sha256
    photo.uploaded_by = actor
    photo.save()
    _bump(actor, person, "photo", operation=operation, width=photo.width, height=photo.height)
    return photo


# --- Restricted people ---------------------------------------------------------------------------


@transaction.atomic
def person_restriction_set(*, actor: User, person: Person, is_restricted: bool, members: Iterable[User]) -> Person:
    """Restrict (or open) a person and name the members who may see them (alteration).

    Only someone who may change the person may do this: for a restricted person, a named member.
    Whoever restricts a person stays a member, so nobody locks everyone out. Members must be able
    to search the person register.
    """
    _require(actor, Perm.PEOPLE_PERSON_CREATE)
    person = _editable(actor, person)
    chosen = {m.pk: m for m in members}
    if is_restricted:
        chosen.setdefault(actor.pk, actor)
    unable = sorted(m.username for m in chosen.values() if not m.is_active or not m.has_perm(Perm.PEOPLE_PERSON_SEARCH))
    if unable:
        raise ValidationFailed(
            "Check the members.", fields={"members": [f"{', '.join(unable)} cannot see the person register"]}
        )
    Person.objects.filter(pk=person.pk).update(
        is_restricted=is_restricted, version=models.F("version") + 1, updated_at=clock.now()
    )
    person.members.set(list(chosen.values()))
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        person_ids=[person.public_id],
        justification="Changed who may see the restricted person.",
        justification_kind=JustificationKind.STATED,
        detail={"restricted": is_restricted, "members": sorted(m.username for m in chosen.values())},
    )
    person.refresh_from_db()
    return person


@transaction.atomic
def person_break_glass(*, actor: User, public_id: object, reason: str) -> Person:
    """Open a restricted person whom the actor's scope reaches but whose members they are not.

    Logged as a consultation justified by breaking the glass, and every named member is told by
    e-mail (as the owner of a restricted case is). Open to the actor for ``BREAK_GLASS_LASTS``;
    it gives sight, not the right to change the person.
    """
    person = selectors.person_may_break_glass(user=actor, public_id=public_id)
    if person is None:
        raise NotFound("Not found.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            "Enter why you need to see this person.", fields={"reason": ["Enter why you need to see this person"]}
        )
    if len(reason) > 2000:
        raise ValidationFailed("The reason is too long.", fields={"reason": ["Use 2,000 characters or fewer"]})
    now = clock.now()
    PersonBreakGlass.objects.create(
        person=person, user=actor, reason=reason, at=now, expires_at=now + selectors.BREAK_GLASS_LASTS
    )
    s62.record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=[person.public_id],
        justification=reason,
        justification_kind=JustificationKind.BREAK_GLASS,
        detail={"kind": "break_glass"},
    )
    link = f"{settings.HAVEN_BASE_URL}{reverse('people:detail', args=[person.public_id])}"
    for member in person.members.exclude(pk=actor.pk).order_by("pk"):
        mail_user(
            to=member,
            subject="someone broke the glass on a restricted person",
            body=(
                f"Hello {member.display_name},\n\n"
                f"{actor.rank_and_name} ({actor.username}) opened a restricted person you are a named member of "
                f"by breaking the glass at {timezone.localtime(now):%d %b %Y %H:%M}.\n"
                "Their reason is in the access log.\n\n"
                f"If this looks wrong, tell your supervisor and the data protection officer.\n\n{link}\n"
            ),
        )
    return person


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
    from pghistory.models import Event

    found = []
    for relation in Person._meta.related_objects:
        if relation.many_to_many or relation.one_to_one or relation.related_model in (Person, Merge, PersonBreakGlass):
            continue  # a broken glass opened one record, never the one it is merged into
        if issubclass(relation.related_model, Event):
            continue  # change history stays with the row it describes
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

    out = dict(values)
    for name, value in values.items():
        if isinstance(value, str) and value:
            field = Person._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
            if isinstance(field, models.DateTimeField):
                out[name] = datetime.fromisoformat(value)
            elif isinstance(field, models.DateField):
                out[name] = date.fromisoformat(value)
    return out
