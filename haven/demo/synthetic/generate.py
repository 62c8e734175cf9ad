"""The synthetic force, one part at a time: pure Python, no database, deterministic for a seed.

The force is cut into parts of ``PART_PEOPLE`` people. Part ``i`` draws everything from its own
``random.Random(f"{seed}/{i}")`` and numbers its rows in its own id range (``base + i * cap + n``),
so any part can be made alone, in any order, by any process, and always comes out the same: the
national tier is built in pieces. Ids have gaps between parts; nothing reads meaning into an id.

A part holds households (families with shared surnames and addresses, people living alone, young
adults), looked-after children in care placements, flags, aliases, NHS numbers and relationships;
missing episodes with zipf-skewed repeats (most children go missing once, a few twenty times or
more), about 61 % of them children, each with its missing ``Case``, risk assessments and their
sources, enquiries, supervisor reviews, prevention and return home interviews and deadlines (met for
finished episodes, live for the few still missing); general safeguarding cases; and labelled
near-duplicate people (typos, swapped day and month, nicknames, hyphenation, transliteration) whose
truth is kept as pairs of public ids.
"""

from __future__ import annotations

import math
import random
import uuid
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from haven.demo.synthetic import names
from haven.demo.synthetic.bulk import Raw, raw_json
from haven.people.rules import normalise_name

PART_PEOPLE = 2_000
YEARS = 10
ADULT_AGE = 18
CHILD_SHARE = 0.61  # of missing reports (domain §2: national statistics)
DUPLICATE_RATE = 0.02
GENERAL_CASE_RATE = 0.03
VOCABULARY_VERSION = "app-2024"

# Rows of each table a part may number (ids per part = cap x PART_PEOPLE). Generous: ids may have gaps.
CAPS: dict[str, int] = {
    "person": 1,
    "alias": 2,
    "address": 3,
    "identifier": 2,
    "flag": 2,
    "relationship": 6,
    "case": 2,
    "involvement": 4,
    "timeline": 6,
    "episode": 2,
    "assessment": 4,
    "source": 4,
    "enquiry": 12,
    "review": 6,
    "prevention": 2,
    "rhi": 2,
    "deadline": 12,
    "escalation": 36,
}


@dataclass(frozen=True)
class Tier:
    """How big a synthetic force is."""

    name: str
    people: int
    episodes: int
    users: int
    label: str

    @property
    def parts(self) -> int:
        return math.ceil(self.people / PART_PEOPLE)

    def part_people(self, part: int) -> int:
        return min(PART_PEOPLE, self.people - part * PART_PEOPLE)


TIERS: dict[str, Tier] = {
    "t0": Tier("t0", 10_000, 2_500, 60, "CI: 10 k people"),
    "t1": Tier("t1", 2_000_000, 500_000, 3_000, "One large force: 2 M people, 500 k episodes"),
    "t2": Tier("t2", 15_000_000, 3_300_000, 20_000, "England and Wales: 15 M people, 3.3 M episodes"),
}


@dataclass(frozen=True)
class Officer:
    id: int
    team_id: int | None
    supervisor: bool = False
    can_enquire: bool = True  # holds MISSING_ENQUIRY_RECORD (call handlers do not)


@dataclass(frozen=True)
class Context:
    """What every part needs to know: the tier, seed, time anchor, id bases and the force's officers."""

    tier: Tier
    seed: int
    anchor: datetime
    bases: dict[str, int]
    officers: tuple[Officer, ...]
    supervisors: tuple[Officer, ...]
    ladders: dict[str, tuple[str, list[dict[str, Any]]]]  # kind code -> (rule id, ladder json)
    teams: dict[int | None, tuple[Officer, ...]] = field(default_factory=dict)  # team -> who may take enquiries
    reference_prefix: str = "HVN"
    reference_offset: int = 0
    places: names.Places | None = None


@dataclass
class Part:
    """The rows of one part, by table key (see ``CAPS``), and the near-duplicate truth."""

    index: int
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {k: [] for k in CAPS})
    truth: list[tuple[uuid.UUID, uuid.UUID, str]] = field(default_factory=list)
    references: dict[int, int] = field(default_factory=dict)  # year -> highest reference number

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.rows.values())


_ZIPF_MAX = 60


def _zipf_table(s: float) -> list[float]:
    return list(accumulate(k**-s for k in range(1, _ZIPF_MAX + 1)))


_CHILD_REPEATS = _zipf_table(2.0)  # ~61 % once; about 1 in 100 missing children twenty times or more
_ADULT_REPEATS = _zipf_table(3.0)


def _zipf(rng: random.Random, table: list[float]) -> int:
    return bisect_left(table, rng.random() * table[-1]) + 1


@dataclass
class _Person:
    row: dict[str, Any]
    dob: date | None
    sex: str
    household: int
    looked_after: bool = False
    risk: float = 1.0
    parents: list[int] = field(default_factory=list)
    la: tuple[str, str] = ("", "")


class _PartBuilder:
    def __init__(self, ctx: Context, index: int) -> None:
        self.ctx = ctx
        self.index = index
        self.rng = random.Random(f"{ctx.seed}/{index}")  # noqa: S311 - synthetic data, not security
        self.part = Part(index)
        self.counters = dict.fromkeys(CAPS, 0)
        self.people: list[_Person] = []
        self.places = ctx.places or names.places(ctx.seed)
        self.today = ctx.anchor.date()

    # --- helpers ---------------------------------------------------------------------------------

    def next_id(self, key: str) -> int:
        n = self.counters[key]
        cap = CAPS[key] * PART_PEOPLE
        if n >= cap:
            raise OverflowError(f"part {self.index} ran out of {key} ids ({cap})")
        self.counters[key] = n + 1
        return self.ctx.bases[key] + self.index * cap + n + 1

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, key: str, row: dict[str, Any], at: datetime | None = None) -> dict[str, Any]:
        row["id"] = self.next_id(key)
        row.setdefault("public_id", self.uuid())
        at = at or self.ctx.anchor
        row.setdefault("created_at", at)
        row.setdefault("updated_at", at)
        self.part.rows[key].append(row)
        return row

    def when(self, start: datetime, end: datetime) -> datetime:
        span = max(0.0, (end - start).total_seconds())
        return (start + timedelta(seconds=self.rng.random() * span)).replace(microsecond=0)

    def dob(self, age_lo: float, age_hi: float) -> date:
        return self.today - timedelta(days=int(self.rng.uniform(age_lo, age_hi) * 365.25))

    def officer(self) -> Officer:
        return self.rng.choice(self.ctx.officers)

    def colleague(self, officer: Officer) -> Officer | None:
        """Someone on ``officer``'s team who may take missing-person enquiries (None if nobody)."""
        team = self.ctx.teams.get(officer.team_id, ())
        return self.rng.choice(team) if team else None

    def supervisor(self) -> Officer:
        return self.rng.choice(self.ctx.supervisors or self.ctx.officers)

    # --- people ----------------------------------------------------------------------------------

    def build(self) -> Part:
        target = self.ctx.tier.part_people(self.index)
        household = 0
        while len(self.people) < target:
            household += 1
            self.household(household, target)
        self.missing()
        self.general_cases()
        return self.part

    def household(self, household: int, target: int) -> None:
        rng = self.rng
        origin = names.origin_pick(rng)
        surname = names.surname_pick(origin, rng)
        home = self.address_text()
        kind = rng.random()
        members: list[_Person] = []
        if kind < 0.55:
            parents = []
            for sex in rng.sample(["female", "male"], rng.choice([1, 2, 2])):
                parent_surname = surname if rng.random() > 0.2 else names.surname_pick(origin, rng)
                p = self.person(origin, sex, parent_surname, self.dob(24, 55), household, home, target)
                if p is None:
                    return
                if sex == "female" and parent_surname == surname and rng.random() < 0.3:
                    self.alias(p, "maiden", "", names.surname_pick(origin, rng))
                parents.append(p)
            for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
                sex = rng.choice(["female", "male"])
                child = self.person(origin, sex, surname, self.dob(0, 24), household, home, target)
                if child is None:
                    break
                child.parents = [p.row["id"] for p in parents]
                for p in parents:
                    self.relationship(p, child, "parent")
                for sibling in members:
                    self.relationship(sibling, child, "sibling")
                members.append(child)
        elif kind < 0.85:
            self.person(origin, rng.choice(["female", "male"]), surname, self.dob(18, 92), household, home, target)
        else:
            self.person(origin, rng.choice(["female", "male"]), surname, self.dob(18, 27), household, home, target)

    def address_text(self) -> tuple[str, str]:
        rng, pl = self.rng, self.places
        lines = f"{rng.randint(1, 240)} {rng.choice(pl.streets)}\n{rng.choice(pl.towns)}"
        return lines, rng.choice(pl.postcodes)

    def person(
        self,
        origin: names.Origin,
        sex: str,
        surname: str,
        dob: date,
        household: int,
        home: tuple[str, str],
        target: int,
    ) -> _Person | None:
        if len(self.people) >= target:
            return None
        rng = self.rng
        forenames = names.forename_pick(origin, sex, rng)
        if rng.random() < 0.25:
            forenames = f"{forenames} {names.forename_pick(origin, sex, rng)}"
        forenames, surname = names.spelled(forenames, rng), names.spelled(surname, rng)
        created = self.when(self.ctx.anchor - timedelta(days=365 * YEARS), self.ctx.anchor)
        row: dict[str, Any] = {
            "forenames": forenames,
            "surname": surname,
            "sex": sex,
            "date_of_birth": dob,
        }
        if rng.random() < 0.01:  # not known: an estimated range instead
            row.update(
                date_of_birth=None,
                date_of_birth_estimated=True,
                date_of_birth_earliest=dob - timedelta(days=365),
                date_of_birth_latest=dob + timedelta(days=365),
            )
        row["is_restricted"] = rng.random() < 0.002
        self._names(row)
        self.add("person", row, created)
        person = _Person(row, dob, sex, household)
        self.people.append(person)
        age = (self.today - dob).days / 365.25
        self.address(person, "home", home, None)
        if age < ADULT_AGE or rng.random() < 0.2:
            self.add("identifier", {"person_id": row["id"], "kind": "nhs", "value": _nhs_number(rng)}, created)
        if age < ADULT_AGE + 8:
            self.child_flags(person, age, created)
        first = forenames.split()[0]
        if first in names.NICKNAMES and rng.random() < 0.1:
            self.alias(person, "nickname", rng.choice(names.NICKNAMES[first]), surname)
        variant = names.variant_of(surname, rng)
        if variant and rng.random() < 0.1:
            self.alias(person, "alias", forenames, variant)
        if len(self.people) < target and rng.random() < DUPLICATE_RATE:
            self.near_duplicate(person, home, created)
        return person

    @staticmethod
    def _names(row: dict[str, Any]) -> None:
        row["normalised_name"] = normalise_name(f"{row['forenames']} {row['surname']}")
        row["normalised_surname"] = normalise_name(row["surname"])

    def child_flags(self, person: _Person, age: float, created: datetime) -> None:
        rng = self.rng
        if rng.random() < 0.04:
            person.looked_after = True
            person.risk *= 8
            la = (rng.choice(names.LOCAL_AUTHORITIES), rng.choice(names.LOCAL_AUTHORITIES))
            person.la = la
            start = self.today - timedelta(days=rng.randint(30, 2000))
            current = age < ADULT_AGE
            end = None if current else self.today - timedelta(days=rng.randint(1, 2000))
            self.flag(person, "looked_after", start, end, la)
            self.address(person, "care_placement", self.address_text(), start)
            if rng.random() < 0.6:
                self.flag(person, "philomena", start, end)
        if rng.random() < 0.03:
            person.risk *= 3
            self.flag(person, "child_protection_plan", self.today - timedelta(days=rng.randint(30, 700)), None)
        if rng.random() < 0.02:
            person.risk *= 5
            self.flag(person, "exploitation_risk", self.today - timedelta(days=rng.randint(10, 400)), None)
            self.alias(person, "street_name", "", rng.choice(names.STREET_NAMES))

    def flag(self, person: _Person, kind: str, start: date, end: date | None, la: tuple[str, str] = ("", "")) -> None:
        self.add(
            "flag",
            {
                "person_id": person.row["id"],
                "kind": kind,
                "start_date": start,
                "end_date": end,
                "responsible_authority": la[0],
                "host_authority": la[1],
            },
        )

    def address(self, person: _Person, kind: str, where: tuple[str, str], start: date | None) -> None:
        self.add(
            "address",
            {"person_id": person.row["id"], "kind": kind, "lines": where[0], "postcode": where[1], "start_date": start},
        )

    def alias(self, person: _Person, kind: str, forenames: str, surname: str) -> None:
        self.add(
            "alias",
            {
                "person_id": person.row["id"],
                "kind": kind,
                "forenames": forenames,
                "surname": surname,
                "normalised_name": normalise_name(f"{forenames} {surname}"),
                "normalised_surname": normalise_name(surname),
            },
        )

    def relationship(self, person: _Person, other: _Person, kind: str) -> None:
        self.add("relationship", {"person_id": person.row["id"], "other_id": other.row["id"], "kind": kind})

    def near_duplicate(self, original: _Person, home: tuple[str, str], created: datetime) -> None:
        """Another record of the same person, made by someone who did not find the first one."""
        rng = self.rng
        src = original.row
        forenames, surname, dob = src["forenames"], src["surname"], src["date_of_birth"]
        how = rng.choice(["typo", "typo", "swap", "nickname", "hyphen", "transliteration", "dob_typo"])
        first = forenames.split()[0]
        if how == "swap" and dob and dob.day <= 12 and dob.day != dob.month:
            dob = dob.replace(month=dob.day, day=dob.month)
        elif how == "nickname" and first in names.NICKNAMES:
            forenames = rng.choice(names.NICKNAMES[first])
        elif how == "transliteration" and (variant := names.variant_of(surname, rng)):
            surname = variant
        elif how == "transliteration" and (variant := names.variant_of(first, rng)):
            forenames = forenames.replace(first, variant, 1)
        elif how == "hyphen":
            surname = surname.split("-")[0] if "-" in surname else f"{surname}-{rng.choice(names.DOUBLE_BARRELS)}"
        elif how == "dob_typo" and dob:
            dob = dob + timedelta(days=rng.choice([-1, 1, 10, -10]))
        else:
            how = "typo"
            if len(surname) > 4 and rng.random() < 0.6:
                surname = _typo(surname, rng)
            else:
                forenames = forenames.replace(first, _typo(first, rng), 1)
        if (normalise_name(f"{forenames} {surname}"), dob) == (src["normalised_name"], src["date_of_birth"]):
            how = "typo"  # a spelling that folds to the same name (Siân, Sian) is no near-duplicate
            surname = _typo(surname, rng) if len(surname) > 2 else surname + "e"
        row: dict[str, Any] = {
            "forenames": forenames,
            "surname": surname,
            "sex": src["sex"] if rng.random() > 0.05 else "unknown",
            "date_of_birth": dob,
            "is_restricted": False,
        }
        self._names(row)
        later = self.when(created, self.ctx.anchor)
        self.add("person", row, later)
        dup = _Person(row, dob, original.sex, original.household)
        self.people.append(dup)
        if rng.random() < 0.7:
            self.address(dup, "home", home, None)
        self.part.truth.append((src["public_id"], row["public_id"], how))

    # --- missing episodes --------------------------------------------------------------------------

    def missing(self) -> None:
        tier, rng = self.ctx.tier, self.rng
        expected = tier.episodes * len(self.people) / tier.people
        wanted = int(expected) + (rng.random() < expected - int(expected))
        child_wanted = round(wanted * CHILD_SHARE)
        start = self.ctx.anchor - timedelta(days=365 * YEARS)
        young = [p for p in self.people if p.dob and 10 <= (self.today - p.dob).days / 365.25 < ADULT_AGE + YEARS]
        adults = [p for p in self.people if p.dob and (self.today - p.dob).days / 365.25 >= ADULT_AGE + 1]
        active_left = max(1, round(wanted * 0.003)) if wanted else 0
        made = self._episodes_for(young, child_wanted, _CHILD_REPEATS, start, child=True, active=active_left)
        self._episodes_for(adults, wanted - made, _ADULT_REPEATS, start, child=False, active=0)

    def _episodes_for(
        self, pool: list[_Person], wanted: int, repeats: list[float], start: datetime, *, child: bool, active: int
    ) -> int:
        rng = self.rng
        made = 0
        candidates = list(pool)
        weights = [p.risk for p in candidates]
        while made < wanted and candidates:
            i = rng.choices(range(len(candidates)), weights=weights)[0]
            person = candidates.pop(i)
            weights.pop(i)
            k = min(_zipf(rng, repeats), wanted - made)
            assert person.dob is not None
            if child:
                lo = max(start, _at(person.dob, 10))
                hi = min(self.ctx.anchor - timedelta(days=4), _at(person.dob, ADULT_AGE))
            else:
                lo = max(start, _at(person.dob, ADULT_AGE))
                hi = self.ctx.anchor - timedelta(days=4)
            if hi <= lo:
                continue
            times = sorted(self.when(lo, hi) for _ in range(k))
            still_child = (self.today - person.dob).days / 365.25 < ADULT_AGE - 0.1
            for n, last_seen in enumerate(times):
                is_active = active > 0 and n == k - 1 and (still_child or not child) and rng.random() < 0.5
                if is_active:
                    active -= 1
                    last_seen = self.ctx.anchor - timedelta(minutes=rng.randint(45, 60 * 60))
                if n and last_seen - times[n - 1] < timedelta(days=3):
                    last_seen = times[n - 1] + timedelta(days=3, hours=rng.randint(0, 48))
                    times[n] = last_seen
                if last_seen > self.ctx.anchor - timedelta(minutes=40):
                    break
                self.episode(person, last_seen, active=is_active, is_child=child)
                made += 1
        return made

    def episode(self, person: _Person, last_seen: datetime, *, active: bool, is_child: bool) -> None:  # noqa: PLR0915
        rng, anchor = self.rng, self.ctx.anchor
        officer = self.officer()
        reported_at = min(last_seen + timedelta(minutes=rng.randint(20, 360)), anchor - timedelta(minutes=30))
        grade = rng.choices(["very_low", "low", "medium", "high"], weights=[5, 35, 45, 15])[0]
        if is_child and grade == "very_low":
            grade = "low"  # children are rarely graded very low; low needs the supervisor's M-06 override below
        review_every = {"very_low": 24 * 60, "low": 12 * 60, "medium": 4 * 60, "high": 60}[grade]
        duration = timedelta(minutes=min(60 * 24 * 30, int(rng.lognormvariate(math.log(10 * 60), 1.2))))
        cancelled = not active and rng.random() < 0.02
        found_at = None if active or cancelled else reported_at + duration
        ended_at = (
            None if active else (found_at or reported_at + timedelta(hours=2)) + timedelta(hours=rng.randint(2, 96))
        )
        if ended_at is not None and ended_at > anchor:
            ended_at = anchor - timedelta(minutes=5)
            found_at = min(found_at, ended_at) if found_at else None
        missing_from = "home"
        la = ("", "")
        if person.looked_after:
            missing_from = rng.choice(["care_home", "foster"])
            la = person.la if person.la[0] else (rng.choice(names.LOCAL_AUTHORITIES),) * 2
        elif rng.random() < 0.1:
            missing_from = rng.choice(["school", "other"])
        where = f"{rng.choice(self.places.streets)}, {rng.choice(self.places.towns)}"
        year = reported_at.year
        case_id_local = self.counters["case"] + 1 + self.index * CAPS["case"] * PART_PEOPLE
        number = self.ctx.reference_offset + self.ctx.bases["case"] + case_id_local
        self.part.references[year] = max(self.part.references.get(year, 0), number)
        state = "open" if active else "closed"
        case = self.add(
            "case",
            {
                "reference": f"{self.ctx.reference_prefix}-{year}-{number:06d}",
                "kind": "missing",
                "summary": f"Missing from {where}"[:200],
                "subject_id": person.row["id"],
                "owner_id": officer.id,
                "team_id": officer.team_id,
                "state": state,
                "sensitivity": "normal",
                "opened_at": reported_at,
                "closed_at": ended_at,
                "version": 1,
            },
            reported_at,
        )
        self.add("involvement", {"case_id": case["id"], "person_id": person.row["id"], "role": "subject"}, reported_at)
        if person.parents and rng.random() < 0.6:
            self.add(
                "involvement",
                {"case_id": case["id"], "person_id": rng.choice(person.parents), "role": "person_reporting"},
                reported_at,
            )
        self.timeline(case, reported_at, officer, "Case opened.")
        grade_at = reported_at + timedelta(minutes=rng.randint(5, 29))
        if active and grade_at > anchor:
            grade_at = anchor - timedelta(minutes=1)
        graded = not (active and rng.random() < 0.15)  # a few still await their first grade
        pnc_at = reported_at + timedelta(minutes=rng.randint(30, 600))
        pnc_done = pnc_at <= (ended_at or anchor)
        episode = self.add(
            "episode",
            {
                "case_id": case["id"],
                "child_id": person.row["id"],
                "state": ("open" if graded else "reported") if active else ("cancelled" if cancelled else "closed"),
                "reported_by_id": officer.id,
                "idempotency_key": None,
                "reported_at": reported_at,
                "informant_name": f"{self.informant_first()} {person.row['surname']}",
                "informant_relationship": "Carer"
                if person.looked_after
                else rng.choice(["Mother", "Father", "Friend", "Teacher"]),
                "last_seen_at": last_seen,
                "last_seen_where": where,
                "missing_from": missing_from,
                "circumstances": rng.choice(_CIRCUMSTANCES),
                "out_of_character": rng.random() < 0.4,
                "looked_after": person.looked_after,
                "responsible_authority": la[0],
                "host_authority": la[1],
                "philomena_exists": True if person.looked_after else None,
                "grade": grade if graded else "",
                "next_review_due": None,
                "pnc_circulated_at": pnc_at if pnc_done else None,
                "found_at": found_at,
                "found_where": f"{rng.choice(self.places.streets)}" if found_at else "",
                "found_where_code": rng.choice(_WHERE_FOUND) if found_at else "",
                "found_by": "Patrol" if found_at else "",
                "reason_missing": rng.choice(_REASONS) if ended_at and not cancelled else "",
                "ended_at": ended_at,
                "ended_by_id": self.supervisor().id if ended_at else None,
                "end_reason": (
                    "Not missing: at a friend's house with permission"
                    if cancelled
                    else "Found safe; closed after the prevention interview"
                )
                if ended_at
                else "",
            },
            reported_at,
        )
        ladder_deadlines: list[tuple[str, str, str, datetime, datetime | None, Officer | None]] = []
        if graded:
            at = grade_at
            current = grade
            regrades = 1 + (rng.random() < 0.2)
            for r in range(regrades):
                due = at + timedelta(minutes=review_every)
                assessment = self.add(
                    "assessment",
                    {
                        "episode_id": episode["id"],
                        "grade": current,
                        "vocabulary_version": VOCABULARY_VERSION,
                        "rationale": rng.choice(_RATIONALES),
                        "assessed_by_id": (self.supervisor() if r else officer).id,
                        "assessed_by_role": "Sergeant" if r else "Constable",
                        "assessed_at": at,
                        "next_review_due": due,
                        "agreed_actions": "Carer to ring if the child returns; check known friends."
                        if current == "very_low"
                        else "",
                        **self.floor_override(is_child, current),
                    },
                    at,
                )
                self.add(
                    "source",
                    {
                        "assessment_id": assessment["id"],
                        "information": "Carer says the child has stayed out before and was found at a friend's.",
                        "provider_name": episode["informant_name"],
                        "provider_contact": "Phone on file",
                        "obtained_at": at - timedelta(minutes=3),
                    },
                    at,
                )
                episode["next_review_due"] = due
                end_of_review = ended_at or anchor
                if r + 1 < regrades:
                    nxt = at + timedelta(minutes=rng.randint(30, review_every))
                    if nxt >= end_of_review:
                        break
                    current = rng.choice(["low", "medium", "high"])
                    at = nxt
            episode["grade"] = current
            if is_child and current in ("medium", "high"):  # M-08: the Child Rescue Alert was considered
                episode.update(
                    cra_decision="not_appropriate",
                    cra_reason="Criteria not met: no evidence of abduction.",
                    cra_by_id=self.supervisor().id,
                    cra_at=grade_at,
                )
            self.reviews(episode, at, review_every, ended_at or anchor)
            # M-04: the last review deadline is live while missing, met when the episode ended.
            last_due = episode["next_review_due"]
            ladder_deadlines.append(("missing.review", "review", "Review the risk", last_due, ended_at, None))
        else:
            ladder_deadlines.append(
                (
                    "missing.review",
                    "review",
                    "Grade the risk (first risk assessment)",
                    reported_at + timedelta(minutes=30),
                    None,
                    None,
                )
            )
        ladder_deadlines.append(
            (
                "missing.pnc",
                "pnc",
                "Circulate the child on the PNC",
                reported_at + timedelta(hours=48),
                pnc_at if pnc_done else None,
                None,
            )
        )
        for enquiry in self.enquiries(episode, officer, reported_at, ended_at, cancelled, active):
            if enquiry["status"] in ("raised", "allocated", "in_progress"):
                ladder_deadlines.append(
                    (
                        "missing.enquiry",
                        f"enquiry:{enquiry['public_id']}",
                        f"Enquiry: {enquiry['type']}",
                        enquiry["due_at"],
                        None,
                        None,
                    )
                )
        if ended_at and not cancelled:
            self.after_found(episode, person, officer, found_at, ended_at, child_episode=is_child)
            self.timeline(case, ended_at, self.supervisor(), "Case closed.")
        for kind, key, what, due, met, _ in ladder_deadlines:
            full_key = key if key.startswith("enquiry:") else f"episode:{episode['public_id']}:{key}"
            if met is None and not active:
                met = ended_at
            self.deadline(case, officer, kind, full_key, what, due, met, reported_at)

    def floor_override(self, is_child: bool, grade: str) -> dict[str, Any]:
        """M-06: a child graded below medium (the default floor) carries a supervisor's override."""
        if not is_child or grade not in ("very_low", "low"):
            return {}
        return {
            "floor_override_by_id": self.supervisor().id,
            "floor_override_reason": "Known pattern: returns within hours; carer in contact.",
        }

    def informant_first(self) -> str:
        return names.forename_pick(names.ORIGINS[0], self.rng.choice(["female", "male"]), self.rng)

    def timeline(self, case: dict[str, Any], at: datetime, officer: Officer, text: str) -> None:
        self.add(
            "timeline", {"case_id": case["id"], "author_id": officer.id, "at": at, "kind": "event", "text": text}, at
        )

    def reviews(self, episode: dict[str, Any], since: datetime, every: int, until: datetime) -> None:
        at = since + timedelta(minutes=every)
        n = 0
        while at < until and n < 3:
            due = at + timedelta(minutes=every)
            self.add(
                "review",
                {
                    "episode_id": episode["id"],
                    "reviewer_id": self.supervisor().id,
                    "reviewer_role": "Sergeant",
                    "reviewed_at": at,
                    "grade_confirmed": True,
                    "decision": "Grade confirmed; continue enquiries.",
                    "next_review_due": due,
                },
                at,
            )
            episode["next_review_due"] = due
            at, n = due, n + 1

    def enquiries(
        self,
        episode: dict[str, Any],
        officer: Officer,
        reported_at: datetime,
        ended_at: datetime | None,
        cancelled: bool,
        active: bool,
    ) -> list[dict[str, Any]]:
        rng = self.rng
        made = []
        for kind in rng.sample(_ENQUIRY_TYPES, rng.randint(1, 5)):
            raised = reported_at + timedelta(minutes=rng.randint(10, 120))
            if raised > (ended_at or self.ctx.anchor):
                raised = reported_at + timedelta(minutes=1)
            due = raised + timedelta(hours=4)
            row: dict[str, Any] = {
                "episode_id": episode["id"],
                "type": kind,
                "description": f"{kind.replace('_', ' ').capitalize()} for the child.",
                "priority": rng.choice(["routine", "routine", "urgent", "immediate"]),
                "raised_by_id": officer.id,
                "raised_at": raised,
                "due_at": due,
                "from_plan": False,
            }
            done = raised + timedelta(minutes=rng.randint(15, 300))
            if active:
                allocated = self.colleague(officer) if rng.random() < 0.6 else None
                row.update(
                    status="allocated" if allocated else "raised", allocated_to_id=allocated.id if allocated else None
                )
                if due <= self.ctx.anchor:
                    row["due_at"] = self.ctx.anchor + timedelta(minutes=rng.randint(15, 240))
            elif cancelled or rng.random() < 0.1 or done > (ended_at or self.ctx.anchor):
                row.update(status="cancelled", cancel_reason="The child was found before this was done.")
            else:
                row.update(
                    status="completed", result=rng.choice(_RESULTS), completed_by_id=officer.id, completed_at=done
                )
            made.append(self.add("enquiry", row, raised))
        return made

    def after_found(
        self,
        episode: dict[str, Any],
        child: _Person,
        officer: Officer,
        found_at: datetime | None,
        ended_at: datetime,
        *,
        child_episode: bool,
    ) -> None:
        rng = self.rng
        assert found_at is not None
        if rng.random() < 0.85:
            self.add(
                "prevention",
                {
                    "episode_id": episode["id"],
                    "done_at": min(found_at + timedelta(hours=rng.randint(1, 20)), ended_at),
                    "done_by_id": officer.id,
                    "mode": rng.choice(["in_person", "in_person", "phone"]),
                    "why_went": "Argument at home about curfew.",
                    "what_happened": "Stayed at a friend's house.",
                },
                found_at,
            )
        else:
            episode.update(
                prevention_waived_reason="The child declined to speak to officers.",
                prevention_waived_by_id=self.supervisor().id,
                prevention_waived_at=ended_at - timedelta(minutes=10),
            )
        if child_episode:
            status = rng.choices(["completed", "declined", "not_done", "offered"], weights=[60, 20, 10, 10])[0]
            requested = found_at + timedelta(hours=2)
            self.add(
                "rhi",
                {
                    "episode_id": episode["id"],
                    "authority": child.la[0] or rng.choice(names.LOCAL_AUTHORITIES),
                    "recipient": "missing.rhi@authority.example",
                    "channel": "secure e-mail",
                    "requested_at": requested,
                    "requested_by_id": officer.id,
                    "due_at": found_at + timedelta(hours=72),
                    "status": status,
                    "completed_at": requested + timedelta(hours=40) if status == "completed" else None,
                    "reason": "The child did not want to talk." if status in ("declined", "not_done") else "",
                },
                requested,
            )

    def deadline(
        self,
        case: dict[str, Any],
        officer: Officer,
        kind: str,
        key: str,
        what: str,
        due: datetime,
        met: datetime | None,
        created: datetime,
    ) -> None:
        rule_id, ladder = self.ctx.ladders[kind]
        anchor = self.ctx.anchor
        state = "met" if met else ("breached" if due <= anchor else "open")
        deadline = self.add(
            "deadline",
            {
                "case_id": case["id"],
                "kind": kind,
                "rule_id": rule_id,
                "what": what[:200],
                "key": key,
                "due_at": due,
                "responsible_user_id": officer.id,
                "responsible_team_id": officer.team_id,
                "state": state,
                "ladder": _ladder_text(kind, ladder),
                "created_by_id": officer.id,
                "breached_at": due if state == "breached" or (met and met > due) else None,
                "met_at": met,
                "met_by_id": officer.id if met else None,
                "met_how": "Done" if met else "",
            },
            created,
        )
        ended = met or anchor
        for step, rung in enumerate(ladder):
            fire_at = due + timedelta(minutes=int(rung["offset_minutes"]))
            fired = fire_at <= ended
            self.add_plain(
                "escalation",
                {
                    "deadline_id": deadline["id"],
                    "step": step,
                    "offset_minutes": int(rung["offset_minutes"]),
                    "notify": rung["notify"],
                    "severity": rung["severity"],
                    "fire_at": fire_at,
                    "fired_at": fire_at if fired else None,
                    "notified_level": rung["notify"] if fired else "",
                    "recipients": _EMPTY_LIST,
                    "skipped": bool(met) and not fired,
                },
            )

    def add_plain(self, key: str, row: dict[str, Any]) -> None:
        row["id"] = self.next_id(key)
        self.part.rows[key].append(row)

    # --- general cases -----------------------------------------------------------------------------

    def general_cases(self) -> None:
        rng = self.rng
        n = int(len(self.people) * GENERAL_CASE_RATE)
        for person in rng.sample(self.people, min(n, len(self.people))):
            officer = self.officer()
            opened = self.when(self.ctx.anchor - timedelta(days=365 * YEARS), self.ctx.anchor - timedelta(hours=1))
            closed = None if rng.random() < 0.1 else min(opened + timedelta(days=rng.randint(1, 120)), self.ctx.anchor)
            number = (
                self.ctx.reference_offset
                + self.ctx.bases["case"]
                + self.counters["case"]
                + 1
                + self.index * CAPS["case"] * PART_PEOPLE
            )
            self.part.references[opened.year] = max(self.part.references.get(opened.year, 0), number)
            case = self.add(
                "case",
                {
                    "reference": f"{self.ctx.reference_prefix}-{opened.year}-{number:06d}",
                    "kind": "general",
                    "summary": rng.choice(_GENERAL_SUMMARIES),
                    "subject_id": person.row["id"],
                    "owner_id": officer.id,
                    "team_id": officer.team_id,
                    "state": "closed" if closed else "open",
                    "sensitivity": "restricted" if rng.random() < 0.02 else "normal",
                    "opened_at": opened,
                    "closed_at": closed,
                    "version": 1,
                },
                opened,
            )
            self.add("involvement", {"case_id": case["id"], "person_id": person.row["id"], "role": "subject"}, opened)
            self.timeline(case, opened, officer, "Case opened.")
            self.add(
                "timeline",
                {
                    "case_id": case["id"],
                    "author_id": officer.id,
                    "at": opened,
                    "kind": "fact",
                    "text": rng.choice(_FACTS),
                },
                opened,
            )


def _at(dob: date, years: int) -> datetime:
    try:
        day = dob.replace(year=dob.year + years)
    except ValueError:
        day = dob.replace(year=dob.year + years, day=28)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


_EMPTY_LIST = raw_json([])
_LADDER_TEXT: dict[tuple[str, int], tuple[list[dict[str, Any]], Raw]] = {}


def _ladder_text(kind: str, ladder: list[dict[str, Any]]) -> Raw:
    """The ladder as COPY text, made once per ladder object (the context keeps them alive)."""
    found = _LADDER_TEXT.get((kind, id(ladder)))
    if found is None or found[0] is not ladder:
        found = _LADDER_TEXT[(kind, id(ladder))] = (ladder, raw_json(ladder))
    return found[1]


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10 and digits[0] != 0:
            text = "".join(map(str, digits)) + str(check)
            return f"{text[:3]} {text[3:6]} {text[6:]}"


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    choice = rng.choice(["swap", "drop", "double", "replace"])
    if choice == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if choice == "drop":
        return word[:i] + word[i + 1 :]
    if choice == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]


def part_build(ctx: Context, index: int) -> Part:
    """Make part ``index`` of the force described by ``ctx`` (pure: no database)."""
    return _PartBuilder(ctx, index).build()


def anchor_default(now: datetime) -> datetime:
    """The time the force is generated "as of": the start of the current hour (UTC)."""
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


_CIRCUMSTANCES = (
    "Left the house after an argument and has not answered the phone.",
    "Did not return to the placement by the agreed time.",
    "Not at school; friends say they went into town with older people.",
    "Went out to the shop and did not come back.",
    "Left a note saying they were leaving and took a bag.",
)
_RATIONALES = (
    "No known risks; has stayed out before and returned.",
    "Associating with adults of concern; phone off since the evening.",
    "Out of character; history of self-harm.",
    "Looked-after; repeat missing from this placement; usually found at a friend's.",
)
_RESULTS = (
    "Checked; not there. Occupant had not seen the child.",
    "CCTV reviewed; child seen at the bus station at 21:10.",
    "Phone cell site puts the child in the town centre.",
    "Hospital checks negative.",
    "Friend confirms the child stayed there last night.",
)
_ENQUIRY_TYPES = [
    "address_check",
    "associates",
    "phone",
    "social_media",
    "cctv",
    "hospitals",
    "partner_checks",
    "transport",
    "school",
    "pnc_circulation",
]
_WHERE_FOUND = (
    "friend_address",
    "family_address",
    "adult_of_concern",
    "public_place",
    "transport",
    "returned_self",
    "out_of_area",
    "unknown",
)
_REASONS = (
    "conflict_home",
    "friends",
    "relationship",
    "exploitation",
    "mental_health",
    "family_contact",
    "substances",
    "unknown",
)
_GENERAL_SUMMARIES = (
    "Concern raised by school about bruising",
    "Child concern referral from a health visitor",
    "Report of a child alone at a railway station",
    "Neighbour reports children left alone overnight",
    "Online contact from an unknown adult",
)
_FACTS = (
    "Referral received by e-mail at 10:05.",
    "Spoke to the child's mother at the address.",
    "School safeguarding lead confirmed the concern.",
)
