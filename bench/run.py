"""``make bench``: Haven's operations on a synthetic force, side by side with the same SQL run raw.

    .venv/bin/python bench/run.py --tier t0            # make bench (a few minutes)
    .venv/bin/python bench/run.py --tier t1            # make bench TIER=t1 (the force tier)
    .venv/bin/python bench/run.py --only O1,O3         # some operations

It works in a database of its own, ``haven_bench_<tier>`` on the server DATABASE_URL names (never
Haven's and never a test database): creates and migrates it, builds the synthetic force for the tier
and seed once (``haven.demo.synthetic``), then measures each operation ``--runs`` times after a warm-up:
p50, p95 and p99 in milliseconds, the queries per request, and the ratio to its **raw-SQL twin**: the
statements Haven sent for that very request, captured with ``connection.execute_wrapper`` and replayed
through a separate psycopg connection in the same run, alternating which goes first. Requests and
writes run inside a transaction that is rolled back (on both sides), so nothing they write piles up
and neither side pays for COMMIT. An operation whose app or data is absent is reported as not
available, with the reason, never estimated.

Writes ``bench/results/<date>-<commit>-<tier>.json`` (everything) and ``.md`` (the table).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
RUNS = {"t0": 100, "t1": 200, "t2": 200}
O8_TIMEOUT_S = float(os.environ.get("O8_TIMEOUT_S", 900))
O7_ROWS = {"t0": 200_000, "t1": 20_000_000, "t2": 20_000_000}
GOALS = {
    "O1": "≤ 3× raw",
    "O2": "≤ 3× raw",
    "O3": "≤ 1.5× raw pg_trgm; p95 < 100 ms at t1",
    "O4": "lag ≤ 10 s",
    "O5": "≤ 3× raw",
    "O6": "< 300 ms at t1",
    "O7": "≤ 3× raw",
    "O8": "F1 ≥ Splink's in ≤ Splink's time",
    "O9": "requests/s at p95 ≤ 300 ms",
    "O10": "≤ 3× raw",
    "O11": "≤ 3× raw",
    "audit": "overhead ≤ 15 %",
}


BRIEF = ("haven", "ratio_p50", "reason", "tps", "lag_max_s", "overhead_percent_mean", "summary", "splink")


class Unavailable(Exception):  # noqa: N818 - reads as the verdict it is
    """The operation cannot be measured here (its app or its data is absent): say so, never fake it."""


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def git_commit() -> str:
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --- The benchmark database ----------------------------------------------------------------------------


def server_url() -> str:
    from haven.core.database import database_url

    return database_url()


def database_point(name: str) -> str:
    """Create ``name`` on Haven's server if needed and point Django at it. Returns the conninfo."""
    import dj_database_url
    import psycopg
    from psycopg.conninfo import make_conninfo

    from haven.core.database import connection_url

    if name in ("haven", "postgres") or name.startswith("test_"):
        raise SystemExit(f"Refusing to benchmark in {name!r}: the benchmark needs a database of its own.")
    server = server_url()
    with psycopg.connect(make_conninfo(server, dbname="postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    conninfo = make_conninfo(server, dbname=name)
    # The benchmark's child processes (worker, web server, O7) reach this database by DATABASE_URL.
    os.environ["DATABASE_URL"] = connection_url({**dj_database_url.parse(server), "NAME": name})
    return conninfo


# --- Measuring ---------------------------------------------------------------------------------------


@dataclass
class Captured:
    statements: list[tuple[str, Any, bool]] = field(default_factory=list)

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def percentiles(samples: list[float]) -> dict[str, float | None]:
    if len(samples) < 2:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "mean_ms": None, "n": len(samples)}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 2),
        "p95_ms": round(cuts[94] * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
        "mean_ms": round(statistics.fmean(samples) * 1000, 2),
        "n": len(samples),
    }


class Twin:
    """Replays captured statements through a connection of its own, in a transaction rolled back."""

    def __init__(self, conninfo: str) -> None:
        import psycopg

        self.conn = psycopg.connect(conninfo, autocommit=False)
        self.cursor = psycopg.ClientCursor(self.conn)  # as Django's backend binds: on the client

    def replay(self, statements: list[tuple[str, Any, bool]]) -> float:
        started = time.perf_counter()
        try:
            for sql, params, many in statements:
                if many:
                    self.cursor.executemany(sql, params)
                else:
                    self.cursor.execute(sql, params)
                if self.cursor.description is not None:
                    self.cursor.fetchall()
            return time.perf_counter() - started
        finally:
            self.conn.rollback()

    def slowest(self, statements: list[tuple[str, Any, bool]], top: int = 3) -> list[dict[str, Any]]:
        """Replay once, timing each statement; the slowest, with the plan of the slowest SELECT."""
        timed = []
        try:
            for sql, params, many in statements:
                started = time.perf_counter()
                if many:
                    self.cursor.executemany(sql, params)
                else:
                    self.cursor.execute(sql, params)
                if self.cursor.description is not None:
                    self.cursor.fetchall()
                timed.append((time.perf_counter() - started, sql, params, many))
        finally:
            self.conn.rollback()
        timed.sort(key=lambda t: -t[0])
        out = [{"ms": round(t * 1000, 2), "sql": " ".join(sql.split())[:400]} for t, sql, _, _ in timed[:top]]
        select = next((t for t in timed if t[1].lstrip().upper().startswith("SELECT") and not t[3]), None)
        if select is not None and out:
            try:
                self.cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + select[1], select[2])
                plan = [r[0] for r in self.cursor.fetchall()]
            except Exception as exc:  # noqa: BLE001 - a plan is a nicety
                plan = [f"{type(exc).__name__}: {exc}"]
            finally:
                self.conn.rollback()
            out.append({"plan_of_slowest_select": plan[:40]})
        return out

    def close(self) -> None:
        self.conn.close()


def _profile(op: Callable[[], Any], top: int = 12) -> list[str]:
    """One more run under cProfile: the Haven and Django functions that took the most time (cumulative)."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    try:
        profiler.runcall(op)
    except Exception:  # noqa: BLE001 - the timed runs report errors
        return []
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(r"haven/|django/(db|template)", top)
    return [line.rstrip() for line in buffer.getvalue().splitlines() if "/" in line][:top]


def rolled_back(fn: Callable[[], Any]) -> Callable[[], Any]:
    """Run ``fn`` in a transaction that is rolled back: nothing piles up between iterations."""
    from django.db import transaction

    def run() -> Any:
        with transaction.atomic():
            try:
                return fn()
            finally:
                transaction.set_rollback(True)

    return run


def measure(
    name: str,
    make: Callable[[int], Callable[[], Any]],
    *,
    runs: int,
    twin: Twin | None,
    warmup: int = 5,
    check: Callable[[Any], None] | None = None,
) -> dict[str, Any]:
    """Time ``make(i)()`` ``runs`` times; replay each run's SQL raw (alternating order); count queries."""
    from django.db import connection

    haven: list[float] = []
    raw: list[float] = []
    queries: list[int] = []
    errors: list[str] = []
    last: list[tuple[str, Any, bool]] = []
    for i in range(-warmup, runs):
        op = make(i)
        captured = Captured()
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(captured):
                result = op()
            took = time.perf_counter() - started
            if check is not None:
                check(result)
        except Exception as exc:  # noqa: BLE001 - a failing request is a finding, reported below
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
            if len(errors) > 10:
                raise
            continue
        raw_took = None
        if twin is not None:
            try:
                raw_took = twin.replay(captured.statements)
            except Exception as exc:  # noqa: BLE001
                errors.append(f"twin {type(exc).__name__}: {exc}"[:300])
        if i < 0:
            continue
        haven.append(took)
        queries.append(len(captured.statements))
        last = captured.statements
        if raw_took is not None:
            raw.append(raw_took)
    out: dict[str, Any] = {
        "operation": name,
        "available": True,
        "profile": _profile(make(0)),
        "haven": percentiles(haven),
        "queries_per_request": statistics.median(queries) if queries else None,
        "errors": errors[:10],
    }
    if twin is not None:
        out["slowest_statements"] = twin.slowest(last) if last else []
        out["raw_sql"] = percentiles(raw)
        h, r = out["haven"], out["raw_sql"]
        out["ratio_p50"] = round(h["p50_ms"] / r["p50_ms"], 2) if h["p50_ms"] and r["p50_ms"] else None
        out["ratio_p95"] = round(h["p95_ms"] / r["p95_ms"], 2) if h["p95_ms"] and r["p95_ms"] else None
    return out


# --- The force and its users -----------------------------------------------------------------------


@dataclass
class Bench:
    tier: str
    seed: int
    runs: int
    conninfo: str
    rng: random.Random
    users: dict[str, Any]
    clients: dict[str, Any] = field(default_factory=dict)
    twin: Twin | None = None


BENCH_PASSWORD = "bench-password-not-secret-2026"  # noqa: S105 - the benchmark's own database only


def bench_users() -> dict[str, Any]:
    """Signed-in users with an authenticator each (as real users sign in: password, then TOTP)."""
    import pyotp
    from mfa.models import MFAKey

    from haven.accounts import services
    from haven.accounts.models import Rank, Team, User
    from haven.accounts.schemas import UserOnServerIn

    services.rank_seed_defaults()
    team = Team.objects.get_or_create(code="BENCH", defaults={"name": "Benchmark team"})[0]
    ranks = {r.code: r for r in Rank.objects.all()}
    users = {}
    for username, roles, rank in (
        ("bench_inspector", ["inspector"], "INSP"),
        ("bench_analyst", ["analyst"], "PC"),
        ("bench_callhandler", ["call_handler"], "PC"),
    ):
        user = User.objects.filter(username=username).first() or services.user_create(
            actor=None,
            data=UserOnServerIn(
                username=username,
                first_name="Bench",
                last_name=username.split("_")[1].title(),
                email=f"{username}@bench.invalid",
                password=BENCH_PASSWORD,
                rank=rank if rank in ranks else None,
                team=team.code,
                roles=roles,
            ),
        )
        key = MFAKey.objects.filter(user=user, method="TOTP").first() or MFAKey.objects.create(
            user=user, method="TOTP", name="Bench", secret=pyotp.random_base32()
        )
        user.totp_secret = key.secret
        users[username.split("_")[1]] = user
    return users


def signed_in_client(user: Any) -> Any:
    from django.test import Client

    from haven.core.testing import sign_in

    client = Client()
    sign_in(client, user, password=BENCH_PASSWORD)
    return client


def force_ensure(tier: str, seed: int, parts: range | None = None) -> None:
    """Build the synthetic force ``tier`` for ``seed`` unless it is loaded (only ``parts`` of it, if given)."""
    from django.db import connection

    from haven.demo.synthetic.generate import TIERS
    from haven.demo.synthetic.load import LOAD_TABLE, force_build

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [LOAD_TABLE])
        exists = cursor.fetchone()[0] is not None
        done: list[int] = []
        if exists:
            cursor.execute(f"SELECT parts_done FROM {LOAD_TABLE} WHERE tier = %s AND seed = %s", [tier, seed])  # noqa: S608
            row = cursor.fetchone()
            done = list(row[0]) if row else []
    wanted = set(parts if parts is not None else range(TIERS[tier].parts))
    if wanted <= set(done):
        log(f"synthetic force {tier} (seed {seed}) already loaded ({len(set(done))} of {TIERS[tier].parts} parts)")
        return
    which = f"parts {parts.start}:{parts.stop} of {TIERS[tier].parts}" if parts is not None else "every part"
    log(f"building the synthetic force {tier} (seed {seed}), {which}")
    result = force_build(tier=tier, seed=seed, parts=parts)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    log(
        f"loaded {result.total:,} rows in {result.seconds:,.0f} s ({result.rows_per_second:,.0f} rows/s, "
        f"indexes rebuilt and tables analysed); {result.truth_pairs:,} labelled near-duplicate pairs; "
        f"database now {size / 1e9:,.2f} GB"
    )


# --- Operations ----------------------------------------------------------------------------------


def o1_case_page(b: Bench) -> dict[str, Any]:
    """O1: open a case page (the whole request: middleware, selector, s62 row, template)."""
    from django.urls import reverse

    from haven.cases.models import Case

    ids = list(Case.objects.order_by("?").values_list("public_id", flat=True)[: b.runs + 10])
    client = b.clients["inspector"]

    def make(i: int) -> Callable[[], Any]:
        url = reverse("cases:detail", args=[ids[i % len(ids)]])
        return rolled_back(lambda: client.get(url))

    return measure("O1 open a case page", make, runs=b.runs, twin=b.twin, check=_ok)


def _ok(response: Any) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}")


def audit_overhead(b: Bench) -> dict[str, Any]:
    """O1 with the s62 write, and with it replaced by nothing: what the log costs a page."""
    import haven.audit.services as audit_services

    real = audit_services.access_event_record
    holders = [m for m in list(sys.modules.values()) if getattr(m, "access_event_record", None) is real]

    def off(**kwargs: Any) -> None:
        return None

    from django.urls import reverse

    from haven.cases.models import Case

    ids = list(Case.objects.order_by("?").values_list("public_id", flat=True)[: b.runs + 10])
    client = b.clients["inspector"]
    on_samples: list[float] = []
    off_samples: list[float] = []
    for i in range(-5, b.runs):
        url = reverse("cases:detail", args=[ids[i % len(ids)]])
        order = [(True, on_samples), (False, off_samples)]
        if i % 2:
            order.reverse()
        for logged, samples in order:
            for m in holders:
                m.access_event_record = real if logged else off  # type: ignore[attr-defined]
            try:
                started = time.perf_counter()
                rolled_back(lambda url=url: client.get(url))()
                if i >= 0:
                    samples.append(time.perf_counter() - started)
            finally:
                for m in holders:
                    m.access_event_record = real  # type: ignore[attr-defined]
    on, off_ = percentiles(on_samples), percentiles(off_samples)
    overhead = (on["mean_ms"] - off_["mean_ms"]) / off_["mean_ms"] * 100 if on["mean_ms"] and off_["mean_ms"] else None
    return {
        "operation": "Audit overhead (O1 with and without the s62 row)",
        "available": True,
        "with_log": on,
        "without_log": off_,
        "overhead_percent_mean": round(overhead, 1) if overhead is not None else None,
        "throughput_with_per_s": round(1000 / on["mean_ms"], 1) if on["mean_ms"] else None,
        "throughput_without_per_s": round(1000 / off_["mean_ms"], 1) if off_["mean_ms"] else None,
        "patched_modules": sorted(m.__name__ for m in holders),
    }


def o3_search(b: Bench) -> dict[str, Any]:
    """O3: fuzzy person search for a labelled near-duplicate's name (a typo) within a DOB window."""
    import uuid as _uuid

    from haven.demo.synthetic.load import truth_pairs
    from haven.people.models import Person
    from haven.people.selectors import person_search

    pairs = [(_uuid.UUID(a), _uuid.UUID(c), how) for a, c, how in truth_pairs(tier=b.tier, seed=b.seed)]
    if not pairs:
        raise Unavailable("the force has no labelled near-duplicates")
    b.rng.shuffle(pairs)
    people = Person.objects.in_bulk([p for pair in pairs[: b.runs + 10] for p in pair[:2]], field_name="public_id")
    chosen = [
        (people[a], people[c])
        for a, c, _ in pairs[: b.runs + 10]
        if a in people and c in people and people[c].date_of_birth
    ]
    user = b.users["inspector"]
    found = {"hit": 0, "all": 0}

    def make(i: int) -> Callable[[], Any]:
        original, duplicate = chosen[i % len(chosen)]

        def run() -> Any:
            hits = person_search(user=user, query=duplicate.full_name, date_of_birth=duplicate.date_of_birth)
            if i >= 0:
                found["all"] += 1
                found["hit"] += any(h.person.pk == original.pk for h in hits)
            return hits

        return rolled_back(run)

    out = measure("O3 fuzzy person search", make, runs=b.runs, twin=b.twin)
    out["original_found_percent"] = round(100 * found["hit"] / max(1, found["all"]), 1)
    out["pg_trgm_baseline"] = _pg_trgm_baseline(b, [d for _, d in chosen])
    base = out["pg_trgm_baseline"]
    if base.get("p50_ms") and out["haven"]["p50_ms"]:
        out["ratio_to_pg_trgm_p50"] = round(out["haven"]["p50_ms"] / base["p50_ms"], 2)
    return out


PG_TRGM_BASELINE = """
SELECT id, similarity(normalised_name, %(q)s) AS s FROM people_person
WHERE (normalised_name %% %(q)s OR date_of_birth = %(dob)s)
  AND date_of_birth BETWEEN %(lo)s AND %(hi)s AND merged_into_id IS NULL AND NOT is_restricted
ORDER BY s DESC LIMIT 20
"""


def _pg_trgm_baseline(b: Bench, people: list[Any]) -> dict[str, Any]:
    """The plainest SQL that answers the same question: trigram similarity in a DOB window."""
    from haven.people.rules import normalise_name

    assert b.twin is not None
    samples = []
    cur = b.twin.cursor
    for i in range(-5, b.runs):
        p = people[i % len(people)]
        dob = p.date_of_birth
        params = {
            "q": normalise_name(p.full_name),
            "dob": dob,
            "lo": dob - timedelta(days=366),
            "hi": dob + timedelta(days=366),
        }
        started = time.perf_counter()
        cur.execute("SELECT set_config('pg_trgm.similarity_threshold', '0.25', true)")
        cur.execute(PG_TRGM_BASELINE, params)
        cur.fetchall()
        took = time.perf_counter() - started
        b.twin.conn.rollback()
        if i >= 0:
            samples.append(took)
    return percentiles(samples)


def o2_report_missing(b: Bench) -> dict[str, Any]:
    """O2: report a missing child (validation, case, episode, deadlines, s62), one transaction."""
    from haven.core import clock
    from haven.missing.choices import ACTIVE_STATES
    from haven.missing.models import Episode
    from haven.missing.schemas import EpisodeReportIn
    from haven.missing.services import episode_report
    from haven.people.models import Person

    today = clock.now().date()
    active = Episode.objects.filter(state__in=ACTIVE_STATES).values("child_id")
    children = list(
        Person.objects.filter(
            date_of_birth__gt=today - timedelta(days=int(17 * 365.25)),
            date_of_birth__lt=today - timedelta(days=8 * 365),
            is_restricted=False,
            merged_into__isnull=True,
        )
        .exclude(pk__in=active)
        .order_by("?")[: b.runs + 10]
    )
    if not children:
        raise Unavailable("no children in the force")
    user = b.users["inspector"]

    def make(i: int) -> Callable[[], Any]:
        child = children[i % len(children)]
        return rolled_back(
            lambda: episode_report(
                actor=user,
                data=EpisodeReportIn(
                    child=child.public_id,
                    informant_name="Bench Informant",
                    informant_relationship="Mother",
                    last_seen_at=clock.now() - timedelta(hours=2),
                    last_seen_where="Outside the school gates, High Street",
                    missing_from="home",
                    circumstances="Did not come home after school; phone off.",
                    philomena_exists=True,  # M-13 asks it of a looked-after child; harmless for the others
                ),
            )
        )

    return measure("O2 report a missing child", make, runs=b.runs, twin=b.twin)


def o5_enquiry_result(b: Bench) -> dict[str, Any]:
    """O5: record the result of an open enquiry on an active episode (as the case's owner)."""
    from haven.missing.models import Enquiry
    from haven.missing.schemas import EnquiryResultIn
    from haven.missing.services import enquiry_complete

    enquiries = list(
        Enquiry.objects.filter(
            status__in=["raised", "allocated", "in_progress"], episode__state__in=["open", "reported"]
        )
        .select_related("episode__case__owner", "allocated_to")
        .order_by("?")[: b.runs + 10]
    )
    if not enquiries:
        raise Unavailable("no open enquiries on active episodes in this tier")

    from haven.core.permissions import Perm

    def actor_of(enquiry: Any) -> Any:
        for user in (enquiry.allocated_to, enquiry.episode.case.owner):
            if user is not None and user.has_perm(Perm.MISSING_ENQUIRY_RECORD):
                return user
        return None

    enquiries = [e for e in enquiries if actor_of(e) is not None]
    if not enquiries:
        raise Unavailable("no open enquiry has an officer who may record its result")

    def make(i: int) -> Callable[[], Any]:
        enquiry = Enquiry.objects.select_related("episode__case__owner", "allocated_to").get(
            pk=enquiries[i % len(enquiries)].pk
        )
        actor = actor_of(enquiry)
        result = EnquiryResultIn(result="Checked; not there.")
        return rolled_back(lambda: enquiry_complete(actor=actor, enquiry=enquiry, data=result))

    return measure("O5 record an enquiry result", make, runs=b.runs, twin=b.twin)


HELD_TABLES = (
    "accounts_user",
    "protection_policeprotection",
    "protection_notification",
    "custody_detention",
    "custody_certificate",
    "custody_review",
)


def o6_dmm_board(b: Bench) -> dict[str, Any]:
    """O6: the DMM board page (every section, counts, s62 row, template)."""
    from django.db import connection

    import haven.dmm.board  # noqa: F401
    from haven.demo.synthetic.protection_custody import held_ensure
    from haven.dmm.trend import settle_window

    # Sections 3 and 4 (children in police protection and in custody now) need records the COPY parts do
    # not make: made once through the services, topped up when their time has run out.
    started = time.perf_counter()
    protections, detentions = held_ensure(b.seed, b.tier)
    log(
        f"O6: {len(protections)} children in police protection and {len(detentions)} in custody now "
        f"(ensured in {time.perf_counter() - started:,.1f} s)"
    )
    # Their tables (and the officers') were filled through Haven, not by the load that ANALYZEs: analyse
    # them as autovacuum would have in a force with years of records (with none, PostgreSQL plans for
    # empty tables and joins 3,000 officers by scanning them for each row).
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(HELD_TABLES)}")
    # The nightly job (dmm.trend_settle) settles the trend's past days; run it as it would have run, and
    # time it: every request below is rolled back, so otherwise each would settle them afresh.
    started = time.perf_counter()
    figures = settle_window()
    settle_ms = (time.perf_counter() - started) * 1000
    log(f"O6: the nightly trend job wrote {figures:,} figures in {settle_ms:,.0f} ms")
    client = b.clients["inspector"]
    result = measure(
        "O6 DMM board",
        lambda i: rolled_back(lambda: client.get("/dmm/")),
        runs=max(20, b.runs // 2),
        twin=b.twin,
        check=_ok,
    )
    result["trend_settle"] = {"figures": figures, "ms": round(settle_ms, 1)}
    result["sections"] = _board_rows(b)
    log(f"O6: the board's sections show {json.dumps(result['sections'])}")
    return result


def _board_rows(b: Bench) -> dict[str, dict[str, int]]:
    """How many rows each board section lists and counts for the benchmark's inspector (unlogged reads)."""
    from haven.dmm.sections import Filters, registered

    out = {}
    for section in registered():
        listing = rolled_back(lambda s=section: s.rows(user=b.users["inspector"], filters=Filters(), limit=100))()
        out[section.key] = {"order": section.order, "listed": len(listing.rows), "total": listing.total}
    return out


def o10_raise_referral(b: Bench) -> dict[str, Any]:
    """O10: raise a child concern referral (start, write and submit, as one operation): the draft, the
    child on it, the S-01 check, the referral's case, its review and share deadlines, the s62 rows."""
    from haven.demo.synthetic.referrals import children, crsu_ensure, raise_referral

    crsu = crsu_ensure(b.seed)
    found = children(b.runs + 10)
    if not found:
        raise Unavailable("no children in the force")
    b.rng.shuffle(found)

    def make(i: int) -> Callable[[], Any]:
        child = found[i % len(found)]
        return rolled_back(lambda: raise_referral(crsu.raiser, child))

    return measure("O10 raise a referral", make, runs=b.runs, twin=b.twin)


def o11_share_referral(b: Bench) -> dict[str, Any]:
    """O11: a signed-off CRSU officer's decision to share a waiting referral with a partner agency: the
    decision (S-04), the share to the partner portal with its notice, the deadlines met, the s62 rows."""
    from haven.demo.synthetic.referrals import referrals_ensure
    from haven.referrals.choices import Decision, LawfulBasis
    from haven.referrals.models import ChildConcernReferral
    from haven.referrals.schemas import DecideIn
    from haven.referrals.services import referral_decide

    crsu, waiting = referrals_ensure(b.seed, min(b.runs + 10, 60))
    if not waiting:
        raise Unavailable("no referral is waiting for the CRSU")
    data = DecideIn(
        decision=Decision.SHARE,
        lawful_basis=LawfulBasis.SAFEGUARDING,
        reason="The children are at risk of neglect; children's services must assess today.",
        agency=str(crsu.agency.public_id),
    )

    def make(i: int) -> Callable[[], Any]:
        referral = ChildConcernReferral.objects.get(pk=waiting[i % len(waiting)].pk)
        return rolled_back(lambda: referral_decide(actor=crsu.officer, referral=referral, data=data))

    return measure("O11 share a referral", make, runs=b.runs, twin=b.twin, check=_shared)


def _shared(decision: Any) -> None:
    if decision.needs_approval:
        raise RuntimeError("the decision waits for approval: the CRSU officer is not signed off")


def o4_escalation(b: Bench) -> dict[str, Any]:
    """O4: 5,000 deadlines fall due in the same minute (bench/escalation.py)."""
    from bench.escalation import escalation_lag

    return escalation_lag(b)


def o7_who_viewed(b: Bench, rows: int) -> dict[str, Any]:
    """O7: the audit engineer's bench/audit_who_viewed.py, run as a step on this database."""
    script = ROOT / "bench" / "audit_who_viewed.py"
    if not script.exists():
        raise Unavailable("bench/audit_who_viewed.py is not there")
    from django.conf import settings

    database = settings.DATABASES["default"]["NAME"]
    env = {**os.environ, "BENCH_COMMIT": git_commit()}
    runs = "100" if rows <= 1_000_000 else "200"
    before = set(RESULTS.glob(f"*-{rows}.json"))
    proc = subprocess.run(
        [sys.executable, str(script), "--rows", str(rows), "--runs", runs, "--database", database],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise Unavailable(f"audit_who_viewed.py failed: {proc.stderr.strip()[-400:]}")
    made = sorted(set(RESULTS.glob(f"*-{rows}.json")) - before) or sorted(RESULTS.glob(f"*-{rows}.json"))
    data = json.loads(made[-1].read_text())
    m = data["measurements"]
    return {
        "operation": f"O7 who viewed this person in 12 months ({data['table']['rows']:,} log rows)",
        "available": True,
        "haven": m["selector"],
        "raw_sql": m["raw_sql"],
        "ratio_p50": m["ratio_p50"],
        "ratio_p95": m["ratio_p95"],
        "queries_per_request": None,
        "source": str(made[-1].relative_to(ROOT)),
    }


def o8_dedupe(b: Bench) -> dict[str, Any]:
    """O8: batch de-duplication of the whole person table, scored on the labelled near-duplicates."""
    from django.db import transaction

    from haven.demo.synthetic.load import truth_pairs
    from haven.people.models import Person
    from haven.people.selectors import person_duplicate_pairs

    truth_ids = truth_pairs(tier=b.tier, seed=b.seed)
    if not truth_ids:
        raise Unavailable("no labelled near-duplicates")
    visible = dict(Person.objects.filter(is_restricted=False).values_list("public_id", "id"))
    import uuid as _uuid

    truth = set()
    for a, c, _ in truth_ids:
        ia, ic = visible.get(_uuid.UUID(a)), visible.get(_uuid.UUID(c))
        if ia and ic:
            truth.add((min(ia, ic), max(ia, ic)))
    analyst = b.users["analyst"]
    from django.db import connection
    from django.db.utils import OperationalError

    limit_s = O8_TIMEOUT_S
    started = time.perf_counter()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {int(limit_s * 1000)}")
                cursor.execute("SET LOCAL jit = off")  # as person_duplicate_pairs runs it
                params = {"user": analyst.pk, "limit": 10_000_000}
                cursor.execute("EXPLAIN (COSTS OFF) " + _duplicates_sql(), params)
                plan = [r[0] for r in cursor.fetchall()]
            pairs = person_duplicate_pairs(user=analyst, limit=10_000_000)
            transaction.set_rollback(True)
    except OperationalError:
        pairs = None
    seconds = time.perf_counter() - started
    out: dict[str, Any] = {
        "operation": "O8 batch de-duplication",
        "available": True,
        "people": len(visible),
        "true_pairs": len(truth),
    }
    if pairs is None:
        out["haven"] = {
            "f1": None,
            "seconds": round(seconds, 2),
            "method": "person_duplicate_pairs",
            "reason": f"did not finish within {limit_s:.0f} s (statement_timeout)",
            "plan": plan,
        }
    else:
        predicted = {(min(p.first.pk, p.second.pk), max(p.first.pk, p.second.pk)) for p in pairs}
        out["haven"] = {
            **_scores(predicted, truth),
            "seconds": round(seconds, 2),
            "method": "person_duplicate_pairs",
            "plan": plan,
        }
    try:
        from bench.splink_dedupe import splink_pairs
    except ImportError as exc:
        out["splink"] = {"available": False, "reason": f"splink is not installed ({exc})"}
        return out
    try:
        started = time.perf_counter()
        found, detail = splink_pairs(b.conninfo, timeout_s=limit_s)
        seconds = round(time.perf_counter() - started, 2)
        by_threshold = {
            t: _scores({pair for pair, p in found.items() if p >= t}, truth)
            for t in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999)
        }
        best = max(by_threshold, key=lambda t: by_threshold[t]["f1"])
        out["splink"] = {
            **by_threshold[best],
            "threshold": best,
            "seconds": seconds,
            "method": detail
            + f"; threshold {best} (the best F1 of 0.5-0.9999, chosen with the labels: Splink's best case)",
            "by_threshold": by_threshold,
        }
    except TimeoutError as exc:
        out["splink"] = {"f1": None, "seconds": round(time.perf_counter() - started, 2), "reason": str(exc)}
    except Exception as exc:  # noqa: BLE001 - report, do not fake
        out["splink"] = {"available": False, "reason": f"{type(exc).__name__}: {exc}"[:400]}
    return out


def _duplicates_sql() -> str:
    from haven.people import selectors

    return str(selectors._DUPLICATES_SQL)


def _scores(predicted: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, Any]:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "predicted": len(predicted),
        "true_positives": tp,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }


def pgbench_ceiling(b: Bench, seconds: int = 15) -> dict[str, Any]:
    """The raw PostgreSQL ceiling on this box: pgbench select-only, in a database of its own."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    exe = shutil.which("pgbench") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if not exe:
        raise Unavailable("pgbench is not installed")
    params = conninfo_to_dict(b.conninfo)
    name = "haven_bench_pgbench"
    with psycopg.connect(make_conninfo(b.conninfo, dbname="postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    args = ["-h", str(params.get("host", "127.0.0.1")), "-p", str(params.get("port", 5432))]
    args += ["-U", str(params.get("user", "postgres"))]
    env = {**os.environ, "PGPASSWORD": str(params.get("password", ""))}
    subprocess.run([str(exe), *args, "-i", "-q", "-s", "10", name], env=env, capture_output=True, check=True)
    proc = subprocess.run(
        [str(exe), *args, "-S", "-c", "4", "-j", "2", "-T", str(seconds), name],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    tps = latency = None
    for line in proc.stdout.splitlines():
        if line.startswith("tps ="):
            tps = float(line.split("=")[1].split()[0])
        if line.startswith("latency average"):
            latency = float(line.split("=")[1].split()[0])
    return {
        "operation": "pgbench select-only (the raw ceiling)",
        "available": True,
        "tps": tps,
        "latency_ms": latency,
        "clients": 4,
        "seconds": seconds,
        "scale": 10,
    }


def o9_mixed_load(b: Bench, seconds: int) -> dict[str, Any]:
    try:
        from bench.mixed_load import mixed_load
    except ImportError as exc:
        raise Unavailable(f"locust is not installed ({exc})") from exc
    return mixed_load(b, seconds=seconds)


# --- Report --------------------------------------------------------------------------------------


def _ms(d: dict[str, Any] | None, key: str) -> str:
    if not d or d.get(key) is None:
        return ""
    return f"{d[key]:,.1f}"


def markdown(result: dict[str, Any]) -> str:
    f = result["force"]
    lines = [
        f"### Haven benchmark, tier {result['tier']} (seed {result['seed']})",
        "",
        f"{result['date']}, commit {result['commit']}, PostgreSQL {result['postgresql']}, {result['cpus']} CPUs "
        f"(shared); {f.get('people', 0):,} people, {f.get('episodes', 0):,} episodes, {f.get('cases', 0):,} cases, "
        f"{f.get('s62_rows', 0):,} s62 rows. Times in ms; ratio = Haven / its raw-SQL twin (same statements "
        "replayed through psycopg in the same run).",
        "",
        "| Operation | p50 | p95 | p99 | queries | raw p50 | raw p95 | ratio p50 | ratio p95 | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for key, r in result["operations"].items():
        goal = GOALS.get(key, "")
        if not r.get("available", True):
            if key in ("pgbench", "audit", "O4", "O8", "O9"):
                continue  # said in the lines under the table
            lines.append(f"| {key} | not available: {r.get('reason', '')} | | | | | | | | {goal} |")
            continue
        if "haven" in r and isinstance(r["haven"], dict) and "p50_ms" in r["haven"]:
            h, raw = r["haven"], r.get("raw_sql")
            lines.append(
                f"| {r['operation']} | {_ms(h, 'p50_ms')} | {_ms(h, 'p95_ms')} | {_ms(h, 'p99_ms')} "
                f"| {r.get('queries_per_request') or ''} | {_ms(raw, 'p50_ms')} | {_ms(raw, 'p95_ms')} "
                f"| {r.get('ratio_p50') or ''} | {r.get('ratio_p95') or ''} | {goal} |"
            )
    lines.append("")
    ops = result["operations"]
    extra = []
    if (o3 := ops.get("O3")) and o3.get("available"):
        extra.append(
            f"- O3: the original was among the results for {o3.get('original_found_percent')} % of searches; "
            f"plain pg_trgm query p50 {_ms(o3.get('pg_trgm_baseline'), 'p50_ms')} ms "
            f"(Haven / pg_trgm {o3.get('ratio_to_pg_trgm_p50')})."
        )
    if (a := ops.get("audit")) and a.get("available"):
        extra.append(
            f"- Audit overhead: O1 mean {_ms(a['with_log'], 'mean_ms')} ms with the s62 row, "
            f"{_ms(a['without_log'], 'mean_ms')} ms without: **{a['overhead_percent_mean']} %**."
        )
    if (o4 := ops.get("O4")) and o4.get("available"):
        from bench.escalation import summary as o4_summary

        extra.append(o4_summary(o4))
    elif o4:
        extra.append(f"- O4: not available: {o4.get('reason')}")
    if (o8 := ops.get("O8")) and o8.get("available"):
        h, s = o8["haven"], o8.get("splink", {})
        haven_text = (
            f"Haven precision {h['precision']}, recall {h['recall']}, **F1 {h['f1']}** in {h['seconds']} s"
            if h.get("f1") is not None
            else f"Haven {h.get('reason')}"
        )
        extra.append(
            f"- O8 ({o8['people']:,} people, {o8['true_pairs']:,} labelled pairs): {haven_text}"
            + (
                f"; Splink precision {s['precision']}, recall {s['recall']}, **F1 {s['f1']}** in {s['seconds']} s."
                if s.get("f1") is not None
                else f"; Splink not available: {s.get('reason')}."
            )
        )
    elif o8:
        extra.append(f"- O8: not available: {o8.get('reason')}")
    if (o9 := ops.get("O9")) and o9.get("available"):
        extra.append(f"- O9: {o9.get('summary')}")
    elif o9:
        extra.append(f"- O9: not available: {o9.get('reason')}")
    if (pg := ops.get("pgbench")) and pg.get("available"):
        extra.append(
            f"- PostgreSQL ceiling (pgbench -S, {pg['clients']} clients, {pg['seconds']} s): **{pg['tps']:,.0f} tps**, "
            f"{pg['latency_ms']} ms average latency."
        )
    elif pg:
        extra.append(f"- pgbench: not available: {pg.get('reason')}")
    return "\n".join(lines + extra) + "\n"


def force_facts() -> dict[str, Any]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for key, table in (
            ("people", "people_person"),
            ("episodes", "missing_episode"),
            ("cases", "cases_case"),
            ("deadlines", "deadlines_deadline"),
            ("s62_rows", "audit_accessevent"),
        ):
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [table])
            row = cursor.fetchone()
            out[key] = max(0, int(row[0])) if row and row[0] is not None else 0
            if out[key] < 100_000:
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our table names
                out[key] = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        out["postgresql"] = cursor.fetchone()[0]
    return out


# --- Main ------------------------------------------------------------------------------------------


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tier", default=os.environ.get("TIER", "t0"), choices=["t0", "t1", "t2"])
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SEED", 1)))
    parser.add_argument("--runs", type=int, default=0, help="iterations per operation (default by tier)")
    parser.add_argument("--database", default="", help="default haven_bench_<tier>")
    parser.add_argument("--only", default="", help="comma-separated: O1,O2,O3,O4,O5,O6,O7,O8,O9,O10,O11,audit,pgbench")
    parser.add_argument("--parts", default="", help="build only parts A:B of the tier (a big tier in pieces)")
    parser.add_argument("--o7-rows", type=int, default=0, help="s62 rows for O7 (default by tier)")
    parser.add_argument("--o9-seconds", type=int, default=int(os.environ.get("O9_SECONDS", 20)))
    args = parser.parse_args()
    database = args.database or f"haven_bench_{args.tier}"
    conninfo = database_point(database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # Haven's, with mail in memory
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    log(f"migrating {database}")
    call_command("migrate", verbosity=0)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        log("collecting static files (pages need the manifest)")
        call_command("collectstatic", "--noinput", verbosity=0)
    from haven.demo.synthetic.command import parts_parse
    from haven.demo.synthetic.generate import TIERS

    force_ensure(args.tier, args.seed, parts_parse(args.parts, TIERS[args.tier].parts))
    users = bench_users()
    b = Bench(
        tier=args.tier,
        seed=args.seed,
        runs=args.runs or RUNS[args.tier],
        conninfo=conninfo,
        rng=random.Random(args.seed),  # noqa: S311 - picks records, not secrets
        users=users,
    )
    b.clients["inspector"] = signed_in_client(users["inspector"])
    b.twin = Twin(conninfo)
    only = {o.strip() for o in args.only.split(",") if o.strip()}
    plan: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("pgbench", lambda: pgbench_ceiling(b)),
        ("O1", lambda: o1_case_page(b)),
        ("audit", lambda: audit_overhead(b)),
        ("O2", lambda: o2_report_missing(b)),
        ("O3", lambda: o3_search(b)),
        ("O5", lambda: o5_enquiry_result(b)),
        ("O6", lambda: o6_dmm_board(b)),
        ("O10", lambda: o10_raise_referral(b)),
        ("O11", lambda: o11_share_referral(b)),
        ("O8", lambda: o8_dedupe(b)),
        ("O4", lambda: o4_escalation(b)),
        ("O9", lambda: o9_mixed_load(b, args.o9_seconds)),
        ("O7", lambda: o7_who_viewed(b, args.o7_rows or O7_ROWS[args.tier])),
    ]
    operations: dict[str, Any] = {}
    partial = {"benchmark": "haven", "tier": args.tier, "seed": args.seed, "commit": git_commit()}
    stem = f"{datetime.now(UTC):%Y-%m-%d}-{partial['commit']}-{args.tier}"

    def write(data: dict[str, Any]) -> None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{stem}.json").write_text(json.dumps(data, indent=2, default=str) + "\n")

    for key, run in plan:
        if only and key not in only:
            continue
        log(f"{key}…")
        try:
            operations[key] = run()
        except Unavailable as exc:
            operations[key] = {"operation": key, "available": False, "reason": str(exc)}
        except Exception as exc:  # noqa: BLE001 - one broken operation must not hide the others
            operations[key] = {
                "operation": key,
                "available": False,
                "reason": f"failed: {type(exc).__name__}: {exc}"[:400],
            }
        brief = {k: v for k, v in operations[key].items() if k in BRIEF}
        log(f"{key}: {json.dumps(brief, default=str)}")
        write({**partial, "operations": operations, "complete": False})
    b.twin.close()
    facts = force_facts()
    result = {
        "benchmark": "haven",
        "tier": args.tier,
        "seed": args.seed,
        "database": database,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": partial["commit"],
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "postgresql": facts.pop("postgresql"),
        "force": facts,
        "runs": b.runs,
        "operations": operations,
    }
    result["complete"] = True
    write(result)
    table = markdown(result)
    (RESULTS / f"{stem}.md").write_text(table)
    print()
    print(table)
    print(f"written: bench/results/{stem}.json and .md")


if __name__ == "__main__":
    main()
