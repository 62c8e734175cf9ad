"""Worker jobs for the core: they call services and hold no logic of their own."""

from __future__ import annotations

from typing import Any

from procrastinate.contrib.django import app

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.core.outbox import RETRY_AFTER, outbox_send


def on_app_ready(procrastinate_app: Any) -> None:
    """Hook for procrastinate's Django app (PROCRASTINATE_ON_APP_READY); nothing to add yet."""


@app.periodic(cron="* * * * * */20", periodic_id="worker-heartbeat")
@app.task(queue="default", name="core.worker_heartbeat", pass_context=False)
def worker_heartbeat(timestamp: int) -> None:
    """Every 20 seconds: prove the worker is alive (shown by /healthz and the page header)."""
    heartbeat_record(name=WORKER, detail={"scheduled_for": timestamp})


@app.task(queue="default", name="core.email", pass_context=False)
def email(ids: list[int]) -> int:
    """Send the e-mails ``ids`` of the outbox (queued with the write that owed them)."""
    return outbox_send(ids=ids)


@app.periodic(cron="* * * * *", periodic_id="core-outbox")
@app.task(queue="default", name="core.outbox", pass_context=False, queueing_lock="core.outbox")
def outbox(timestamp: int) -> int:
    """Every minute: send whatever e-mail is still owed a minute on (a lost job, a mail server that was down)."""
    return outbox_send(older_than=RETRY_AFTER)
