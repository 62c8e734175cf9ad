"""O9: a mixed load on loopback, bounded in time. Imported by bench/run.py only when locust is installed.

Starts Haven under gunicorn (as ``make run`` does: 2 workers x 4 threads) on a free loopback port
against the benchmark database, signs in one officer for real, then runs locust headless at rising
numbers of simulated users (each for ``seconds``) and reports the highest requests per second at
which the 95th percentile stayed at or under 300 ms.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

if importlib.util.find_spec("locust") is None:  # never imported here: it monkey-patches threads (gevent)
    raise ImportError("locust is not installed")

ROOT = Path(__file__).resolve().parent.parent
P95_LIMIT_MS = 300
USERS = (1, 2, 4, 8, 16, 32)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _plan(b: Any, path: Path) -> None:
    from django.conf import settings

    from haven.cases.models import Case
    from haven.demo.synthetic.load import truth_pairs
    from haven.people.models import Person

    client = b.clients["inspector"]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    cases = [str(c) for c in Case.objects.order_by("?").values_list("public_id", flat=True)[:500]]
    dupes = [c for _, c, _ in truth_pairs(tier=b.tier, seed=b.seed)[:300]]
    searches = [
        (p.full_name, p.date_of_birth.isoformat())
        for p in Person.objects.filter(public_id__in=dupes, date_of_birth__isnull=False)
    ]
    path.write_text(
        json.dumps(
            {"cookie_name": settings.SESSION_COOKIE_NAME, "cookie": cookie, "cases": cases, "searches": searches}
        )
    )


@contextlib.contextmanager
def serving(b: Any) -> Iterator[tuple[int, Path, dict[str, str]]]:
    """Haven under gunicorn (as ``make run``: 2 workers x 4 threads) on a free loopback port, warmed up;
    yields (port, the locust plan, the environment for locust)."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    work = Path(tempfile.mkdtemp(prefix="haven-o9-"))
    plan = work / "plan.json"
    _plan(b, plan)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--threads", "4", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "gunicorn.log").open("w"),
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.5)
        _warm(port, plan)
        yield port, plan, {**env, "BENCH_O9_PLAN": str(plan)}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def locust_command(port: int, *, users: int, seconds: int, prefix: Path) -> list[str]:
    """The locust run of the O9 mix: ``users`` simulated officers for ``seconds``, statistics at ``prefix``."""
    return (
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
        + ["-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}"]
        + ["--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
    )


def locust_stats(prefix: Path, users: int) -> dict[str, Any]:
    return _read(prefix.with_name(prefix.name + "_stats.csv"), users)


def mixed_load(b: Any, *, seconds: int) -> dict[str, Any]:
    steps = []
    with serving(b) as (port, plan, env):
        for users in USERS:
            prefix = plan.parent / f"u{users}"
            subprocess.run(
                locust_command(port, users=users, seconds=seconds, prefix=prefix),
                cwd=ROOT,
                env=env,
                capture_output=True,
                check=False,
                timeout=seconds + 60,
            )
            step = locust_stats(prefix, users)
            steps.append(step)
            if step.get("p95_ms") is None or step["p95_ms"] > P95_LIMIT_MS or step.get("failures", 0):
                break
        good = [s for s in steps if s.get("p95_ms") is not None and s["p95_ms"] <= P95_LIMIT_MS and not s["failures"]]
        best = max(good, key=lambda s: s["rps"]) if good else None
        audit = audit_under_load(port, plan, env, users=best["users"] if best else 1, seconds=seconds)
    summary = (
        f"**{best['rps']:.1f} requests/s** with p95 {best['p95_ms']:.0f} ms at {best['users']} users "
        f"(gunicorn 2 workers x 4 threads, loopback, {seconds} s per step)"
        if best
        else "p95 was above 300 ms at the lowest load measured"
    )
    summary += f"; under that load {audit['summary']}"
    return {
        "operation": "O9 mixed load",
        "available": True,
        "summary": summary,
        "audit": audit,
        "best": best,
        "steps": steps,
        "mix": "case page 5 : person search 3 : DMM board 1 : home 1",
    }


# The kinds of request the mix makes, by the name in their X-Request-ID (bench/locustfile.py).
KINDS = ("case", "search", "board", "home")


def audit_under_load(port: int, plan: Path, env: dict[str, str], *, users: int, seconds: int) -> dict[str, Any]:
    """The load-and-audit check: the mix again at its highest sustained rate (``users``), then the s62
    log against the requests. Every request served has a well-formed X-Request-ID of its own, which
    Haven writes on each row: a case page or a search served must have exactly one consultation row,
    and no request of any kind more than one. Counted from the log, not from Haven's own counters."""
    from haven.audit.models import AccessEvent

    tag = f"o9audit{uuid.uuid4().hex[:8]}"
    prefix = plan.parent / "audit"
    answered = plan.parent / "audit-served.txt"
    subprocess.run(
        locust_command(port, users=users, seconds=seconds, prefix=prefix),
        cwd=ROOT,
        env={**env, "BENCH_O9_TAG": tag, "BENCH_O9_SERVED": str(answered)},
        capture_output=True,
        check=False,
        timeout=seconds + 60,
    )
    step = locust_stats(prefix, users)
    # Requests still in flight when locust stopped may have written a row; only those it saw answered
    # (200, with Haven's X-Request-ID echoed back) are counted.
    served_ids = [line for line in answered.read_text().splitlines() if line] if answered.exists() else []
    rows: dict[str, int] = dict.fromkeys(served_ids, 0)
    for request_id in AccessEvent.objects.filter(request_id__in=served_ids, operation="consultation").values_list(
        "request_id", flat=True
    ):
        rows[request_id] += 1
    kinds: dict[str, Any] = {}
    for kind in KINDS:
        mine = [n for rid, n in rows.items() if rid.split(".")[1] == kind]
        kinds[kind] = {
            "served": len(mine),
            "with_one_row": sum(1 for n in mine if n == 1),
            "with_more": sum(1 for n in mine if n > 1),
            "without": sum(1 for n in mine if n == 0),
        }
    must = ("case", "search")
    ok = all(0 < kinds[k]["served"] == kinds[k]["with_one_row"] for k in must) and not any(
        v["with_more"] for v in kinds.values()
    )
    served = sum(v["served"] for v in kinds.values())
    summary = (
        f"{'every' if ok else 'NOT every'} read had exactly one consultation row "
        f"({served} requests at {users} users, {step.get('rps', 0):.1f} requests/s: "
        + ", ".join(f"{k} {v['with_one_row']}/{v['served']}" for k, v in kinds.items())
        + ")"
    )
    return {"ok": ok, "users": users, "rps": step.get("rps"), "kinds": kinds, "summary": summary}


def _warm(port: int, plan: Path) -> None:
    """Every page a few times first: the workers import lazily and compile templates on first use."""
    data = json.loads(plan.read_text())
    cookie = f"{data['cookie_name']}={data['cookie']}"
    paths = ["/", "/dmm/", *[f"/cases/{c}/" for c in data["cases"][:6]]]
    paths += [f"/people/?q={urllib.parse.quote(q)}&dob={d}" for q, d in data["searches"][:6]]
    for path in paths * 2:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})  # noqa: S310
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 - loopback


def _read(path: Path, users: int) -> dict[str, Any]:
    if not path.exists():
        return {"users": users, "error": "locust wrote no statistics"}
    with path.open() as f:
        rows = list(csv.DictReader(f))
    agg = next((r for r in rows if r.get("Name") == "Aggregated"), None)
    if agg is None:
        return {"users": users, "error": "no aggregated row"}
    per = {
        r["Name"]: {
            "rps": float(r["Requests/s"]),
            "p95_ms": float(r["95%"]) if r["95%"] not in ("", "N/A") else None,
            "served": int(r["Request Count"]) - int(r["Failure Count"]),
        }
        for r in rows
        if r.get("Name") != "Aggregated"
    }
    return {
        "users": users,
        "requests": int(agg["Request Count"]),
        "failures": int(agg["Failure Count"]),
        "rps": float(agg["Requests/s"]),
        "p50_ms": float(agg["50%"]) if agg["50%"] not in ("", "N/A") else None,
        "p95_ms": float(agg["95%"]) if agg["95%"] not in ("", "N/A") else None,
        "per_request": per,
    }
