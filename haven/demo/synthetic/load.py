"""Build a synthetic force in the database: officers, then each part COPYed straight into the tables.

``force_build(tier="t0", seed=1)`` makes the force's teams and officers (ordinary Django writes: a few
thousand rows at most), then makes each part (:mod:`haven.demo.synthetic.generate`) and COPYs its rows
with row triggers off (:func:`haven.demo.synthetic.bulk.triggers_off`). Afterwards it moves the id
sequences and the case-reference counters past what it loaded, checks every foreign key, records the
near-duplicate truth in ``synthetic_duplicate_truth`` and the load in ``synthetic_load``, VACUUMs and
ANALYZEs, and writes one s62 collection event by Haven itself.

A large tier can be built in pieces: ``parts=range(a, b)``. The first run records the id bases, time
anchor and reference offset in ``synthetic_load``; later runs with the same tier and seed reuse them,
so the pieces fit together exactly as if made in one run.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from django.conf import settings
from django.db import connection, models, transaction

from haven.demo.synthetic import bulk, generate, names

TRUTH_TABLE = "synthetic_duplicate_truth"
LOAD_TABLE = "synthetic_load"


def table_models() -> dict[str, type[models.Model]]:
    """The model each part's row key goes into, in load order."""
    from haven.cases.models import Case, Involvement, TimelineEntry
    from haven.deadlines.models import Deadline, Escalation
    from haven.missing.models import (
        Enquiry,
        Episode,
        InformationSource,
        PreventionInterview,
        ReturnHomeInterview,
        RiskAssessment,
        SupervisorReview,
    )
    from haven.people.models import Address, Alias, Flag, Identifier, Person, Relationship

    return {
        "person": Person,
        "alias": Alias,
        "address": Address,
        "identifier": Identifier,
        "flag": Flag,
        "relationship": Relationship,
        "case": Case,
        "involvement": Involvement,
        "timeline": TimelineEntry,
        "episode": Episode,
        "assessment": RiskAssessment,
        "source": InformationSource,
        "enquiry": Enquiry,
        "review": SupervisorReview,
        "prevention": PreventionInterview,
        "rhi": ReturnHomeInterview,
        "deadline": Deadline,
        "escalation": Escalation,
    }


@dataclass
class BuildResult:
    tier: str
    seed: int
    parts: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rows_per_second: float = 0.0
    orphans: dict[str, int] = field(default_factory=dict)
    truth_pairs: int = 0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _ensure_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TRUTH_TABLE} ("
            " tier text NOT NULL, seed integer NOT NULL, first_public_id uuid NOT NULL,"
            " second_public_id uuid NOT NULL, how text NOT NULL)"
        )
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {LOAD_TABLE} ("
            " tier text NOT NULL, seed integer NOT NULL, anchor timestamptz NOT NULL, bases jsonb NOT NULL,"
            " reference_offset integer NOT NULL, parts_done integer[] NOT NULL DEFAULT '{}',"
            " PRIMARY KEY (tier, seed))"
        )


# --- Officers ---------------------------------------------------------------------------------------

_ROLE_MIX = (
    ("response_officer", "PC", 0.62),
    ("investigator", "DC", 0.15),
    ("call_handler", "PC", 0.05),
    ("supervisor", "PS", 0.12),
    ("inspector", "INSP", 0.06),
)


def officers_ensure(tier: generate.Tier, seed: int) -> list[generate.Officer]:
    """The synthetic force's teams and officers (``syn<seed>-…``): made once, reused after."""
    import random

    from haven.accounts.models import Rank, Team, User

    prefix = f"syn{seed}-"
    teams_wanted = max(4, tier.users // 25)
    existing = list(User.objects.filter(username__startswith=prefix).order_by("id"))
    if len(existing) < tier.users:
        rng = random.Random(f"{seed}/officers")  # noqa: S311 - synthetic data
        teams = []
        for n in range(teams_wanted):
            team, _ = Team.objects.get_or_create(
                code=f"S{seed % 100:02d}-{n:03d}"[:16],
                defaults={"name": f"Synthetic team {seed}/{n}", "description": "Synthetic force (benchmarks)."},
            )
            teams.append(team)
        ranks = {r.code: r for r in Rank.objects.all()}
        have = {u.username for u in existing}
        new = []
        for n in range(tier.users):
            username = f"{prefix}{n:05d}"
            if username in have:
                continue
            role, rank, _ = rng.choices(_ROLE_MIX, weights=[w for *_, w in _ROLE_MIX])[0]
            origin = names.origin_pick(rng)
            sex = rng.choice(["female", "male"])
            user = User(
                username=username,
                first_name=names.forename_pick(origin, sex, rng),
                last_name=names.surname_pick(origin, rng),
                email=f"{username}@synthetic.haven.invalid",
                rank=ranks.get(rank),
                team=teams[n % len(teams)],
                roles=[role],
                collar_number=str(10000 + n),
            )
            user.set_unusable_password()
            new.append(user)
        User.objects.bulk_create(new, batch_size=1000)
        existing = list(User.objects.filter(username__startswith=prefix).order_by("id"))
    return [
        generate.Officer(
            u.pk,
            u.team_id,
            supervisor=any(r in u.roles for r in ("supervisor", "inspector")),
            can_enquire="call_handler" not in u.roles,
        )
        for u in existing
    ]


# --- Indexes --------------------------------------------------------------------------------------


@contextmanager
def indexes_deferred(tables: Iterable[str], *, enabled: bool, stream: TextIO | None) -> Iterator[None]:
    """Drop the tables' secondary indexes (not those behind constraints) during a big load, then rebuild them."""
    if not enabled:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema()"
            " AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
            " WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
            [list(tables)],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, definition in found:
                if stream:
                    stream.write(f"  rebuilding index {name}\n")
                cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))


# --- Build ---------------------------------------------------------------------------------------


def _manifest(
    tier: generate.Tier, seed: int, anchor: datetime | None
) -> tuple[datetime, dict[str, int], int, list[int]]:
    """The id bases, anchor and reference offset of this (tier, seed): recorded by the first run."""
    from haven.cases.models import ReferenceCounter

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT anchor, bases, reference_offset, parts_done FROM {LOAD_TABLE} WHERE tier = %s AND seed = %s",  # noqa: S608
            [tier.name, seed],
        )
        row = cursor.fetchone()
    if row is not None:
        bases = row[1] if isinstance(row[1], dict) else json.loads(row[1])
        return row[0], {k: int(v) for k, v in bases.items()}, int(row[2]), list(row[3])
    from haven.core import clock

    anchor = anchor or generate.anchor_default(clock.now())
    bases = {key: bulk.max_id(model) for key, model in table_models().items()}
    offset = int(ReferenceCounter.objects.aggregate(m=models.Max("last"))["m"] or 0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {LOAD_TABLE} (tier, seed, anchor, bases, reference_offset) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
            [tier.name, seed, anchor, json.dumps(bases), offset],
        )
    return anchor, bases, offset, []


def context_for(
    tier: generate.Tier,
    seed: int,
    *,
    anchor: datetime,
    bases: dict[str, int],
    officers: list[generate.Officer],
    reference_offset: int = 0,
) -> generate.Context:
    from haven.deadlines.registry import kind_get, ladder_current

    ladders = {}
    for code in ("missing.review", "missing.pnc", "missing.enquiry"):
        kind = kind_get(code)
        ladders[code] = (kind.rule_id, ladder_current(kind))
    teams: dict[int | None, list[generate.Officer]] = {}
    for officer in officers:
        if officer.can_enquire:
            teams.setdefault(officer.team_id, []).append(officer)
    return generate.Context(
        teams={team: tuple(members) for team, members in teams.items()},
        tier=tier,
        seed=seed,
        anchor=anchor,
        bases=bases,
        officers=tuple(officers),
        supervisors=tuple(o for o in officers if o.supervisor),
        ladders=ladders,
        reference_prefix=settings.HAVEN_FORCE_PREFIX,
        reference_offset=reference_offset,
        places=names.places(seed),
    )


def force_build(
    *,
    tier: str,
    seed: int,
    parts: Iterable[int] | None = None,
    anchor: datetime | None = None,
    defer_indexes: bool | None = None,
    verify: bool | None = None,
    workers: int | None = None,
    stream: TextIO | None = sys.stderr,
) -> BuildResult:
    """Load the synthetic force ``tier`` for ``seed`` (or some of its parts). See the module docstring."""
    spec = generate.TIERS[tier]
    _ensure_tables()
    officers = officers_ensure(spec, seed)
    anchor, bases, offset, done = _manifest(spec, seed, anchor)
    todo = [p for p in (parts if parts is not None else range(spec.parts)) if p not in done and 0 <= p < spec.parts]
    ctx = context_for(spec, seed, anchor=anchor, bases=bases, officers=officers, reference_offset=offset)
    tables = table_models()
    copiers = {key: bulk.Table(model) for key, model in tables.items()}
    result = BuildResult(tier=tier, seed=seed, parts=len(todo), rows=dict.fromkeys(tables, 0))
    progress = bulk.Progress(total_parts=len(todo), stream=stream)
    references: dict[int, int] = {}
    defer = defer_indexes if defer_indexes is not None else spec.people > 100_000
    with indexes_deferred([m._meta.db_table for m in tables.values()], enabled=defer, stream=stream):
        for payload in _payloads(ctx, copiers, todo, workers=workers if workers is not None else (1 if defer else 0)):
            with transaction.atomic(), bulk.triggers_off():
                for key, table in copiers.items():
                    bulk.copy_text(table, payload.texts[key])
                    result.rows[key] += payload.counts[key]
                _truth_copy(spec.name, seed, payload.truth)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {LOAD_TABLE} SET parts_done = array_append(parts_done, %s)"  # noqa: S608
                        " WHERE tier = %s AND seed = %s",
                        [payload.index, spec.name, seed],
                    )
            result.truth_pairs += len(payload.truth)
            for year, number in payload.references.items():
                references[year] = max(references.get(year, 0), number)
            progress.advance(sum(payload.counts.values()))
    progress.finish()
    result.seconds = progress.seconds
    result.rows_per_second = progress.rate
    with transaction.atomic():
        bulk.reset_sequences(tables.values())
        _references_advance(references)
        _record(result)
    # As after a restore: VACUUM sets the visibility map (index-only scans need it; autovacuum may not
    # come round for a long time after a bulk load) and ANALYZE the statistics. VACUUM cannot run in a
    # transaction (a test's), where ANALYZE alone does.
    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in tables.values():
            cursor.execute(f"{verb} {connection.ops.quote_name(model._meta.db_table)}")
    if verify if verify is not None else spec.people <= 100_000:
        result.orphans = {k: v for k, v in bulk.foreign_key_orphans(tables.values()).items() if v}
    return result


@dataclass
class _Payload:
    """One part as COPY text, made here or in a worker process."""

    index: int
    texts: dict[str, bytes]
    counts: dict[str, int]
    truth: list[tuple[Any, Any, str]]
    references: dict[int, int]


_WORKER: dict[str, Any] = {}


def _payload(index: int) -> _Payload:
    ctx, copiers = _WORKER["ctx"], _WORKER["copiers"]
    part = generate.part_build(ctx, index)
    return _Payload(
        index=index,
        texts={key: "".join(map(table.line, part.rows[key])).encode() for key, table in copiers.items()},
        counts={key: len(part.rows[key]) for key in copiers},
        truth=part.truth,
        references=part.references,
    )


def _payloads(
    ctx: generate.Context, copiers: dict[str, bulk.Table], parts: list[int], *, workers: int
) -> Iterator[_Payload]:
    """Each part as COPY text, in order. With ``workers``, forked processes make the next parts while
    this one COPYs (generation is pure Python; the database works on the other core)."""
    _WORKER.update(ctx=ctx, copiers=copiers)
    if workers <= 0 or len(parts) < 2 or connection.in_atomic_block:
        yield from map(_payload, parts)
        return
    import multiprocessing

    connection.close()  # a forked child must never share the parent's database connection
    with multiprocessing.get_context("fork").Pool(processes=workers) as pool:
        yield from pool.imap(_payload, parts, chunksize=1)


def _truth_copy(tier: str, seed: int, truth: list[tuple[Any, Any, str]]) -> None:
    if not truth:
        return
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {TRUTH_TABLE} (tier, seed, first_public_id, second_public_id, how) FROM STDIN"
        ) as out,
    ):
        for first, second, how in truth:
            out.write_row((tier, seed, first, second, how))


def _references_advance(references: dict[int, int]) -> None:
    """Case references handed out from now on must not collide with the loaded ones."""
    from haven.cases.models import ReferenceCounter

    prefix = settings.HAVEN_FORCE_PREFIX
    for year, number in references.items():
        counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        if counter.last < number:
            counter.last = number
            counter.save(update_fields=["last"])


def _record(result: BuildResult) -> None:
    """One s62 collection event by Haven itself for the whole load."""
    from haven.audit.choices import Operation
    from haven.audit.services import access_event_record

    access_event_record(
        actor=None,
        operation=Operation.COLLECTION,
        detail={"kind": "synthetic_force", "tier": result.tier, "seed": result.seed, "rows": result.rows},
    )


def truth_pairs(*, tier: str, seed: int) -> list[tuple[str, str, str]]:
    """The labelled near-duplicates of a loaded force: (first public id, second public id, how)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT first_public_id::text, second_public_id::text, how FROM {TRUTH_TABLE}"  # noqa: S608
            " WHERE tier = %s AND seed = %s ORDER BY 1, 2",
            [tier, seed],
        )
        return [tuple(r) for r in cursor.fetchall()]
