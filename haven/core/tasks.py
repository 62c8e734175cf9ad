"""Worker jobs for the core: they call services and hold no logic of their own."""

from __future__ import annotations

from typing import Any

from procrastinate.contrib.django import app

from haven.core.heartbeat import WORKER, heartbeat_record


def on_app_ready(procrastinate_app: Any) -> None:
    """Hook for procrastinate's Django app (PROCRASTINATE_ON_APP_READY); nothing to add yet."""


@app.periodic(cron="* * * * * */20", periodic_id="worker-heartbeat")
@app.task(queue="default", name="core.worker_heartbeat", pass_context=False)
def worker_heartbeat(timestamp: int) -> None:
    """Every 20 seconds: prove the worker is alive (shown by /healthz and the page header)."""
    heartbeat_record(name=WORKER, detail={"scheduled_for": timestamp})
