"""Every write to the person register: ``(*, actor, <target>, data)``, one transaction each, logged.

Each is declared once in ``haven.people.operations`` (which checks the permission) with its input
model from ``haven.people.schemas`` (which holds the field rules). These keep what needs the
database: who may change a person (named members of a restricted one), versions and conflicts, the
likely-duplicate check, look-ups, and the s62 log. Creating a person is logged as collection, every
change as alteration, a merge and an un-merge as combination. The normalised name columns are kept
in step here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Event
from pydantic import ValidationError

from haven.audit.choices import JustificationKind, Operation
from haven.core import clock
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.core.mail import mail_user
from haven.core.operations import field_errors
from haven.core.permissions import Perm
from haven.people import s62, selectors
from haven.people.choices import AddressKind, ContactKind, FlagKind
from haven.people.models import (
    Address,
    Alias,
    Merge,
    Person,
    PersonBreakGlass,
    PersonChild,
    PersonMember,
    PersonPhoto,
    Relationship,
)
from haven.people.photos import photo_normalise
from haven.people.rules import normalise_identifier, normalise_name
from haven.people.schemas import (
    NEW_RECORD_INPUTS,
    PERSON_FIELDS,
    RECORD_INPUTS,
    RECORD_LABELS,
    ChildStatusIn,
    EndIn,
    MergeIn,
    PersonBreakGlassIn,
    PersonCreateIn,
    PersonIn,
    PersonUpdateIn,
    PhotoIn,
    RecordChangeIn,
    RecordIn,
    RefugeReadIn,
    RemoveIn,
    RestrictionIn,
    UnmergeIn,
    endable,
)
from haven.people.selectors import Linked, PersonRecords, record_kind_of

if TYPE_CHECKING:
    from haven.accounts.models import User


def _whole(model: type[Any], values: Mapping[str, Any], *, what: str) -> dict[str, Any]:
    """``values`` checked as a whole ``model`` (a person, an address…) after a change: the model's
    rules, in its words, as ValidationFailed."""
    try:
        return dict(model.model_validate(values).model_dump())
    except ValidationError as exc:
        fields = field_errors(exc)
        messages = [message for found in fields.values() for message in found]
        raise ValidationFailed(messages[0] if len(messages) == 1 else f"Check the {what}.", fields=fields) from None


def _set_names(obj: Person | Alias) -> None:
    obj.normalised_surname = normalise_name(obj.surname)
    obj.normalised_name = normalise_name(f"{obj.forenames} {obj.surname}")


def _sensitive_allowed(actor: User, values: Mapping[str, Any]) -> None:
    """Gender, ethnicity and health notes are given only by those who may see them."""
    if not actor.has_perm(Perm.PEOPLE_SENSITIVE_VIEW) and any(values.get(n) for n in Person.SENSITIVE_FIELDS):
        raise Forbidden("You may not record or change sensitive details.")


# --- A person ------------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, actor: User, data: PersonCreateIn) -> Person:
    """Record a new person (collection). If likely matches exist, a reason for creating anyway is
    required: without one the refusal lists them (``likely_matches``) for the page to show."""
    _sensitive_allowed(actor, data.model_dump())
    person = Person(**data.model_dump(include=set(PERSON_FIELDS)), is_restricted=data.is_restricted)
    matches = selectors.person_likely_matches(
        user=actor, forenames=person.forenames, surname=person.surname, date_of_birth=person.date_of_birth
    )
    if matches and not data.duplicate_reason:
        raise ValidationFailed(
            "This person may already be recorded.",
            fields={
                "duplicate_reason": ["Give a reason for creating a new person instead of using a match"],
                "likely_matches": [f"{m.person.public_id} {m.person.full_name} (score {m.score})" for m in matches],
            },
        )
    person.duplicate_reason = data.duplicate_reason if matches else ""
    _set_names(person)
    person.save()
    if data.is_restricted:
        person.members.add(actor, through_defaults={"added_by": actor})
        Person.objects.filter(pk=person.pk).update(restricted_by=actor, restricted_at=clock.now())
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
def person_update(*, actor: User, person: Person, data: PersonUpdateIn) -> Person:
    """Change a person's details (alteration): the fields given, from the version the editor started
    from; the result is checked as a whole person."""
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if not actor.has_perm(Perm.PEOPLE_SENSITIVE_VIEW) and set(changes) & set(Person.SENSITIVE_FIELDS):
        raise Forbidden("You may not change sensitive details.")
    person = _check_version(_editable(actor, person), data.version)
    current = {name: getattr(person, name) for name in PERSON_FIELDS}
    values = _whole(PersonIn, {**current, **changes}, what="details you entered")
    changed = [name for name in PERSON_FIELDS if current[name] != values[name]]
    if changed:
        for name in changed:
            setattr(person, name, values[name])
        _set_names(person)
        person.version += 1
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


# --- Linked records ------------------------------------------------------------------------------


def _stored(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """A record's checked values as they are kept: identifiers in their usual form (999 999 9999)."""
    if kind == "identifier":
        values["value"] = normalise_identifier(values["kind"], values["value"])
    return values


def _other(actor: User, person: Person, other: object) -> Person:
    """The other person a new relationship names, as the actor sees them."""
    try:
        found = selectors.person_get(user=actor, public_id=other, log=False)
    except NotFound:
        raise ValidationFailed(
            "Check the other person.", fields={"other": ["There is no person with this Haven id that you can see"]}
        ) from None
    if found.pk == person.pk:
        raise ValidationFailed("Check the relationship.", fields={"other": ["Choose another person"]})
    return found


@transaction.atomic
def record_add(*, actor: User, records: PersonRecords, data: RecordIn) -> PersonChild:
    """Add an alias, identifier, contact, address, flag or relationship (``records.kind``) to a
    person, checked by its kind's rules (an NHS number's check digit, a looked-after flag's
    responsible authority…). A relationship says that the person is ``kind`` of the other person."""
    kind = records.kind
    label = RECORD_LABELS[kind]
    values = _whole(NEW_RECORD_INPUTS[kind], data.model_dump(exclude_unset=True), what=label)
    other = {"other": _other(actor, records.person, values.pop("other"))} if kind == "relationship" else {}
    person = _bump(actor, records.person, kind)
    record = selectors.RECORD_MODELS[kind](**{"person": person, **_stored(kind, values), **other})
    if isinstance(record, Address):
        record.recorded_by = actor  # the source of a refuge address keeps sight of it (DP-06)
    if isinstance(record, Alias):
        _set_names(record)
    record.save()
    return record


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


def _to_ms(moment: datetime | None) -> datetime | None:
    """Milliseconds are what the JSON API shows of a time, so that is what ``seen`` compares."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000) if moment is not None else None


@transaction.atomic
def record_update(*, actor: User, linked: Linked, data: RecordChangeIn) -> PersonChild:
    """Change one linked record (alteration): the fields given; the record is then checked whole.

    ``seen`` is the record's ``updated_at`` when the editor opened it: if someone changed it since,
    the change is refused with a Conflict rather than silently overwriting theirs.
    """
    person = _editable(actor, linked.person)
    kind, record = _locked_record(actor, person, linked.record)
    label = RECORD_LABELS[kind]
    if data.seen is not None and _to_ms(data.seen) != _to_ms(record.updated_at):
        raise Conflict(
            f"Someone else changed this {label} while you were editing. Check it and save again.",
            fields={"seen": [f"The {label} has changed since you opened it"]},
        )
    fields = RECORD_INPUTS[kind].model_fields
    current = {name: getattr(record, name) for name in fields}
    changes = data.model_dump(exclude_unset=True, exclude={"seen"})
    values = _stored(kind, _whole(RECORD_INPUTS[kind], {**current, **changes}, what=label))
    changed = [name for name in fields if current[name] != values[name]]
    if not changed:
        return record
    for name in changed:
        setattr(record, name, values[name])
    if isinstance(record, Alias):
        _set_names(record)
    record.save()
    _bump(actor, person, kind, id=str(record.public_id), fields=changed, also=_others(record, person))
    return record


@transaction.atomic
def record_end(*, actor: User, linked: Linked, data: EndIn) -> PersonChild:
    """End an address, flag or relationship on ``end_date`` (today by default): it stays on record,
    shown as ended. Preferred to removing it when it was true and has stopped being so."""
    kind = record_kind_of(linked.record)
    if not endable(kind):
        raise ValidationFailed(f"A {RECORD_LABELS[kind]} cannot be ended; change or remove it.")
    end = data.end_date or clock.now().date()
    return record_update(actor=actor, linked=linked, data=RecordChangeIn(end_date=end))


@transaction.atomic
def record_remove(*, actor: User, linked: Linked, data: RemoveIn) -> None:
    """Remove one linked record that should never have been recorded (erasure), with a reason.

    The erasure is logged before the row goes; the change history keeps its last state.
    """
    person = _editable(actor, linked.person)
    kind, record = _locked_record(actor, person, linked.record)
    _bump(
        actor,
        person,
        kind,
        operation=Operation.ERASURE,
        id=str(record.public_id),
        reason=data.reason,
        also=_others(record, person),
    )
    record.delete()


# --- Photograph ----------------------------------------------------------------------------------


@transaction.atomic
def person_photo_set(*, actor: User, person: Person, data: PhotoIn) -> PersonPhoto:
    """Upload (collection) or replace (alteration) the person's photograph.

    The bytes must be a real JPEG, PNG or WebP image of at most 5 MB (:mod:`haven.people.photos`);
    Haven stores a re-encoded JPEG with every piece of metadata stripped.
    """
    normalised = photo_normalise(data.photo)
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


def _members(usernames: list[str]) -> list[User]:
    """The users named, in the order given, who may be members (active, able to search the register).

    Anyone else named is refused with one message, the same for a username that does not exist and for
    a user who may not be named: the form must not tell an officer which usernames exist.
    """
    wanted = list(dict.fromkeys(usernames))
    found = {u.username: u for u in get_user_model().objects.filter(username__in=wanted)}
    refused = [
        name
        for name in wanted
        if name not in found or not found[name].is_active or not found[name].has_perm(Perm.PEOPLE_PERSON_SEARCH)
    ]
    if refused:
        raise ValidationFailed(
            "Check the members.",
            fields={"members": [f"{', '.join(refused)} cannot be named: check the username, or choose someone else"]},
        )
    return [found[name] for name in wanted]


@transaction.atomic
def person_restriction_set(*, actor: User, person: Person, data: RestrictionIn) -> Person:
    """Restrict (or open) a person and name the members who may see them (alteration), with a reason.

    Only a supervisor or the owner of an open case about the person may, and for a restricted person
    only one who is a member. Whoever restricts a person and the owners of open cases about them stay
    members, so nobody is locked out of their own case; a member keeps who named them (need-to-know
    for a refuge address comes only from being named by someone else). The restriction is logged with
    its reason; who made it and when is shown to those it shuts out.
    """
    person = _editable(actor, person)
    if not selectors.may_restrict(actor, person):
        raise Forbidden(
            "Only a supervisor, or the officer who owns a case about this person, may restrict them "
            "or change who may see them."
        )
    chosen = {m.pk: m for m in _members(data.members)}
    if data.is_restricted:
        chosen.setdefault(actor.pk, actor)
        for owner in get_user_model().objects.filter(pk__in=selectors.case_owners_about(person), is_active=True):
            chosen.setdefault(owner.pk, owner)
    now = clock.now()
    newly = data.is_restricted and not person.is_restricted
    Person.objects.filter(pk=person.pk).update(
        is_restricted=data.is_restricted,
        restricted_by=actor if newly else (person.restricted_by if data.is_restricted else None),
        restricted_at=now if newly else (person.restricted_at if data.is_restricted else None),
        version=models.F("version") + 1,
        updated_at=now,
    )
    PersonMember.objects.filter(person=person).exclude(user_id__in=chosen).delete()
    kept = set(PersonMember.objects.filter(person=person).values_list("user_id", flat=True))
    PersonMember.objects.bulk_create(
        PersonMember(person=person, user=m, added_by=actor, added_at=now) for pk, m in chosen.items() if pk not in kept
    )
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        person_ids=[person.public_id],
        justification=data.reason,
        justification_kind=JustificationKind.STATED,
        detail={"restricted": data.is_restricted, "members": sorted(m.username for m in chosen.values())},
    )
    person.refresh_from_db()
    return person


@transaction.atomic
def refuge_addresses_read(*, actor: User, person: Person, data: RefugeReadIn) -> selectors.RefugeAddresses:
    """Show the person's refuge addresses that ``actor`` has need-to-know for (DP-06), for the reason
    they give: every read is logged as a consultation with that justification and why they may.

    Forbidden for someone without need-to-know (they see only that an address is withheld).
    """
    person = selectors.person_get(user=actor, public_id=person.public_id, log=False)
    found = selectors.refuge_addresses(user=actor, person=person)
    if not found:
        raise Forbidden(
            "You do not have a need to know this refuge address. Ask the officer in charge of the case, "
            "or a supervisor, if you need it."
        )
    s62.record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=[person.public_id],
        justification=data.reason,
        justification_kind=JustificationKind.STATED,
        detail={
            "kind": "refuge_address",
            "addresses": [str(address.public_id) for address, _ in found],
            "need_to_know": sorted({why for _, why in found}),
        },
    )
    return selectors.RefugeAddresses(person=person, addresses=[address for address, _ in found])


@transaction.atomic
def person_break_glass(*, actor: User, person: Person, data: PersonBreakGlassIn) -> PersonBreakGlass:
    """Open a restricted person whom the actor's scope reaches but whose members they are not.

    Logged as a consultation justified by breaking the glass, and every named member is told by
    e-mail (as the owner of a restricted case is). Open to the actor for ``BREAK_GLASS_LASTS``;
    it gives sight, not the right to change the person.
    """
    found = selectors.person_may_break_glass(user=actor, public_id=person.public_id)
    if found is None:
        raise NotFound("Not found.")
    person, now = found, clock.now()
    glass = PersonBreakGlass.objects.create(
        person=person, user=actor, reason=data.reason, at=now, expires_at=now + selectors.BREAK_GLASS_LASTS
    )
    s62.record(
        actor=actor,
        operation=Operation.CONSULTATION,
        person_ids=[person.public_id],
        justification=data.reason,
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
    return glass


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
        if (
            relation.many_to_many
            or relation.one_to_one
            or relation.related_model
            in (
                Person,
                Merge,
                PersonBreakGlass,
                PersonMember,
            )
        ):
            continue  # a broken glass opened one record, never the one it is merged into; members are carried by hand
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
def person_merge(*, actor: User, survivor: Person, data: MergeIn) -> Merge:
    """Merge the person ``data.merged`` into ``survivor`` (combination), recording enough to undo it exactly.

    The survivor keeps its own values; empty fields are filled from the merged person, and
    ``Merge.field_sources`` says which person each field came from. Every row pointing at the merged
    person (aliases, identifiers, addresses, flags, relationships, case involvements…) moves to the
    survivor and is listed in ``Merge.moved``. The merged person's name becomes an alias.
    """
    survivor = selectors.person_get(user=actor, public_id=survivor.public_id, log=False)
    try:
        merged = selectors.person_get(user=actor, public_id=data.merged, log=False)
    except NotFound:
        raise ValidationFailed(
            "Check the person to merge.", fields={"merged": ["There is no person with this Haven id that you can see"]}
        ) from None
    if survivor.pk == merged.pk or survivor.merged_into_id or merged.merged_into_id:
        raise ValidationFailed(
            "Choose two different people who have not been merged.", fields={"merged": ["Choose another person"]}
        )
    survivor, merged = (Person.objects.select_for_update().get(pk=p.pk) for p in (survivor, merged))
    merge = Merge(
        survivor=survivor,
        merged=merged,
        merged_by=actor,
        reason=data.reason,
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
    # Members carried over keep who named them; a refuge address keeps its own need-to-know
    # (selectors.refuge_need decides each address by the side it came from).
    have = set(survivor.members.values_list("pk", flat=True))
    carried = [m for m in PersonMember.objects.filter(person=merged).order_by("pk") if m.user_id not in have]
    PersonMember.objects.bulk_create(
        PersonMember(person=survivor, user_id=m.user_id, added_by_id=m.added_by_id, added_at=m.added_at)
        for m in carried
    )
    merge.members_added = sorted(m.user_id for m in carried)
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
def person_unmerge(*, actor: User, merge: Merge, data: UnmergeIn) -> Merge:
    """Undo a merge exactly (combination): both people and every linked row return as they were."""
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


# --- What a report says of a child ---------------------------------------------------------------


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.lower().replace(",", " ").split()) == " ".join(b.lower().replace(",", " ").split())


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


@transaction.atomic
def child_status_record(*, actor: User, person: Person, data: ChildStatusIn) -> list[str]:
    """Keep on the register what a report about a child says of them (a missing-child report calls it in
    its transaction): their looked-after flag and its authorities, the Philomena form flag, their care
    placement's address, their phone numbers and social-media accounts. Each change goes through the
    linked-record writes above (checked by their kind's rules, the person's version bumped, logged as an
    alteration, kept in the change history); nothing said changes nothing. Forbidden for someone who may
    not change the person. The changes in words ("Looked-after flag added (Leeds City Council)")."""
    person = _editable(actor, person)
    today = clock.now().date()
    done: list[str] = []
    flags = [f for f in person.flags.all() if f.is_current]

    def add(record: str, **values: Any) -> None:
        record_add(actor=actor, records=PersonRecords(person, record), data=RecordIn(**values))

    def change(record: PersonChild, **values: Any) -> None:
        record_update(actor=actor, linked=Linked(person, record), data=RecordChangeIn(**values))

    looked_after = [f for f in flags if f.kind == FlagKind.LOOKED_AFTER]
    if data.looked_after and not looked_after:
        add(
            "flag",
            kind=FlagKind.LOOKED_AFTER,
            start_date=today,
            responsible_authority=data.responsible_authority,
            host_authority=data.host_authority,
        )
        done.append(f"Looked-after flag added ({data.responsible_authority})")
    elif data.looked_after:
        flag = looked_after[0]
        wanted = {
            "responsible_authority": data.responsible_authority or flag.responsible_authority,
            "host_authority": data.host_authority or flag.host_authority,
        }
        if any(getattr(flag, name) != value for name, value in wanted.items()):
            change(flag, **wanted)
            done.append(f"Looked-after flag changed ({wanted['responsible_authority']})")
    elif data.looked_after is False:
        for flag in looked_after:
            change(flag, end_date=today)
            done.append("Looked-after flag ended")
    philomena = [f for f in flags if f.kind == FlagKind.PHILOMENA]
    if data.philomena and not philomena:
        add("flag", kind=FlagKind.PHILOMENA, start_date=today)
        done.append("Philomena form flag added")
    elif data.philomena is False:
        for flag in philomena:
            change(flag, end_date=today)
            done.append("Philomena form flag ended")
    if data.placement_address:
        placements = [
            a
            for a in person.addresses.filter(kind=AddressKind.CARE_PLACEMENT)
            if a.end_date is None or a.end_date >= today
        ]
        if not any(_same_words(a.lines, data.placement_address) for a in placements):
            for old in placements:
                change(old, end_date=today)
            add("address", kind=AddressKind.CARE_PLACEMENT, lines=data.placement_address, start_date=today)
            done.append("Care placement address recorded")
    contacts = list(person.contacts.all())
    for number in data.phone_numbers:
        if not any(c.kind == ContactKind.PHONE and _digits(c.value) == _digits(number) for c in contacts):
            add("contact", kind=ContactKind.PHONE, value=number)
            done.append(f"Phone number {number} added")
    for account in data.social_media:
        platform, _, handle = account.partition(":") if ":" in account else ("", "", account)
        handle, platform = handle.strip(), platform.strip()[:64]
        if handle and not any(c.kind == ContactKind.SOCIAL and _same_words(c.value, handle) for c in contacts):
            add("contact", kind=ContactKind.SOCIAL, value=handle, platform=platform)
            done.append(f"Social-media account {account} added")
    return done
