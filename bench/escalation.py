"""O4: 5,000 deadlines fall due in the same minute while the web server is serving requests.

Two figures, both on the real parts:

- **live**: a real worker (``manage.py procrastinate worker``, as ``make run`` starts it) and Haven
  under gunicorn with locust's mixed load (the O9 mix) running; the 5,000 deadlines fall due spread
  over one minute of the real clock. Lag = when the escalation was fired − when it fell due; also the
  web load's p95 during that minute and how many e-mails the worker sent.
- **catch-up**: the same 5,000 all overdue at once and the sweep run in this process until nothing is
  left (what a worker that was down for a while faces): escalations per second.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.run import Bench

ROOT = Path(__file__).resolve().parent.parent
WINDOW_SECONDS = 60
LEAD_SECONDS = 20
"""The first deadline falls due this long after the worker and the load have started."""


def _unavailable(reason: str) -> Exception:
    """run.py's own Unavailable (run.py is __main__, so importing it would make a second class)."""
    return sys.modules["__main__"].Unavailable(reason)  # type: ignore[no-any-return]


def escalation_lag(b: Bench, count: int = 5000) -> dict[str, Any]:
    try:
        from haven.deadlines.sweep import sweep  # noqa: F401
    except ImportError as exc:
        raise _unavailable("haven.deadlines is not installed") from exc
    live = _live(b, count)
    catch_up = _catch_up(b, count)
    return {
        "operation": f"O4 escalate {count:,} deadlines due in one minute",
        "available": True,
        **live,
        "catch_up": catch_up,
        "note": (
            "live: real worker (--concurrency 4) and gunicorn under locust's O9 mix; deadlines due spread over "
            f"{WINDOW_SECONDS} s of the real clock; lag = fired_at - fire_at. catch-up: all overdue at once, "
            "sweep in-process until nothing fires. E-mail to locmem."
        ),
    }


def _make(b: Bench, count: int, label: str) -> tuple[Any, float]:
    """``count`` deadlines through ``deadline_create`` (a day away, so nothing fires yet)."""
    from django.db import transaction

    from haven.cases.models import Case
    from haven.core import clock
    from haven.deadlines import services as deadlines
    from haven.deadlines.models import Deadline

    cases = list(Case.objects.filter(state="open").select_related("owner", "team").order_by("id")[:100])
    if not cases:
        raise _unavailable("no open cases")
    run = f"bench:o4:{label}:{datetime.now(UTC):%Y%m%d%H%M%S}:"
    started = time.perf_counter()
    with transaction.atomic():
        for n in range(count):
            deadlines.deadline_create(
                actor=None,
                case=cases[n % len(cases)],
                kind="missing.enquiry",
                what="Benchmark: escalate on time",
                due_at=clock.now() + timedelta(days=1),
                key=f"{run}{n}",
            )
    ids = list(Deadline.objects.filter(key__startswith=run).values_list("id", flat=True))
    return Deadline.objects.filter(id__in=ids), time.perf_counter() - started


def _fall_due(ours: Any, *, first: datetime, spread: float) -> None:
    """Move the deadlines' due times (and their ladders with them) to ``first`` + up to ``spread`` s, in
    creation order: a setup step, as the worker test does, so the worker on the real clock sees them due."""
    from django.db import connection, transaction

    ids = list(ours.order_by("id").values_list("id", flat=True))
    step = spread / max(len(ids), 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE deadlines_deadline d SET due_at = %s + (n.ord - 1) * %s * interval '1 second' "
            "FROM unnest(%s::bigint[]) WITH ORDINALITY AS n(id, ord) WHERE d.id = n.id",
            [first, step, ids],
        )
        cursor.execute(
            "UPDATE deadlines_escalation e SET fire_at = d.due_at + e.offset_minutes * interval '1 minute' "
            "FROM deadlines_deadline d WHERE d.id = e.deadline_id AND d.id = ANY(%s)",
            [ids],
        )


def _lags(ours: Any) -> dict[str, Any]:
    from haven.deadlines.models import Escalation

    due = Escalation.objects.filter(deadline__in=ours, offset_minutes__lte=0)
    fired = list(due.filter(fired_at__isnull=False).values_list("fire_at", "fired_at"))
    lags = sorted((f - d).total_seconds() for d, f in fired)
    return {
        "escalations_due": due.count(),
        "escalations_fired": len(fired),
        "lag_p50_s": round(statistics.median(lags), 2) if lags else None,
        "lag_p95_s": round(lags[int(len(lags) * 0.95) - 1], 2) if lags else None,
        "lag_max_s": round(lags[-1], 2) if lags else None,
    }


def _live(b: Bench, count: int) -> dict[str, Any]:
    from django.db import connection

    from bench.mixed_load import locust_command, locust_stats, serving
    from haven.core import clock
    from haven.core.models import Heartbeat, OutgoingEmail
    from haven.deadlines.sweep import SWEEP
    from haven.notifications.models import Notification

    ours, create_seconds = _make(b, count, "live")
    worker = None
    try:
        with serving(b) as (port, plan, env):
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "procrastinate", "worker", "--name", "bench-o4", "--concurrency", "4"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=(plan.parent / "worker.log").open("w"),
            )
            prefix = plan.parent / "o4-load"
            load_seconds = LEAD_SECONDS + WINDOW_SECONDS + 15
            load = subprocess.Popen(
                locust_command(port, users=2, seconds=load_seconds, prefix=prefix),
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            first = clock.now() + timedelta(seconds=LEAD_SECONDS)
            _fall_due(ours, first=first, spread=WINDOW_SECONDS - 1)
            connection.close()  # the worker's sweep must not wait on this process's connection
            last_due = first + timedelta(seconds=WINDOW_SECONDS)
            give_up = last_due + timedelta(minutes=3)
            from haven.deadlines.models import Escalation

            sweeps: dict[Any, dict[str, Any]] = {}  # each sweep's heartbeat, by its time
            polls = 0
            while clock.now() < give_up:
                time.sleep(0.4)
                beat = Heartbeat.objects.filter(name=SWEEP).values("beat_at", "detail").first()
                if beat is not None and beat["detail"].get("fired"):
                    sweeps[beat["beat_at"]] = beat["detail"]
                polls += 1
                if polls % 5:
                    continue
                left = Escalation.objects.filter(deadline__in=ours, offset_minutes__lte=0, fired_at__isnull=True)
                if clock.now() > last_due and not left.exists():
                    break
            load.wait(timeout=load_seconds + 60)
            web = locust_stats(prefix, 2)
            emails_by = clock.now() + timedelta(seconds=30)
            owed = Notification.objects.filter(deadline__in=ours)
            emails = OutgoingEmail.objects.filter(
                kind="notifications.notification", context__notification__in=list(owed.values_list("pk", flat=True))
            )
            while emails.filter(pending=True).exists() and clock.now() < emails_by:
                time.sleep(1)
            result = {
                "deadlines": count,
                "create_seconds": round(create_seconds, 2),
                **_lags(ours),
                "sweeps_seen": _sweeps(list(sweeps.values())),
                "notifications": owed.count(),
                "emails_sent": emails.filter(sent_at__isnull=False).count(),
                "web_during": {k: web.get(k) for k in ("users", "requests", "failures", "rps", "p50_ms", "p95_ms")},
            }
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        _clean(ours)
    return result


def _sweeps(details: list[dict[str, Any]]) -> dict[str, Any]:
    """The sweeps that fired something, from their heartbeats (sampled: one sweep may hide another).
    A sweep takes batches until nothing is due, so while rows keep falling due it runs on."""
    durations = sorted(d.get("duration_ms", 0) for d in details)
    return {
        "count": len(durations),
        "duration_ms_p50": statistics.median(durations) if durations else None,
        "duration_ms_max": durations[-1] if durations else None,
        "fired_max": max((d.get("fired", 0) for d in details), default=None),
    }


def _catch_up(b: Bench, count: int) -> dict[str, Any]:
    from haven.core import clock
    from haven.deadlines.sweep import sweep

    ours, _ = _make(b, count, "catchup")
    try:
        _fall_due(ours, first=clock.now() - timedelta(seconds=61), spread=60)
        started = time.perf_counter()
        sweeps = []
        while True:
            result = sweep()
            sweeps.append({"fired": result.fired, "told": result.told, "duration_ms": result.duration_ms})
            if not result.fired:
                break
        wall = time.perf_counter() - started
        fired = sum(s["fired"] for s in sweeps)
        return {
            "escalations_fired": fired,
            "sweep_wall_seconds": round(wall, 2),
            "escalations_per_second": round(fired / wall, 1) if wall else None,
            "batch": int(os.environ.get("HAVEN_DEADLINE_SWEEP_BATCH", "") or 0) or "default",
        }
    finally:
        _clean(ours)


def _clean(ours: Any) -> None:
    from django.db import connection, transaction

    ids = list(ours.values_list("id", flat=True))
    if not ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # the history triggers keep no trace
        cursor.execute("DELETE FROM notifications_notification WHERE deadline_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM deadlines_escalation WHERE deadline_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM deadlines_deadline WHERE id = ANY(%s)", [ids])


def summary(o4: dict[str, Any]) -> str:
    """The Markdown line of the results for O4."""
    web = o4.get("web_during") or {}
    catch = o4.get("catch_up") or {}
    sweeps = o4.get("sweeps_seen") or {}
    return (
        f"- O4 (live, real worker, web under load): {o4['escalations_fired']:,} of {o4['escalations_due']:,} "
        f"escalations due in one minute fired; lag p50 {o4['lag_p50_s']} s, p95 {o4['lag_p95_s']} s, "
        f"max **{o4['lag_max_s']} s**; the longest sweep seen ran {(sweeps.get('duration_ms_max') or 0) / 1000:.1f} s "
        "(a sweep goes on while rows keep falling due); "
        f"{o4['emails_sent']:,} of {o4['notifications']:,} e-mails sent by the "
        f"worker; meanwhile the web served {round(web.get('rps') or 0, 1)} requests/s at p95 {web.get('p95_ms')} ms. "
        f"Catch-up (all 5,000 overdue at once): {catch.get('escalations_per_second')} escalations/s "
        f"({catch.get('escalations_fired'):,} in {catch.get('sweep_wall_seconds')} s)."
    )
