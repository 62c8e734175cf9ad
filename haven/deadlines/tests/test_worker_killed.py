"""A real worker process (``manage.py procrastinate worker``) killed with SIGKILL in the middle of a
sweep, then restarted: everything due is escalated, nothing twice, nothing lost."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum

from haven.core import clock
from haven.core.database import connection_url
from haven.deadlines import services
from haven.deadlines.models import Escalation
from haven.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
DEADLINES = 60  # 240 steps in batches of 5: the kill lands mid-sweep, and the test stays short
STEPS = 4
TOTAL = DEADLINES * STEPS


def _start_worker(smtp_port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        # this run's test database, on the embedded server's socket directory or DATABASE_URL's server
        "DATABASE_URL": connection_url(settings.DATABASES["default"]),
        "HAVEN_ENV": "test",
        "HAVEN_EMAIL_HOST": "127.0.0.1",
        "HAVEN_EMAIL_PORT": str(smtp_port),
        "HAVEN_DEADLINE_SWEEP_BATCH": "5",  # many small transactions, so a kill lands between and inside them
    }
    with log.open("ab") as errors:  # why a worker that could not start stopped, for the failure message
        return subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "--name", "deadlines-kill-test"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )


def _kick() -> None:
    """Queue a sweep now rather than wait for the next periodic tick (a queued one is as good)."""
    from procrastinate.exceptions import AlreadyEnqueued

    from haven.deadlines.tasks import deadline_sweep

    with contextlib.suppress(AlreadyEnqueued):
        deadline_sweep.defer(timestamp=int(time.time()))  # type: ignore[call-arg]


def _told() -> int:
    """How many times recipients were told: each step that told someone counts once on their item."""
    return Notification.objects.aggregate(told=Sum("told_count"))["told"] or 0


def _fired() -> int:
    return Escalation.objects.filter(fired_at__isnull=False).count()


def _wait(predicate, timeout: float, what: str, worker: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker.poll() is not None:  # a worker that cannot reach the database exits at once
            raise AssertionError(f"the worker exited ({worker.returncode}) before {what}:\n{log.read_text()[-2000:]}")
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def test_worker_killed_mid_sweep_and_restarted_escalates_everything_once(ranks, make_case, smtp_server, tmp_path):
    controller, _ = smtp_server
    log = tmp_path / "worker.log"
    case = make_case(ranks["officer"])
    for n in range(DEADLINES):
        services.deadline_create(
            actor=ranks["officer"],
            case=case,
            kind="tests.protection",
            what="End PP",
            due_at=clock.now() + timedelta(hours=72),
            key=f"pp:{n}",
        )
    # The worker runs on the real clock: bring every step's time to the past instead of moving the clock.
    Escalation.objects.update(fire_at=clock.now() - timedelta(minutes=1))

    worker = _start_worker(controller.port, log)
    try:
        _kick()
        _wait(lambda: _fired() > 0, 90, "the first escalations", worker, log)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
    at_kill = _fired()
    assert 0 < at_kill < TOTAL, "the kill should land in the middle of the sweep"
    # What the killed sweep committed is whole: every fired step told its recipient once, no more.
    assert _told() == at_kill

    worker = _start_worker(controller.port, log)
    try:
        _kick()
        _wait(lambda: _fired() == TOTAL, 180, "the restarted worker to catch up", worker, log)
    finally:
        os.kill(worker.pid, signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            os.kill(worker.pid, signal.SIGKILL)

    assert Escalation.objects.filter(fired_at__isnull=True, skipped=False).count() == 0
    assert _told() == TOTAL, "a step was escalated twice (or not at all)"
    per_recipient = Counter(Notification.objects.values_list("deadline_id", "recipient_id"))
    assert set(per_recipient.values()) == {1}, "one inbox item per deadline and recipient"
