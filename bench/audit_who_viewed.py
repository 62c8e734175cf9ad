"""Benchmark: "who viewed person X in the last 12 months" on the s62 log at scale.

    .venv/bin/python bench/audit_who_viewed.py --rows 2000000        # make bench
    .venv/bin/python bench/audit_who_viewed.py --rows 20000000       # make bench ROWS=20000000

It works in its own database (``haven_bench`` on the server DATABASE_URL names, or on the embedded
server), never in Haven's: migrates it, bulk-generates ``--rows`` AccessEvent rows spread over
``--months`` months with INSERT … SELECT generate_series (the hash chain is meaningless for generated
rows, so its no-fork trigger is off while loading and the indexes are built after the load), then
times, for ``--runs`` random people, Haven's selector (``access_event_search``: count, first page of
200, and the row that logs the read) and its raw-SQL twin (the same two queries, no ORM, no log
row). A database already holding the same generated data is reused; ``--fresh`` rebuilds it.

Writes bench/results/<date>-<commit>.json and .md and prints the Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
BENCH_DATABASE = "haven_bench"
PAGE = 200

# The raw-SQL twin of haven.audit.selectors.access_event_search for one person since a time.
RAW_COUNT = """
    SELECT count(*) FROM audit_accessevent
    WHERE person_ids @> ARRAY[%(person)s]::uuid[] AND occurred_at >= %(since)s
"""
RAW_PAGE = """
    SELECT e.*, u.username FROM audit_accessevent e LEFT JOIN accounts_user u ON u.id = e.actor_id
    WHERE e.person_ids @> ARRAY[%(person)s]::uuid[] AND e.occurred_at >= %(since)s
    ORDER BY e.occurred_at DESC, e.id DESC LIMIT 200
"""


def person_uuid(n: int) -> uuid.UUID:
    """The n-th generated person's public id (the SQL below makes the same ones)."""
    return uuid.UUID(f"00000000-0000-4000-8000-{n:012x}")


SQL_PERSON = "('00000000-0000-4000-8000-' || lpad(to_hex({n}), 12, '0'))::uuid"
SQL_CASE = "('00000000-0000-4000-9000-' || lpad(to_hex({n}), 12, '0'))::uuid"

GENERATE = f"""
INSERT INTO audit_accessevent (public_id, occurred_at, operation, actor_id, actor_username, person_ids,
    case_ids, justification, justification_kind, recipients, channel, query, detail, outcome, request_id,
    prev_hash, row_hash)
SELECT gen_random_uuid(),
       %(start)s::timestamptz + random() * (%(end)s::timestamptz - %(start)s::timestamptz),
       CASE WHEN r < 0.88 THEN 'consultation' WHEN r < 0.95 THEN 'alteration'
            WHEN r < 0.98 THEN 'collection' WHEN r < 0.995 THEN 'disclosure' ELSE 'combination' END,
       (%(actors)s::bigint[])[1 + (g %% cardinality(%(actors)s::bigint[]))],
       'bench' || (g %% cardinality(%(actors)s::bigint[])),
       ARRAY(SELECT {SQL_PERSON.format(n="floor(random() * %(people)s)::bigint + g * 0")}
             FROM generate_series(1, CASE WHEN k < 0.85 THEN 1 WHEN k < 0.95 THEN 2 + (g %% 2) ELSE 10 END)),
       CASE WHEN k2 < 0.5 THEN ARRAY[{SQL_CASE.format(n="floor(k2 * 2 * %(cases)s)::bigint")}]
            ELSE '{{}}'::uuid[] END,
       CASE WHEN k < 0.95 THEN 'Their team''s case.' ELSE '' END,
       CASE WHEN k < 0.95 THEN 'team' ELSE '' END,
       CASE WHEN r >= 0.98 AND r < 0.995
            THEN '[{{"name": "Duty social worker", "organisation": "Children''s services"}}]'::jsonb
            ELSE '[]'::jsonb END,
       CASE WHEN r >= 0.98 AND r < 0.995 THEN 'secure email' ELSE '' END,
       CASE WHEN k >= 0.95 THEN 'smith' ELSE '' END,
       '{{}}'::jsonb,
       'allowed',
       md5(g::text),
       md5(g::text) || md5((g + 1)::text),
       md5((g + 1)::text) || md5((g + 2)::text)
FROM (SELECT g, random() AS r, random() AS k, random() AS k2
      FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g) AS s
"""


def git_commit() -> str:
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def point_at_bench_database(name: str) -> str:
    """Create the benchmark database next to Haven's and make Django use it. Returns its URL."""
    import dj_database_url
    import psycopg
    from psycopg.conninfo import make_conninfo

    from haven.core.database import connection_url, database_url

    server = database_url()
    admin = make_conninfo(server, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = connection_url({**dj_database_url.parse(server), "NAME": name})
    os.environ["DATABASE_URL"] = url
    return url


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def generated_spec(cursor: Any) -> dict[str, Any] | None:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
    cursor.execute("SELECT value FROM bench_meta WHERE key = 'generated'")
    row = cursor.fetchone()
    return row[0] if row else None


def generate(*, rows: int, months: int, people: int, cases: int, actors: list[int]) -> float:
    """Fill the log with ``rows`` rows over the last ``months`` months. Returns the seconds it took."""
    from django.db import connection

    from haven.audit.partitions import add_months, month_start, partitions_ensure
    from haven.core import clock

    started = time.perf_counter()
    first_month = add_months(month_start(clock.now()), -months)
    partitions_ensure(start=first_month)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_accessevent' "
            "AND indexname <> 'audit_accessevent_pkey'"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_accessevent'::regclass AND tgname LIKE %s",
            ["pgtrigger_chain_no_fork%"],
        )
        no_fork = [r[0] for r in cursor.fetchall()]
        for trigger in no_fork:
            cursor.execute(f'ALTER TABLE audit_accessevent DISABLE TRIGGER "{trigger}"')
    now = clock.now()
    start = now - timedelta(days=30.44 * months)
    chunk = 500_000
    done = 0
    span = (now - start) / max(1, (rows + chunk - 1) // chunk)
    chunk_start = start
    while done < rows:
        n = min(chunk, rows - done)
        with connection.cursor() as cursor:
            cursor.execute(
                GENERATE,
                {
                    "start": chunk_start,
                    "end": chunk_start + span,
                    "first": done + 1,
                    "last": done + n,
                    "people": people,
                    "cases": cases,
                    "actors": actors,
                },
            )
        done += n
        chunk_start += span
        log(f"generated {done:,} / {rows:,} rows")
    with connection.cursor() as cursor:
        for name, definition in indexes:
            log(f"building {name}")
            cursor.execute(definition.replace(" ON ONLY ", " ON "))  # build on every partition
        for trigger in no_fork:
            cursor.execute(f'ALTER TABLE audit_accessevent ENABLE TRIGGER "{trigger}"')
        log("VACUUM ANALYZE")
        cursor.execute("VACUUM ANALYZE audit_accessevent")
    return time.perf_counter() - started


def bench_users(count: int) -> tuple[Any, list[int]]:
    from haven.accounts import services
    from haven.accounts.models import User
    from haven.accounts.schemas import UserOnServerIn

    auditor = User.objects.filter(username="bench_dpo").first() or services.user_create(
        actor=None,
        data=UserOnServerIn(
            username="bench_dpo",
            first_name="Bench",
            last_name="Auditor",
            email="bench_dpo@bench.invalid",
            password=uuid.uuid4().hex,
            roles=["auditor"],
        ),
    )
    ids = []
    for i in range(count):
        user = User.objects.filter(username=f"bench{i}").first() or services.user_create(
            actor=None,
            data=UserOnServerIn(
                username=f"bench{i}",
                first_name="Bench",
                last_name=f"Officer {i}",
                email=f"bench{i}@bench.invalid",
                password=uuid.uuid4().hex,
                roles=["response_officer"],
            ),
        )
        ids.append(user.pk)
    return auditor, ids


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 3),
        "p95_ms": round(cuts[94] * 1000, 3),
        "p99_ms": round(cuts[98] * 1000, 3),
        "mean_ms": round(statistics.fmean(samples) * 1000, 3),
        "max_ms": round(max(samples) * 1000, 3),
    }


def measure(*, auditor: Any, people: int, runs: int, seed: int) -> dict[str, Any]:
    from django.db import connection

    from haven.audit.selectors import LogFilter, access_event_search
    from haven.core import clock

    rng = random.Random(seed)  # noqa: S311 - picks people to look up, not secrets
    since = clock.now() - timedelta(days=365)
    chosen = [person_uuid(rng.randrange(people)) for _ in range(runs)]
    selector: list[float] = []
    raw: list[float] = []
    matches: list[int] = []

    def run_selector(person: uuid.UUID) -> int:
        page, total = access_event_search(
            actor=auditor, log_filter=LogFilter(person=person, since=since), limit=PAGE, channel="bench"
        )
        return total

    def run_raw(person: uuid.UUID) -> int:
        with connection.cursor() as cursor:
            cursor.execute(RAW_COUNT, {"person": person, "since": since})
            total = cursor.fetchone()[0]
            cursor.execute(RAW_PAGE, {"person": person, "since": since})
            cursor.fetchall()
        return int(total)

    for person in chosen[:5]:  # warm the caches and the connection
        run_selector(person)
        run_raw(person)
    for i, person in enumerate(chosen):
        order = [(run_selector, selector), (run_raw, raw)]
        if i % 2:
            order.reverse()  # neither always goes first
        for fn, samples in order:
            started = time.perf_counter()
            total = fn(person)
            samples.append(time.perf_counter() - started)
        matches.append(total)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + RAW_PAGE, {"person": chosen[0], "since": since})
        plan = "\n".join(r[0] for r in cursor.fetchall())
    s, r = percentiles(selector), percentiles(raw)
    return {
        "selector": s,
        "raw_sql": r,
        "ratio_p50": round(s["p50_ms"] / r["p50_ms"], 2) if r["p50_ms"] else None,
        "ratio_p95": round(s["p95_ms"] / r["p95_ms"], 2) if r["p95_ms"] else None,
        "matches_per_person": {"min": min(matches), "median": statistics.median(matches), "max": max(matches)},
        "plan": plan,
    }


def table_facts() -> dict[str, Any]:
    from django.db import connection

    from haven.audit.partitions import partitions_list

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_accessevent")
        count = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_size_pretty(sum(pg_table_size(inhrelid))), pg_size_pretty(sum(pg_indexes_size(inhrelid))) "
            "FROM pg_inherits WHERE inhparent = 'audit_accessevent'::regclass"
        )
        table_size, index_size = cursor.fetchone()
        cursor.execute(
            "SELECT pg_size_pretty(sum(pg_relation_size(i.indexrelid))) FROM pg_inherits h "
            "JOIN pg_index i ON i.indrelid = h.inhrelid JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE h.inhparent = 'audit_accessevent'::regclass AND c.relname LIKE '%%person_ids%%'"
        )
        gin_size = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return {
        "rows": count,
        "partitions": len(partitions_list()),
        "table_size": table_size,
        "index_size": index_size,
        "person_ids_gin_size": gin_size,
        "postgresql": version,
    }


def markdown(result: dict[str, Any]) -> str:
    m, f = result["measurements"], result["table"]
    s, r = m["selector"], m["raw_sql"]
    return "\n".join(
        [
            f"### Who viewed person X in the last 12 months: {f['rows']:,} rows",
            "",
            f"{result['date']}, commit {result['commit']}, PostgreSQL {f['postgresql']}, {result['cpus']} CPUs; "
            f"{f['partitions']} partitions, table {f['table_size']}, indexes {f['index_size']} "
            f"(person_ids GIN {f['person_ids_gin_size']}); {result['runs']} people, "
            f"{m['matches_per_person']['median']} events each (median).",
            "",
            "| Query | p50 ms | p95 ms | p99 ms | mean ms |",
            "|---|---:|---:|---:|---:|",
            f"| Haven selector (count + page of 200 + log row) | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} "
            f"| {s['mean_ms']} |",
            f"| Raw SQL twin (count + page of 200) | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['mean_ms']} |",
            f"| Ratio selector / raw | {m['ratio_p50']} | {m['ratio_p95']} | | |",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=int(os.environ.get("ROWS", 2_000_000)))
    parser.add_argument("--months", type=int, default=13, help="spread the rows over this many months (12+)")
    parser.add_argument("--people", type=int, default=0, help="distinct people (default rows / 50)")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", 200)))
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", BENCH_DATABASE))
    parser.add_argument(
        "--fresh", action="store_true", help="empty the database's log and regenerate (its own database only)"
    )
    parser.add_argument("--seed", type=int, default=62)
    args = parser.parse_args()
    if args.database in ("haven", "postgres"):
        parser.error("use a database of its own for the benchmark")
    people = args.people or max(1000, args.rows // 50)
    cases = max(100, args.rows // 200)

    point_at_bench_database(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    log(f"migrating {args.database}")
    call_command("migrate", verbosity=0)
    auditor, actors = bench_users(50)
    spec = {"rows": args.rows, "months": args.months, "people": people, "cases": cases}
    with connection.cursor() as cursor:
        existing = generated_spec(cursor)
    generation_seconds = None
    if existing != spec or args.fresh:
        log(f"generating {args.rows:,} rows over {args.months} months for {people:,} people")
        if existing is not None or args.fresh:
            # Rows this script generated before (or --fresh): start clean. A database holding other
            # rows and no generated ones (bench/run.py's synthetic force) is added to, never emptied.
            from haven.audit.partitions import partitions_list

            with connection.cursor() as cursor:
                for partition in partitions_list():
                    cursor.execute(f'DROP TABLE "{partition}"')
        generation_seconds = round(
            generate(rows=args.rows, months=args.months, people=people, cases=cases, actors=actors), 1
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_meta VALUES ('generated', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [json.dumps(spec)],
            )
    else:
        log("reusing the rows already generated")
    log(f"measuring {args.runs} people")
    result = {
        "benchmark": "audit_who_viewed",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "runs": args.runs,
        "spec": spec,
        "generation_seconds": generation_seconds,
        "table": table_facts(),
        "measurements": measure(auditor=auditor, people=people, runs=args.runs, seed=args.seed),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.now(UTC):%Y-%m-%d}-{result['commit']}-{args.rows}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    table = markdown(result)
    (RESULTS / f"{stem}.md").write_text(table)
    print()
    print(table)
    print(f"written: bench/results/{stem}.json and .md")


if __name__ == "__main__":
    main()
