"""Every read of the person register. Each takes the user and answers only what they may see.

A restricted person exists only for their members and, for ``BREAK_GLASS_LASTS``, for those who
broke the glass on them: to anyone else it is NotFound, and absent from search and lists (as
restricted cases are). A refuge address is shown only to those with need-to-know (:func:`can_see_refuge`).
Every read of a person is logged in the s62 log as a consultation, in the same transaction.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Case, Exists, F, FloatField, OuterRef, Prefetch, Q, QuerySet, Value, When

from haven.audit.choices import JustificationKind, Operation, Outcome
from haven.cases.choices import CaseState
from haven.cases.selectors import OwnedCase, case_ids_of_involvements, cases_about, cases_owned_about
from haven.core import clock
from haven.core.access import Action, Scope, scope_for, scope_q
from haven.core.errors import NotFound
from haven.core.permissions import Perm, Role
from haven.people import s62
from haven.people.choices import AddressKind
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
    PersonMember,
    PersonPhoto,
    Relationship,
)
from haven.people.policy import REFUGE_ROLES
from haven.people.rules import compact, normalise_name, similarity
from haven.policy.selectors import policy_value

if TYPE_CHECKING:
    from haven.accounts.models import User

DOB_WINDOW_YEARS = 1
SEARCH_LIMIT = 20
CANDIDATES = 60
"""How many candidates, the likeliest first (name, exact date of birth, sound-alike surname), are scored."""
BREAK_GLASS_LASTS = timedelta(hours=1)
"""How long breaking the glass opens a restricted person for (the same as a restricted case)."""


# --- Visibility ----------------------------------------------------------------------------------


def _member(user: User) -> Exists:
    return Exists(PersonMember.objects.filter(person_id=OuterRef("pk"), user_id=user.pk))


def _glass_broken(user: User) -> Exists:
    return Exists(
        PersonBreakGlass.objects.filter(person_id=OuterRef("pk"), user_id=user.pk, expires_at__gt=clock.now())
    )


def people_with_ids(ids: set[int]) -> QuerySet[Person]:
    """The people ``ids``, which the caller has already narrowed to what its reader may see (the DMM
    board: the children of the cases and flags it lists)."""
    return Person.objects.filter(pk__in=ids)


def person_visible_to(user: User) -> QuerySet[Person]:
    """Every person ``user`` may know exists: anyone not restricted, restricted people they are a
    named member of, and restricted people they broke the glass on within ``BREAK_GLASS_LASTS``."""
    if not user.is_authenticated or not user.is_active or not user.has_perm(Perm.PEOPLE_PERSON_SEARCH):
        return Person.objects.none()
    return Person.objects.filter(Q(is_restricted=False) | Q(_member(user)) | Q(_glass_broken(user)))


def person_editable_by(user: User) -> QuerySet[Person]:
    """The people ``user`` may change (with the right permission): anyone not restricted, and
    restricted people they are a named member of. Breaking the glass gives sight, never the right to edit."""
    if not user.is_authenticated or not user.is_active or not user.has_perm(Perm.PEOPLE_PERSON_CREATE):
        return Person.objects.none()
    return Person.objects.filter(Q(is_restricted=False) | Q(_member(user)))


def person_can_edit(user: User, person: Person) -> bool:
    return person_editable_by(user).filter(pk=person.pk).exists()


def case_owners_about(person: Person) -> set[int]:
    """The owners of the open cases about ``person``: they stay members when the person is restricted."""
    return set(cases_about(person).filter(state=CaseState.OPEN).values_list("owner_id", flat=True))


def may_restrict(user: User, person: Person) -> bool:
    """Whether ``user`` may restrict ``person`` or change who may see them (with the right to change the
    person): a supervisor or inspector, the officer who owns an open case about them, or (to change the
    members) whoever restricted them, the owner of the restricted record."""
    if not person_can_edit(user, person):
        return False
    if {Role.SUPERVISOR, Role.INSPECTOR} & set(user.roles):
        return True
    if person.is_restricted and person.restricted_by_id == user.pk:
        return True
    return user.pk in case_owners_about(person)


def _scope_reaches(user: User, person: Person) -> bool:
    """Whether ``user``'s VIEW scope (haven.core.access POLICY) would reach ``person`` if unrestricted.

    A person has no owner: force-wide viewers reach everyone; team and own scopes reach the people
    that a case within that scope is about (subject or involvement).
    """
    scope = scope_for(user, Action.VIEW)
    if scope is None or not user.has_perm(Perm.PEOPLE_PERSON_SEARCH):
        return False
    if scope >= Scope.FORCE:
        return True
    reach = scope_q(user, Action.VIEW)
    return cases_about(person).filter(reach).exists()


def person_may_break_glass(*, user: User, public_id: object) -> Person | None:
    """The restricted person ``user`` may break the glass on: one their VIEW scope reaches, of whom
    they are not a named member. None otherwise (the caller answers 404)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    if not user.is_authenticated or not user.is_active:
        return None
    person = Person.objects.filter(public_id=key, is_restricted=True).exclude(_member(user)).first()
    if person is None or not _scope_reaches(user, person):
        return None
    return person


def justification_for(user: User, person: Person) -> tuple[JustificationKind | None, str]:
    """Why ``user`` may read a restricted ``person``: (kind, text) for the s62 log; empty otherwise."""
    if not person.is_restricted:
        return None, ""
    if person.members.filter(pk=user.pk).exists():
        return JustificationKind.ALLOCATED, "Named member of the restricted person."
    glass = (
        PersonBreakGlass.objects.filter(person=person, user_id=user.pk, expires_at__gt=clock.now())
        .order_by("-at")
        .first()
    )
    if glass is not None:
        return JustificationKind.BREAK_GLASS, glass.reason
    return None, ""


def _consulted(user: User, person: Person, detail: dict[str, object] | None = None) -> None:
    """Log one consultation of ``person`` with the justification their restriction needs."""
    kind, text = justification_for(user, person)
    s62.record(
        actor=user,
        operation=Operation.CONSULTATION,
        person_ids=[person.public_id],
        justification=text,
        justification_kind=kind,
        detail=detail,
    )


# --- Refuge addresses (DP-06) --------------------------------------------------------------------
#
# A refuge address has its own need-to-know, never one the reader gave themselves: sight of the person
# (their team's case, a restriction they made, a case they just opened) is not enough. Each address is
# decided on its own, because a merge brings one person's addresses to another's readers.


@dataclass(frozen=True)
class _Merges:
    """What the live merges into a person brought with them: which addresses and cases came from
    which merged person, and which members were added by a merge."""

    address_merge: dict[int, Merge]
    cases_of: dict[int, set[int]]  # merge pk -> the case ids that came with its merged person
    members_added: set[int]

    @property
    def moved_cases(self) -> set[int]:
        return {pk for cases in self.cases_of.values() for pk in cases}


def _merges_into(person: Person) -> _Merges:
    address_merge: dict[int, Merge] = {}
    cases_of: dict[int, set[int]] = {}
    members_added: set[int] = set()
    for merge in Merge.objects.filter(survivor=person, unmerged_at__isnull=True).select_related("merged"):
        cases: set[int] = set()
        for entry in merge.moved:
            if entry["model"] == "people.Address":
                address_merge.update(dict.fromkeys(entry["ids"], merge))
            elif entry["model"] == "cases.Case":
                cases.update(entry["ids"])
            elif entry["model"] == "cases.Involvement":
                cases |= case_ids_of_involvements(entry["ids"])
        cases_of[merge.pk] = cases
        members_added.update(merge.members_added)
    return _Merges(address_merge, cases_of, members_added)


def has_safeguarding_role(user: User) -> bool:
    """Whether ``user`` holds a role force policy names for refuge addresses (``people.refuge_roles``)."""
    return bool(set(user.roles) & set(policy_value(REFUGE_ROLES)))


class _Reader:
    """What one reader brings to every refuge address of one person: each fact is read once, when an
    address first needs it (a safeguarding role or the address's own recorder reads nothing more), so
    deciding four addresses costs what deciding one does."""

    def __init__(self, user: User, person: Person, merges: _Merges) -> None:
        self.user, self.person, self.merges = user, person, merges

    @cached_property
    def safeguarding(self) -> bool:
        return has_safeguarding_role(self.user)

    @cached_property
    def memberships(self) -> dict[int, PersonMember]:
        """The reader's memberships of the restricted sides: the person, and each person merged into them."""
        sides = {self.person.pk, *(merge.merged_id for merge in self.merges.address_merge.values())}
        return {
            m.person_id: m
            for m in PersonMember.objects.filter(
                person_id__in=sides, user_id=self.user.pk, person__is_restricted=True
            ).select_related("added_by")
        }

    @cached_property
    def owned(self) -> list[OwnedCase]:
        return cases_owned_about(user=self.user, person=self.person)

    @cached_property
    def glass(self) -> PersonBreakGlass | None:
        return PersonBreakGlass.objects.filter(
            person=self.person, user_id=self.user.pk, expires_at__gt=clock.now()
        ).first()


def refuge_need(user: User, address: Address, merges: _Merges | None = None, reader: _Reader | None = None) -> str:
    """Why ``user`` may see this refuge address (DP-06), in words for the s62 log; "" if they may not.

    - a role force policy names (``people.refuge_roles``);
    - they recorded it (its source);
    - a named member of the restricted person, named by someone else (not by themselves);
    - the owner of an open case about the person that someone else gave them (allocated from a queue,
      handed over, opened by another), or one they opened themselves before the address was recorded;
    - they broke the glass on the person, with a reason, within the last hour.

    After a merge, an address that came with the merged person is decided by that person's members and
    cases; the survivor's own addresses by the survivor's own (members and cases the merge brought do
    not count): merging reveals nothing. ``reader`` carries what was read for another address of the
    same person (:func:`refuge_addresses`).
    """
    if not user.is_authenticated or not user.is_active or not address.is_refuge:
        return ""
    person = address.person
    if reader is None:
        reader = _Reader(user, person, merges if merges is not None else _merges_into(person))
    if reader.safeguarding:
        return "Holds a safeguarding role named by force policy."
    if address.recorded_by_id is not None and address.recorded_by_id == user.pk:
        return "Recorded this refuge address."
    merges = reader.merges
    merge = merges.address_merge.get(address.pk)
    membership = reader.memberships.get(merge.merged_id if merge is not None else person.pk)
    if (
        membership is not None
        and membership.added_by_id != user.pk
        and (merge is not None or user.pk not in merges.members_added)
    ):
        by = membership.added_by.rank_and_name if membership.added_by is not None else "Haven"
        return f"Named member of the restricted person, named by {by}."
    if merge is not None:  # the cases that came with the merged person
        owned = [c for c in reader.owned if c.pk in merges.cases_of[merge.pk]]
    else:  # the survivor's own cases
        owned = [c for c in reader.owned if c.pk not in merges.moved_cases]
    for case in owned:
        if not case.opened_by_owner:
            return "Allocated officer of an open case about the person, given to them by someone else."
        if case.since < address.created_at:
            return "Officer of an open case about the person since before the refuge address was recorded."
    if reader.glass is not None:
        return f"Broke the glass: {reader.glass.reason}"
    return ""


def _refuges(person: Person, addresses: list[Address] | None) -> list[Address]:
    return [a for a in (addresses if addresses is not None else person.addresses.all()) if a.is_refuge]


def refuge_addresses(
    *, user: User, person: Person, addresses: list[Address] | None = None
) -> list[tuple[Address, str]]:
    """The person's refuge addresses ``user`` has need-to-know for, each with why (unlogged: the
    caller logs the read with the reader's justification). ``addresses``: the person's, if already read."""
    refuges = _refuges(person, addresses)
    if not refuges:
        return []
    reader = _Reader(user, person, _merges_into(person))
    found = [(address, refuge_need(user, address, reader=reader)) for address in refuges]
    return [(address, why) for address, why in found if why]


@dataclass(frozen=True)
class RefugeAddresses:
    """The refuge addresses a reader asked for with a reason (``services.refuge_addresses_read``)."""

    person: Person
    addresses: list[Address]


def can_see_refuge(user: User, person: Person, addresses: list[Address] | None = None) -> bool:
    """Whether ``user`` may ask to see any of ``person``'s refuge addresses (:func:`refuge_need`): the
    first address with need-to-know answers. ``addresses``: the person's, if already read."""
    refuges = _refuges(person, addresses)
    if not refuges:
        return False
    reader = _Reader(user, person, _merges_into(person))
    return any(refuge_need(user, address, reader=reader) for address in refuges)


def has_refuge_address(person: Person) -> bool:
    """Whether ``person`` has a refuge address (for an alert when a case is opened about them)."""
    return Address.objects.filter(person=person, kind=AddressKind.REFUGE).exists()


@dataclass(frozen=True)
class WithheldAddress:
    """A refuge address as every page and API answer shows it: withheld, until a reader with
    need-to-know asks for it with a reason (``services.refuge_addresses_read``)."""

    public_id: uuid.UUID
    kind: str = AddressKind.REFUGE
    lines: str = ""
    postcode: str = ""
    start_date: date | None = None
    end_date: date | None = None
    withheld: bool = True
    is_refuge: bool = True

    def get_kind_display(self) -> str:
        return str(AddressKind.REFUGE.label)


def _uuid(public_id: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None


def person_get(*, user: User, public_id: object, log: bool = True) -> Person:
    """The person with this public id if ``user`` may see them, or NotFound. Logged as consultation.

    A restricted person asked for by an outsider is NotFound, and the refused attempt is logged.
    """
    key = _uuid(public_id)
    person = person_visible_to(user).filter(public_id=key).first()
    if person is None:
        if user.is_authenticated and Person.objects.filter(public_id=key, is_restricted=True).exists():
            with transaction.atomic():
                s62.record(actor=user, operation=Operation.CONSULTATION, person_ids=[key], outcome=Outcome.DENIED)
        raise NotFound("Not found.")
    if log:
        _consulted(user, person)
    return person


def person_photo(*, user: User, person: Person) -> bytes | None:
    """The person's photograph as JPEG bytes, or None if there is none; NotFound outside need-to-know.

    Other apps (the missing-child briefing sheet) call this. Reading it is logged as a consultation.
    Call it outside any transaction you need to keep if a refusal is to stay logged.
    """
    person = person_get(user=user, public_id=person.public_id, log=False)
    with transaction.atomic():
        image = PersonPhoto.objects.filter(person=person).values_list("image", flat=True).first()
        _consulted(user, person, detail={"kind": "photo", "found": image is not None})
    return bytes(image) if image is not None else None


def person_photo_info(*, person: Person) -> PersonPhoto | None:
    """The photo's size and who uploaded it, without the image (for pages already logged)."""
    return PersonPhoto.objects.filter(person=person).defer("image").select_related("uploaded_by").first()


# --- The person page -----------------------------------------------------------------------------


class Related(NamedTuple):
    """One relationship as the person page shows it: how this person relates, and to whom."""

    label: str  # "Parent of", "Sibling"…
    record: Relationship
    other: Person


@dataclass
class PersonProfile:
    """Everything the person page shows, already cut to what the user may see."""

    person: Person
    aliases: list[Alias]
    identifiers: list[Identifier]
    contacts: list[Contact]
    addresses: list[Address | WithheldAddress]
    flags: list[Flag]
    relationships: list[Related]
    merges: list[Merge]
    show_sensitive: bool
    photo: PersonPhoto | None = None
    can_edit: bool = False
    can_restrict: bool = False
    members: list[User] = field(default_factory=list)
    glass_broken: bool = False
    refuge_need: bool = False


def person_addresses(
    *, user: User, person: Person, addresses: list[Address] | None = None
) -> list[Address | WithheldAddress]:
    """The person's addresses, each refuge address withheld (for everyone: even with need-to-know it is
    shown only when asked for with a reason, ``services.refuge_addresses_read``). ``addresses``: the
    person's, if already read."""
    addresses = addresses if addresses is not None else list(person.addresses.all())
    return [WithheldAddress(a.public_id) if a.is_refuge else a for a in addresses]


def person_profile(*, user: User, public_id: object) -> PersonProfile:
    """The person page's content, logged as one consultation."""
    person = person_get(user=user, public_id=public_id, log=False)  # outside: a refusal is logged and kept
    with transaction.atomic():
        _consulted(user, person)
        visible = person_visible_to(user)
        relationships: list[Related] = []
        for rel in Relationship.objects.filter(person=person, other__in=visible).select_related("other"):
            relationships.append(Related(f"{rel.get_kind_display()} of", rel, rel.other))
        for rel in Relationship.objects.filter(other=person, person__in=visible).select_related("person"):
            relationships.append(Related(rel.get_kind_display(), rel, rel.person))
        addresses = list(person.addresses.all())  # read once: shown withheld, and asked whether the reader may ask
        return PersonProfile(
            person=person,
            aliases=list(person.aliases.all()),
            identifiers=list(person.identifiers.all()),
            contacts=list(person.contacts.all()),
            addresses=person_addresses(user=user, person=person, addresses=addresses),
            flags=list(person.flags.all()),
            relationships=relationships,
            merges=list(
                Merge.objects.filter(Q(survivor=person) | Q(merged=person)).select_related("survivor", "merged")
            ),
            show_sensitive=user.has_perm(Perm.PEOPLE_SENSITIVE_VIEW),
            photo=person_photo_info(person=person),
            can_edit=person_can_edit(user, person),
            can_restrict=may_restrict(user, person),
            members=list(person.members.select_related("rank").order_by("last_name", "first_name"))
            if person.is_restricted
            else [],
            glass_broken=justification_for(user, person)[0] == JustificationKind.BREAK_GLASS,
            refuge_need=can_see_refuge(user, person, addresses),
        )


# --- Linked records ------------------------------------------------------------------------------

RECORD_MODELS: dict[str, type[PersonChild]] = {
    "alias": Alias,
    "identifier": Identifier,
    "contact": Contact,
    "address": Address,
    "flag": Flag,
    "relationship": Relationship,
}


def record_kind_of(record: PersonChild) -> str:
    """``alias``, ``identifier``… : the kind of a linked record, as RECORD_MODELS names it."""
    for kind, model in RECORD_MODELS.items():
        if isinstance(record, model):
            return kind
    raise ValueError(f"Not a linked record: {record!r}")


@dataclass(frozen=True)
class PersonRecords:
    """One kind of linked record of one person (their aliases, their flags…): where one is added."""

    person: Person
    kind: str


@dataclass(frozen=True)
class Linked:
    """A linked record reached through one person: a relationship is reached through either of its
    two people, and what a change logs and who may make it depend on which."""

    person: Person
    record: PersonChild


def person_record_get(*, user: User, person: Person, kind: str, public_id: object) -> PersonChild:
    """One linked record of ``person`` (an alias, identifier, contact, address, flag or relationship)
    that ``user`` may see, or NotFound: a refuge address without need-to-know is NotFound, and so is
    a relationship whose other person ``user`` may not see. ``person`` comes from :func:`person_get`."""
    model = RECORD_MODELS.get(kind)
    if model is None:
        raise NotFound("Not found.")
    key = _uuid(public_id)
    record: PersonChild | None
    if model is Relationship:
        visible = person_visible_to(user)
        record = (
            Relationship.objects.filter(public_id=key)
            .filter(Q(person=person, other__in=visible) | Q(other=person, person__in=visible))
            .select_related("person", "other")
            .first()
        )
    else:
        record = model._default_manager.filter(public_id=key, person=person).first()  # type: ignore[misc]
    if record is None:
        raise NotFound("Not found.")
    if isinstance(record, Address) and record.is_refuge and not refuge_need(user, record):
        raise NotFound("Not found.")
    return record


# --- Search --------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    """One search result and why it matched."""

    person: Person
    score: int  # 0-100
    matched_name: str
    matched_as: str  # "Name", or the alias kind ("Nickname"…)
    signals: list[str] = field(default_factory=list)
    """Why it matched, as the API and the audit view give it (similarity figures, the algorithm)."""
    reasons: list[str] = field(default_factory=list)
    """Why it matched in people's words, for pages: no figures, no algorithm names."""

    @property
    def strength(self) -> str:
        """How likely a match this is, in words (pages show this, not the score)."""
        if self.score >= STRONG_MATCH:
            return "Strong match"
        if self.score >= LIKELY_MATCH:
            return "Likely match"
        return "Possible match"


def _swapped(day: date) -> date | None:
    """The date with day and month swapped (3 April ↔ 4 March), if that is a different real date."""
    if day.day > 12 or day.day == day.month:
        return None
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return None


def _years_before(day: date, years: int) -> date:
    year = min(max(day.year - years, date.min.year), date.max.year)  # a window never leaves the calendar
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _dob_range(date_of_birth: date | None, age: int | None, window: int) -> tuple[date, date] | None:
    if date_of_birth is not None:
        return _years_before(date_of_birth, window), _years_before(date_of_birth, -window)
    if age is not None:
        today = clock.now().date()
        latest = _years_before(today, age)
        earliest = _years_before(today, age + 1) + timedelta(days=1)
        return _years_before(earliest, window), _years_before(latest, -window)
    return None


def _metaphones(tokens: list[str]) -> set[str]:
    """Double metaphone (fuzzystrmatch) of each token and of the tokens run together; also sets
    this transaction's trigram thresholds for the candidate query."""
    inputs = [*tokens, "".join(tokens[-2:])] if tokens else []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', true),"
            " set_config('pg_trgm.similarity_threshold', '0.25', true),"
            " ARRAY(SELECT dmetaphone(t) FROM unnest(%s::text[]) AS t)",
            [inputs],
        )
        row = cursor.fetchone()
    return {m for m in (row[2] if row else []) if m}


def _word_score(query: str, name: str) -> float:
    """How well each query word matches its best word of the name (compact forms count too)."""
    words = name.split()
    candidates = [*words, compact(name)] + [a + b for a, b in zip(words, words[1:], strict=False)]
    scores = [max(similarity(q, c) for c in candidates) for q in query.split()]
    return sum(scores) / len(scores) if scores else 0.0


def _name_score(query: str, name: str) -> float:
    if compact(query) == compact(name):
        return 1.0
    return max(similarity(query, name), _word_score(query, name))


def _in_estimated_range(person: Person, day: date) -> bool:
    lo, hi = person.date_of_birth_earliest, person.date_of_birth_latest
    return (lo is not None or hi is not None) and (lo is None or lo <= day) and (hi is None or day <= hi)


STRONG_MATCH = 80
LIKELY_MATCH = 55


def _name_words(score: float, matched_as: str, matched_name: str) -> str:
    """How the name matched, in words: the same, close, or only a little like the name searched for."""
    what = "name" if matched_as == "Name" else f"{matched_as.lower()} “{matched_name}”"
    if score >= 0.99:  # noqa: PLR2004 - the same name, spelt the same
        return f"Same {what}"
    if score >= 0.6:  # noqa: PLR2004
        return f"Close to the {what} searched for" if matched_as == "Name" else f"Known by a {what} close to it"
    return f"Partly like the {what} searched for" if matched_as == "Name" else f"Known by a {what} partly like it"


def _score(
    person: Person, q: str, metaphones: set[str], date_of_birth: date | None, age: int | None, window: int
) -> SearchHit | None:
    signals: list[str] = []
    reasons: list[str] = []
    total = 0.0
    if q:
        names: list[tuple[str, str, str, str | None]] = [
            (person.normalised_name, "Name", person.full_name, person.surname_metaphone)
        ]
        names += [(a.normalised_name, a.get_kind_display(), str(a), a.surname_metaphone) for a in person.aliases.all()]
        best = max(names, key=lambda n: (_name_score(q, n[0]), n[3] in metaphones))
        name_score = _name_score(q, best[0])
        sounds_like = any(n[3] in metaphones for n in names)
        _, matched_as, matched_name, _ = best
        signals.append(f"Name similarity {name_score:.2f}")
        reasons.append(_name_words(name_score, matched_as, matched_name))
        if sounds_like:
            signals.append("Surname sounds alike (double metaphone)")
            reasons.append("Surname sounds the same")
        if name_score < 0.2 and not sounds_like and not (date_of_birth and person.date_of_birth == date_of_birth):
            return None
        total += 0.5 * name_score + (0.15 if sounds_like else 0.0)
    else:
        matched_as, matched_name = "Name", person.full_name
    dob = person.date_of_birth
    if date_of_birth is not None and dob is not None:
        if dob == date_of_birth:
            signals.append("Exact date of birth")
            reasons.append("Same date of birth")
            total += 0.4
        elif dob == _swapped(date_of_birth):
            signals.append("Date of birth with day and month swapped")
            reasons.append("Same date of birth with the day and month the other way round")
            total += 0.25
        else:
            years = abs((dob - date_of_birth).days) / 365.25
            within = max(1, round(years + 0.5))
            signals.append(f"Date of birth within {within} year(s)")
            reasons.append(f"Born within {within} year{'s' if within != 1 else ''} of the date given")
            total += 0.15 * max(0.0, 1 - years / (window + 1))
    elif age is not None and person.age is not None:
        if person.age == age:
            signals.append(f"Age {age}")
            reasons.append(f"Aged {age}")
            total += 0.3
        else:
            signals.append(f"Age {person.age}, within {window} year(s) of {age}")
            reasons.append(f"Aged {person.age}, near the age given")
            total += 0.1
    elif date_of_birth is not None and _in_estimated_range(person, date_of_birth):
        signals.append("Within the estimated date-of-birth range")
        reasons.append("Could be born on the date given (their date of birth is an estimate)")
        total += 0.25
    elif (date_of_birth is not None or age is not None) and dob is None:
        signals.append("No date of birth recorded")
        reasons.append("No date of birth recorded")
    if not q:
        total = total / 0.4 * 0.9
    return SearchHit(
        person=person,
        score=min(100, round(total * 100)),
        matched_name=matched_name,
        matched_as=matched_as,
        signals=signals,
        reasons=reasons,
    )


def people_named(*, name: str, date_of_birth: date | None = None) -> QuerySet[Person]:
    """People whose full name is ``name`` (case, accents, hyphens and apostrophes folded), born on
    ``date_of_birth`` when given: restricted people too, current records only.

    Internal, with no user and no log: for a service matching what someone reported against the register
    without showing them the result (a sighting of a child who may be restricted). Never render what it
    returns without going through a user-scoped selector.
    """
    people = Person.objects.filter(normalised_name=normalise_name(name)[:401], merged_into__isnull=True)
    return people.filter(date_of_birth=date_of_birth) if date_of_birth is not None else people


def person_search(
    *,
    user: User,
    query: str,
    date_of_birth: date | None = None,
    age: int | None = None,
    dob_window_years: int = DOB_WINDOW_YEARS,
    limit: int = SEARCH_LIMIT,
    log: bool = True,
) -> list[SearchHit]:
    """People matching a name (typo-tolerant, aliases included), narrowed by date of birth or age.

    Candidates come from trigram similarity (GIN indexes) and double-metaphone equality on each
    name and alias, or the exact date of birth; they are re-ranked here and each says why it
    matched. Restricted people appear only for their members. Every search is logged (the query and
    the ids returned) as a consultation.
    """
    q = normalise_name(query)[:200]
    if not q and date_of_birth is None:
        return []
    with transaction.atomic():
        hits = (
            _search(user, q, date_of_birth, age, dob_window_years, limit)
            if user.has_perm(Perm.PEOPLE_PERSON_SEARCH)
            else []
        )
        if log:
            s62.record(
                actor=user,
                operation=Operation.CONSULTATION,
                person_ids=[h.person.public_id for h in hits],
                query=query,
                detail={
                    "kind": "person_search",
                    "date_of_birth": date_of_birth.isoformat() if date_of_birth else None,
                    "age": age,
                },
            )
    return hits


def _search(
    user: User, q: str, date_of_birth: date | None, age: int | None, window: int, limit: int
) -> list[SearchHit]:
    tokens = q.split()[:6]
    metaphones = _metaphones(tokens)
    near = Q()
    dob_range = _dob_range(date_of_birth, age, window)
    if dob_range is not None:
        lo, hi = dob_range
        near = Q(date_of_birth__range=(lo, hi)) | Q(date_of_birth__isnull=True)
        swapped = _swapped(date_of_birth) if date_of_birth else None
        if swapped:
            near |= Q(date_of_birth=swapped)
    # The candidates: a UNION of branches, each driven by its own index and narrowed by the date-of-birth
    # window inside it (trigram GIN on the name; metaphone + date of birth; the aliases' own indexes;
    # the exact date of birth). One OR of them all cannot use the indexes together: the alias
    # sub-select turns it into a filter over every person in the window (45,000 at t1).
    branches = []
    if q:
        names = Q(normalised_name__trigram_word_similar=q) | Q(normalised_name__trigram_similar=q)
        branches.append(Person.objects.filter(names, near).values("id"))
        if metaphones:
            branches.append(Person.objects.filter(near, surname_metaphone__in=metaphones).values("id"))
            names |= Q(surname_metaphone__in=metaphones)
        aliased = Alias.objects.filter(names).values("person_id")
        branches.append(Person.objects.filter(near, pk__in=aliased).values("id"))
    if date_of_birth is not None:
        branches.append(Person.objects.filter(date_of_birth=date_of_birth).values("id"))
    candidates = branches[0].union(*branches[1:]) if len(branches) > 1 else branches[0]
    people = person_visible_to(user).filter(merged_into__isnull=True, pk__in=candidates)
    # Only the likeliest candidates are scored here: at t1 a common name finds thousands in the window,
    # and a cut in alphabetical order dropped the person searched for from a third of the searches.
    likely = [When(surname_metaphone__in=metaphones, then=Value(0.3))] if metaphones else []
    if date_of_birth is not None:
        likely.insert(0, When(date_of_birth=date_of_birth, then=Value(0.8)))
    people = people.annotate(
        likely=(TrigramWordSimilarity(q, "normalised_name") if q else Value(0.0))
        + Case(*likely, default=Value(0.0), output_field=FloatField())
    ).order_by(-F("likely"), "surname", "forenames", "pk")
    people = people.prefetch_related(Prefetch("aliases", queryset=Alias.objects.order_by("id")))[:CANDIDATES]
    hits = [h for p in people if (h := _score(p, q, metaphones, date_of_birth, age, window)) is not None]
    hits.sort(key=lambda h: (-h.score, h.person.surname, h.person.forenames, h.person.pk))
    return hits[:limit]


def person_likely_matches(
    *, user: User, forenames: str, surname: str, date_of_birth: date | None = None, threshold: int = 55
) -> list[SearchHit]:
    """People who may already be the person about to be created (shown before creating)."""
    hits = person_search(user=user, query=f"{forenames} {surname}", date_of_birth=date_of_birth, limit=5)
    return [h for h in hits if h.score >= threshold]


# --- Possible duplicates (analysts) --------------------------------------------------------------


@dataclass
class DuplicatePair:
    first: Person
    second: Person
    similarity: float
    same_date_of_birth: bool


_VISIBLE = """{p}.merged_into_id IS NULL AND (NOT {p}.is_restricted
    OR {p}.id IN (SELECT person_id FROM people_person_members WHERE user_id = %(user)s))"""

# Batch de-duplication in three steps, all set-based in PostgreSQL (linear in the number of people):
# 1. ``p``: each visible person with a date of birth, once, with the fields compared: the name, its
#    forenames and surname parts, the first forename, the surname's double metaphone, the date of birth
#    and the date with day and month swapped.
# 2. ``candidates``: blocking. Each block is an equi-join on two keys (a hash or merge join, never a
#    probe per person), the pairs of all blocks UNIONed. A near-duplicate differs from its original in
#    one thing, so a block keeps what did not change: the same date of birth (or the date with day and
#    month swapped) and the same surname metaphone, or the same first forename; or the same name and a
#    date of birth a day or ten days later.
# 3. The rule (see person_duplicate_pairs), on the candidates only.
_DUPLICATES_SQL = f"""
    WITH p AS MATERIALIZED (
        SELECT id, normalised_name AS n, normalised_surname AS s,
               left(normalised_name, length(normalised_name) - length(normalised_surname)) AS fn,
               hashtext(normalised_name) AS nh, hashtext(split_part(normalised_name, ' ', 1)) AS fh,
               hashtext(surname_metaphone) AS mh, date_of_birth AS d,
               CASE WHEN extract(day FROM date_of_birth) <= 12
                     AND extract(day FROM date_of_birth) <> extract(month FROM date_of_birth)
                    THEN make_date(extract(year FROM date_of_birth)::int, extract(day FROM date_of_birth)::int,
                                   extract(month FROM date_of_birth)::int) END AS sw
        FROM people_person WHERE date_of_birth IS NOT NULL AND {_VISIBLE.format(p="people_person")}
    ), candidates AS (
        SELECT a.id AS a, b.id AS b, a.n AS an, b.n AS bn, a.fn AS afn, b.fn AS bfn, a.s AS as_, b.s AS bs,
               'same' AS dob FROM p a JOIN p b ON b.d = a.d AND b.mh = a.mh AND a.id < b.id
        UNION SELECT a.id, b.id, a.n, b.n, a.fn, b.fn, a.s, b.s, 'same' FROM p a JOIN p b
            ON b.d = a.d AND b.fh = a.fh AND a.id < b.id
        UNION SELECT a.id, b.id, a.n, b.n, a.fn, b.fn, a.s, b.s, 'swapped' FROM p a JOIN p b
            ON b.d = a.sw AND b.mh = a.mh AND a.id < b.id
        UNION SELECT a.id, b.id, a.n, b.n, a.fn, b.fn, a.s, b.s, 'swapped' FROM p a JOIN p b
            ON b.d = a.sw AND b.fh = a.fh AND a.id < b.id
        UNION SELECT least(a.id, b.id), greatest(a.id, b.id), a.n, b.n, a.fn, b.fn, a.s, b.s, 'days'
            FROM p a JOIN p b ON b.nh = a.nh AND b.d = a.d + 1 AND b.n = a.n
        UNION SELECT least(a.id, b.id), greatest(a.id, b.id), a.n, b.n, a.fn, b.fn, a.s, b.s, 'days'
            FROM p a JOIN p b ON b.nh = a.nh AND b.d = a.d + 10 AND b.n = a.n
    )
    SELECT a, b, similarity(an, bn) AS sim, dob = 'same' FROM candidates
    WHERE CASE dob
        -- the same date of birth: one part of the name the same and the other at most two keystrokes
        -- out, or the same forenames and a surname with a name added or dropped (hyphenation)
        WHEN 'same' THEN (afn = bfn AND levenshtein_less_equal(left(as_, 255), left(bs, 255), 2) <= 2)
            OR (as_ = bs AND levenshtein_less_equal(left(afn, 255), left(bfn, 255), 2) <= 2)
            OR (afn = bfn AND (' ' || as_ || ' ' LIKE '%% ' || bs || ' %%'
                               OR ' ' || bs || ' ' LIKE '%% ' || as_ || ' %%'))
        -- day and month swapped: one part the same and the other at most one keystroke out
        WHEN 'swapped' THEN (afn = bfn AND levenshtein_less_equal(left(as_, 255), left(bs, 255), 1) <= 1)
            OR (as_ = bs AND levenshtein_less_equal(left(afn, 255), left(bfn, 255), 1) <= 1)
        -- a day or ten days out: the same name (the block's key)
        ELSE true END
    ORDER BY sim DESC, a, b LIMIT %(limit)s
"""  # noqa: S608 - constant SQL; the only values are bound parameters


def person_duplicate_pairs(*, user: User, limit: int = 100) -> list[DuplicatePair]:
    """Pairs of visible people who may be one person recorded twice.

    Listed: the same date of birth, with one part of the name (forenames or surname) the same and the
    other at most two keystrokes out, or with a hyphenated surname gained or lost; day and month
    swapped, with one part the same and the other at most one keystroke out; the same name with the
    date of birth a day or ten days out (a slip of the day's digits). People without a date of birth
    are not compared: a name alone is too common (at t1, 3,500 such pairs of identical names were
    none of them duplicates). Found by blocking and comparing only within blocks (``_DUPLICATES_SQL``),
    in time linear in the size of the register. Logged as one consultation of everyone listed.
    """
    if not user.has_perm(Perm.PEOPLE_PERSON_MERGE):
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        # Each block a hash join in memory (a merge join sorts two million rows twice per block: twice the
        # time at t1); no JIT: compiling this many expressions takes seconds (4 s at 10,000 people, against
        # 0.2 s for the query itself) and saves nothing on string functions.
        cursor.execute(
            "SELECT set_config('work_mem', '512MB', true), set_config('enable_mergejoin', 'off', true),"
            " set_config('jit', 'off', true)"
        )
        cursor.execute(_DUPLICATES_SQL, {"user": user.pk, "limit": limit})
        rows = cursor.fetchall()
        people = Person.objects.in_bulk({r[0] for r in rows} | {r[1] for r in rows})
        s62.record(
            actor=user,
            operation=Operation.CONSULTATION,
            person_ids=[p.public_id for p in people.values()],
            detail={"kind": "possible_duplicates"},
        )
    return [DuplicatePair(people[a], people[b], float(s), bool(same)) for a, b, s, same in rows]


def merge_get(*, user: User, public_id: object, log: bool = True) -> Merge:
    """A merge of two people ``user`` may see; reading it is a consultation of both (s62)."""
    # Without the permission no merge is visible, and asking for one is a refusal like any other.
    visible = person_visible_to(user) if user.has_perm(Perm.PEOPLE_PERSON_MERGE) else Person.objects.none()
    merge = (
        Merge.objects.filter(public_id=_uuid(public_id), survivor__in=visible, merged__in=visible)
        .select_related("survivor", "merged")
        .first()
    )
    if merge is None:
        hidden = Merge.objects.select_related("survivor", "merged").filter(public_id=_uuid(public_id)).first()
        if hidden is not None:  # one that exists, refused: the attempt is kept (DP-01)
            s62.record(
                actor=user,
                operation=Operation.CONSULTATION,
                person_ids=[hidden.survivor.public_id, hidden.merged.public_id],
                outcome=Outcome.DENIED,
                detail={"kind": "merge", "merge": str(hidden.public_id)},
            )
        raise NotFound("Not found.")
    if log:
        s62.record(
            actor=user,
            operation=Operation.CONSULTATION,
            person_ids=[merge.survivor.public_id, merge.merged.public_id],
            justification="Reviewing a merge of two records (analyst).",
            justification_kind=JustificationKind.STATED,
            detail={"kind": "merge", "merge": str(merge.public_id)},
        )
    return merge


# --- Printing what was typed about a person --------------------------------------------------------

WITHHELD = "[address withheld]"
_SHORTEST_LINE = 5  # a line shorter than this ("Flat 2") names nothing on its own


def refuge_withheld(text: str) -> str:
    """``text`` with every refuge address on the register (DP-06) in it replaced by "[address withheld]":
    for what people typed (a report's "last seen at", a trigger plan's places) before it is printed for
    patrols, who never have the need-to-know. Internal: it reads no one's data for the caller and logs
    nothing; what it returns reveals nothing of the addresses."""
    if not text:
        return text
    patterns = []
    for lines, postcode in Address.objects.filter(kind=AddressKind.REFUGE).values_list("lines", "postcode"):
        for line, is_postcode in [*((line, False) for line in lines.splitlines()), (postcode, True)]:
            words = line.replace(",", " ").split()
            # A postcode names a few streets; a line of one word is a town ("Leeds"), which names nothing.
            if len("".join(words)) >= _SHORTEST_LINE and (is_postcode or len(words) > 1):
                patterns.append(r"[\s,]*".join(re.escape(word) for word in words))
    if not patterns:
        return text
    return re.sub("|".join(sorted(set(patterns), key=len, reverse=True)), WITHHELD, text, flags=re.IGNORECASE)
