"""Demo people: families with shared surnames and addresses, flags, aliases, and near-duplicates to find.

``seed_people(count=300, seed=…)`` is deterministic and idempotent: every demo person has a fixed
public id (uuid5 of the seed and their number), so running it again creates only what is missing.
Creation is logged in the s62 log as one collection by Haven itself.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from faker import Faker

from haven.audit.choices import Operation
from haven.core import clock
from haven.people import s62
from haven.people.choices import Sex
from haven.people.models import Address, Alias, Flag, Identifier, Person, PersonPhoto, Relationship
from haven.people.rules import normalise_name

DEMO_NAMESPACE = uuid.UUID("6f1d3c52-8a53-4d5e-9d0e-2f6c1f3b7a10")
NICKNAMES = {
    "Jack": "Jake",
    "Thomas": "Tom",
    "William": "Will",
    "Joshua": "Josh",
    "Daniel": "Danny",
    "James": "Jim",
    "Oliver": "Ollie",
    "Samuel": "Sam",
    "Alexander": "Alex",
    "Matthew": "Matt",
    "Jessica": "Jess",
    "Rebecca": "Becky",
    "Elizabeth": "Beth",
    "Katherine": "Kate",
    "Charlotte": "Lottie",
    "Olivia": "Liv",
    "Samantha": "Sam",
    "Victoria": "Vicky",
    "Jennifer": "Jenny",
    "Abigail": "Abbie",
}
LOCAL_AUTHORITIES = ["Leeds", "Bradford", "Kirklees", "Calderdale", "Wakefield", "Manchester", "Sheffield"]
STREET_NAMES = ["Ghost", "Tiny", "K-Dog", "Blaze", "Shorty", "Smokey", "Lil T", "Rizla"]


@dataclass
class _Plan:
    key: str
    forenames: str
    surname: str
    sex: str
    date_of_birth: date | None
    estimated: bool = False
    address: tuple[str, str, str] | None = None  # (kind, lines, postcode)
    aliases: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, forenames, surname)
    flags: list[dict[str, Any]] = field(default_factory=list)
    nhs: str = ""
    relationships: list[tuple[str, str]] = field(default_factory=list)  # (kind, other key)
    duplicate_of: str = ""


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10 and digits[0] != 0:
            text = "".join(map(str, digits)) + str(check)
            return f"{text[:3]} {text[3:6]} {text[6:]}"


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    choice = rng.choice(["swap", "drop", "double"])
    if choice == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if choice == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _plan(count: int, seed: int) -> list[_Plan]:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    today = clock.now().date()
    plans: list[_Plan] = []
    n = 0

    def key() -> str:
        nonlocal n
        n += 1
        return f"{seed}-{n}"

    while len(plans) < count:
        surname = fake.last_name()
        kind = "refuge" if rng.random() < 0.05 else "home"
        address = (kind, f"{fake.building_number()} {fake.street_name()}\n{fake.city()}", fake.postcode())
        parents = []
        for sex in rng.sample(["female", "male"], rng.choice([1, 2])):
            first = fake.first_name_female() if sex == "female" else fake.first_name_male()
            dob = today - timedelta(days=rng.randint(24 * 365, 50 * 365))
            parent = _Plan(key(), first, surname, sex, dob, address=address)
            if sex == "female" and rng.random() < 0.3:
                parent.aliases.append(("maiden", "", fake.last_name()))
            parents.append(parent)
        children = []
        for _ in range(rng.randint(1, 3)):
            sex = rng.choice(["female", "male"])
            first = fake.first_name_female() if sex == "female" else fake.first_name_male()
            dob = today - timedelta(days=rng.randint(2 * 365, 17 * 365))
            child = _Plan(key(), first, surname, sex, dob, address=address, nhs=_nhs_number(rng))
            if rng.random() < 0.15:
                child.flags.append(
                    {
                        "kind": "looked_after",
                        "responsible_authority": rng.choice(LOCAL_AUTHORITIES),
                        "host_authority": rng.choice(LOCAL_AUTHORITIES),
                        "start_date": today - timedelta(days=400),
                    }
                )
                child.address = ("care_placement", f"{fake.building_number()} {fake.street_name()}", fake.postcode())
            if rng.random() < 0.1:
                child.flags.append({"kind": "child_protection_plan", "start_date": today - timedelta(days=90)})
            if rng.random() < 0.1:
                child.flags.append({"kind": "exploitation_risk", "start_date": today - timedelta(days=30)})
                child.aliases.append(("street_name", "", rng.choice(STREET_NAMES)))
            if rng.random() < 0.08:
                child.flags.append({"kind": "philomena", "start_date": today - timedelta(days=200)})
            if first in NICKNAMES and rng.random() < 0.3:
                child.aliases.append(("nickname", NICKNAMES[first], surname))
            child.relationships = [("parent", p.key) for p in parents]  # stored on the child: parent of child
            children.append(child)
        for child in children:
            child.relationships += [("sibling", c.key) for c in children if c.key < child.key]
        plans += parents + children
        for child in children:
            if rng.random() < 0.12 and child.date_of_birth:
                plans.append(_near_duplicate(child, key(), rng))
    return plans[:count]


def _near_duplicate(child: _Plan, new_key: str, rng: random.Random) -> _Plan:
    dob = child.date_of_birth
    forenames, surname = child.forenames, child.surname
    how = rng.choice(["typo", "swap", "nickname", "hyphen"])
    if how == "typo" and len(surname) > 4:
        surname = _typo(surname, rng)
    elif how == "swap" and dob and dob.day <= 12 and dob.day != dob.month:
        dob = dob.replace(month=dob.day, day=dob.month)
    elif how == "nickname" and forenames in NICKNAMES:
        forenames = NICKNAMES[forenames]
    else:
        surname = f"{surname}-{rng.choice(['Smith', 'Jones', 'Brown', 'Taylor'])}"
    return _Plan(new_key, forenames, surname, child.sex, dob, duplicate_of=child.key)


def _public_id(key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"person-{key}")


@transaction.atomic
def seed_people(count: int = 300, seed: int = 2026) -> int:
    """Create the demo people that do not exist yet; return how many were created."""
    plans = _plan(count, seed)
    ids = {p.key: _public_id(p.key) for p in plans}
    existing = set(Person.objects.filter(public_id__in=ids.values()).values_list("public_id", flat=True))
    new = [p for p in plans if ids[p.key] not in existing]
    if not new:
        return 0
    people = Person.objects.bulk_create(
        [
            Person(
                public_id=ids[p.key],
                forenames=p.forenames,
                surname=p.surname,
                normalised_name=normalise_name(f"{p.forenames} {p.surname}"),
                normalised_surname=normalise_name(p.surname),
                sex=p.sex if p.sex in Sex.values else Sex.UNKNOWN,
                date_of_birth=p.date_of_birth,
                duplicate_reason="Demo near-duplicate" if p.duplicate_of else "",
            )
            for p in new
        ]
    )
    by_key = {p.key: person for p, person in zip(new, people, strict=True)}
    all_people = {**_existing(ids, existing), **by_key}
    aliases, addresses, flags, identifiers, relationships = [], [], [], [], []
    for plan in new:
        person = by_key[plan.key]
        for kind, forenames, surname in plan.aliases:
            aliases.append(
                Alias(
                    person=person,
                    kind=kind,
                    forenames=forenames,
                    surname=surname,
                    normalised_name=normalise_name(f"{forenames} {surname}"),
                    normalised_surname=normalise_name(surname),
                )
            )
        if plan.address:
            kind, lines, postcode = plan.address
            addresses.append(Address(person=person, kind=kind, lines=lines, postcode=postcode))
        flags += [Flag(person=person, **spec) for spec in plan.flags]
        if plan.nhs:
            identifiers.append(Identifier(person=person, kind="nhs", value=plan.nhs))
        for kind, other_key in plan.relationships:
            other = all_people.get(other_key)
            if other is not None:
                # "parent": the other (a parent) is parent of this child.
                relationships.append(Relationship(person=other, other=person, kind=kind))
    Alias.objects.bulk_create(aliases)
    Address.objects.bulk_create(addresses)
    Flag.objects.bulk_create(flags)
    Identifier.objects.bulk_create(identifiers)
    Relationship.objects.bulk_create(relationships)
    _seed_photos_and_restriction(new, by_key, seed)
    s62.record(
        actor=None,
        operation=Operation.COLLECTION,
        person_ids=[p.public_id for p in people],
        detail={"kind": "demo_seed", "seed": seed},
    )
    return len(people)


def _existing(ids: dict[str, uuid.UUID], existing: set[uuid.UUID]) -> dict[str, Person]:
    if not existing:
        return {}
    found = Person.objects.in_bulk(list(existing), field_name="public_id")
    return {key: found[pid] for key, pid in ids.items() if pid in found}


PHOTO_EVERY = 12  # about one demo person in twelve has a (drawn) photograph
RESTRICTED_MEMBER = "investigator"  # the demo user named on the demo's restricted person


def _portrait(rng: random.Random) -> bytes:
    """A drawn head-and-shoulders silhouette (no real faces in demo data), through the same
    normalisation as an upload."""
    import io

    from PIL import Image, ImageDraw

    from haven.people.photos import photo_normalise

    background = tuple(rng.randrange(150, 230) for _ in range(3))
    figure = tuple(rng.randrange(40, 120) for _ in range(3))
    image = Image.new("RGB", (300, 400), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((95, 70, 205, 190), fill=figure)
    draw.ellipse((45, 210, 255, 470), fill=figure)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return photo_normalise(buffer.getvalue()).jpeg


def _seed_photos_and_restriction(new: list[_Plan], by_key: dict[str, Person], seed: int) -> None:
    """Photographs for some of the people just created, and one restricted person (the fourth)."""
    import hashlib
    import io

    from PIL import Image

    rng = random.Random(seed * 7 + 1)  # noqa: S311 - demo data, not security
    photos = []
    for index, plan in enumerate(new):
        if index % PHOTO_EVERY == 0:
            jpeg = _portrait(rng)
            width, height = Image.open(io.BytesIO(jpeg)).size
            photos.append(
                PersonPhoto(
                    person=by_key[plan.key],
                    image=jpeg,
                    width=width,
                    height=height,
                    sha256=hashlib.sha256(jpeg).hexdigest(),
                )
            )
    PersonPhoto.objects.bulk_create(photos)
    if len(new) > 3:
        from django.contrib.auth import get_user_model

        restricted = by_key[new[3].key]
        Person.objects.filter(pk=restricted.pk).update(is_restricted=True)
        member = get_user_model().objects.filter(username=RESTRICTED_MEMBER).first()
        if member is not None:
            restricted.members.add(member)
