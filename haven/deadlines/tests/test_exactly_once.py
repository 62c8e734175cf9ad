"""Exactly once: two sweeps at the same time, each on its own database connection, escalate each
ladder step once between them (SELECT … FOR UPDATE SKIP LOCKED on a unique row per deadline and step)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from haven.core import clock
from haven.deadlines import services
from haven.deadlines import sweep as sweep_module
from haven.deadlines.models import Escalation
from haven.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINES = 30
STEPS = 4


@pytest.fixture
def due(ranks, make_case):
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
    clock.travel(timedelta(hours=73))  # every step of every deadline is due


def _run(target, name, results, errors):
    def body():
        try:
            results[name] = target()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()  # each thread had its own connection

    thread = threading.Thread(target=body, name=name)
    thread.start()
    return thread


def _assert_each_step_once():
    assert Escalation.objects.filter(fired_at__isnull=True, skipped=False).count() == 0
    assert Escalation.objects.filter(fired_at__isnull=False).count() == DEADLINES * STEPS
    # One inbox item per deadline and recipient (officer, inspector, superintendent), each counting the
    # steps that told its recipient: every step told once, none twice.
    assert Notification.objects.count() == DEADLINES * 3
    told: Counter[int] = Counter()
    for deadline_id, count in Notification.objects.values_list("deadline_id", "told_count"):
        told[deadline_id] += count
    assert set(told.values()) == {STEPS}, "some step was escalated twice (or not at all)"


def test_two_sweeps_at_once_skip_each_others_rows_and_escalate_each_step_once(due, monkeypatch):
    """Sweep A takes a batch and holds it; sweep B runs meanwhile; then A finishes."""
    a_holds, b_done = threading.Event(), threading.Event()
    real_fire = sweep_module._fire_batch

    def fire(escalations, **kw):
        if threading.current_thread().name == "A" and not a_holds.is_set():
            a_holds.set()
            assert b_done.wait(60), "sweep B never finished"
        return real_fire(escalations, **kw)

    monkeypatch.setattr(sweep_module, "_fire_batch", fire)
    results: dict[str, Any] = {}
    errors: list[Exception] = []
    a = _run(lambda: sweep_module.sweep(batch=5), "A", results, errors)
    assert a_holds.wait(60)
    b = _run(lambda: sweep_module.sweep(batch=5), "B", results, errors)
    b.join(60)
    b_done.set()
    a.join(60)
    assert errors == []
    assert results["A"].fired > 0
    assert results["B"].fired > 0
    assert results["A"].fired + results["B"].fired == DEADLINES * STEPS
    _assert_each_step_once()


def test_two_sweeps_racing_freely_escalate_each_step_once(due):
    results: dict[str, Any] = {}
    errors: list[Exception] = []
    start = threading.Barrier(2)

    def go():
        start.wait(30)
        return sweep_module.sweep(batch=3)

    threads = [_run(go, name, results, errors) for name in ("A", "B")]
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert results["A"].fired + results["B"].fired == DEADLINES * STEPS
    _assert_each_step_once()
