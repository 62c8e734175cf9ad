"""Operational endpoints."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mfa.decorators import public

from haven.core import clock
from haven.core.heartbeat import heartbeat_status

DEADLINE_SWEEP = "deadline_sweep"  # haven.deadlines.sweep.SWEEP: escalations stop when it is stale


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable, worker alive, deadline sweep running. 503 only when the database is down: a stale worker
    degrades Haven (no escalations) but pages still work, so the load balancer keeps it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database: dict[str, object] = {"ok": True}
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        database = {"ok": False, "error": exc.__class__.__name__}
        return JsonResponse({"status": "unavailable", "database": database, "worker": None}, status=503)
    worker = heartbeat_status()
    sweep = heartbeat_status(DEADLINE_SWEEP)
    body = {
        "status": "ok" if worker.alive and sweep.alive else "degraded",
        "time": clock.now().isoformat(),
        "database": database,
        "worker": {
            "ok": worker.alive,
            "last_heartbeat": worker.beat_at.isoformat() if worker.beat_at else None,
            "age_seconds": int(worker.age.total_seconds()) if worker.age else None,
        },
        "deadline_sweep": {
            "ok": sweep.alive,
            "last_run": sweep.beat_at.isoformat() if sweep.beat_at else None,
            "age_seconds": int(sweep.age.total_seconds()) if sweep.age else None,
        },
    }
    return JsonResponse(body)
