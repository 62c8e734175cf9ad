"""O4: 5,000 deadlines fall due in the same minute; how late is the last escalation?"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.run import Bench


def _unavailable(reason: str) -> Exception:
    """run.py's own Unavailable (run.py is __main__, so importing it would make a second class)."""
    return sys.modules["__main__"].Unavailable(reason)  # type: ignore[no-any-return]


def escalation_lag(b: Bench, count: int = 5000) -> dict[str, Any]:
    """O4: 5,000 deadlines fall due in the same minute; how late is the last escalation?"""
    try:
        from haven.deadlines import services as deadlines
        from haven.deadlines.models import Deadline, Escalation
        from haven.deadlines.sweep import sweep
    except ImportError as exc:
        raise _unavailable("haven.deadlines is not installed") from exc
    from django.db import transaction

    from haven.cases.models import Case
    from haven.core import clock

    cases = list(Case.objects.filter(state="open").select_related("owner", "team").order_by("id")[:100])
    if not cases:
        raise _unavailable("no open cases")
    run = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    due = clock.now().replace(microsecond=0) + timedelta(minutes=1)
    started = time.perf_counter()
    with transaction.atomic():
        for n in range(count):
            deadlines.deadline_create(
                actor=None,
                case=cases[n % len(cases)],
                kind="missing.enquiry",
                what="Benchmark: escalate on time",
                due_at=due,
                key=f"bench:o4:{run}:{n}",
            )
    create_seconds = time.perf_counter() - started
    ours = Deadline.objects.filter(key__startswith=f"bench:o4:{run}:")
    try:
        clock.travel(due - clock.now() + timedelta(seconds=1))
        started = time.perf_counter()
        sweeps = []
        while True:
            result = sweep()
            sweeps.append({"fired": result.fired, "told": result.told, "duration_ms": result.duration_ms})
            if not result.fired:
                break
        wall = time.perf_counter() - started
        esc = Escalation.objects.filter(deadline__in=ours, fire_at__lte=due)
        due_count = esc.count()
        fired = esc.filter(fired_at__isnull=False).count()
        lags = sorted((e.fired_at - e.fire_at).total_seconds() for e in esc.filter(fired_at__isnull=False))
    finally:
        clock.reset()
        _o4_clean(ours)
    return {
        "operation": f"O4 escalate {count:,} deadlines due in one minute",
        "available": True,
        "deadlines": count,
        "escalations_due": due_count,
        "escalations_fired": fired,
        "create_seconds": round(create_seconds, 2),
        "sweep_wall_seconds": round(wall, 2),
        "lag_p50_s": round(lags[len(lags) // 2], 2) if lags else None,
        "lag_max_s": round(lags[-1], 2) if lags else None,
        "escalations_per_second": round(fired / wall, 1) if wall else None,
        "sweeps": sweeps[:10],
        "note": "Clock moved to the due time + 1 s, then the sweep run until nothing fired; e-mail to locmem.",
    }


def _o4_clean(ours: Any) -> None:
    from django.db import connection, transaction

    ids = list(ours.values_list("id", flat=True))
    if not ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # the history triggers keep no trace
        cursor.execute("DELETE FROM notifications_notification WHERE deadline_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM deadlines_escalation WHERE deadline_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM deadlines_deadline WHERE id = ANY(%s)", [ids])
