"""/healthz and the page header tell the truth about the database and the background worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.test import Client

from haven.core.heartbeat import WORKER, heartbeat_record, heartbeat_status
from haven.core.models import Heartbeat

BANNER = "haven-worker-warning"


def test_healthz_reports_database_ok_and_worker_degraded_without_a_heartbeat(client: Client, db: Any) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200  # a stale worker degrades Haven; the load balancer keeps it
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == {"ok": True}
    assert body["worker"] == {"ok": False, "last_heartbeat": None, "age_seconds": None}


def test_healthz_is_ok_after_a_heartbeat_and_stale_again_three_minutes_later(
    client: Client, db: Any, clock: Any
) -> None:
    clock.freeze(clock.now())  # the ages below exact, however slow the machine
    heartbeat_record(name=WORKER)
    heartbeat_record(name="deadline_sweep")  # the deadlines' sweep reports in too (see haven/deadlines)

    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"]["ok"] is True
    assert datetime.fromisoformat(body["worker"]["last_heartbeat"]) <= clock.now()

    clock.travel(timedelta(minutes=1))
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"]["age_seconds"] == 60

    clock.travel(timedelta(minutes=2))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["worker"]["ok"] is False
    assert body["worker"]["age_seconds"] == 180


def test_healthz_needs_no_sign_in_and_only_answers_get(client: Client, db: Any) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_page_header_warns_while_the_worker_is_stale(signed_in: Callable[..., tuple[Client, Any]], clock: Any) -> None:
    client, _ = signed_in()

    body = client.get("/").content.decode()
    assert BANNER in body
    assert "The background worker has not reported in since Haven started" in body

    heartbeat_record(name=WORKER)
    assert BANNER not in client.get("/").content.decode()

    clock.travel(timedelta(minutes=3))  # well within the 30 idle minutes: still signed in
    body = client.get("/").content.decode()
    assert BANNER in body
    assert "has not reported in since" in body


def test_signed_out_pages_do_not_show_the_worker_warning(client: Client, db: Any) -> None:
    assert BANNER not in client.get("/sign-in/").content.decode()


def test_worker_heartbeat_task_is_periodic_every_twenty_seconds(db: Any) -> None:
    from procrastinate.contrib.django import app

    from haven.core.tasks import worker_heartbeat

    periodic = app.periodic_registry.periodic_tasks[(worker_heartbeat.name, "worker-heartbeat")]
    assert periodic.task is worker_heartbeat
    assert app.tasks[worker_heartbeat.name] is worker_heartbeat
    start = datetime(2026, 1, 1, 12, 0, 5, tzinfo=UTC)
    ticks = periodic.croniter.get_next(datetime, start), periodic.croniter.get_next(datetime)
    assert ticks == (datetime(2026, 1, 1, 12, 0, 20, tzinfo=UTC), datetime(2026, 1, 1, 12, 0, 40, tzinfo=UTC))
    # Stale after two minutes: six heartbeats can be missed before anyone is warned.
    assert heartbeat_status().stale_after == timedelta(minutes=2)


def test_worker_heartbeat_task_records_the_heartbeat(db: Any, clock: Any) -> None:
    from haven.core.tasks import worker_heartbeat

    clock.freeze(datetime(2026, 3, 29, 0, 59, 40, tzinfo=UTC))
    assert not heartbeat_status().alive

    worker_heartbeat(timestamp=1_774_745_980)

    beat = Heartbeat.objects.get(name=WORKER)
    assert beat.beat_at == clock.now()
    assert beat.detail == {"scheduled_for": 1_774_745_980}
    assert heartbeat_status().alive


def test_a_partner_agency_user_is_not_shown_the_forces_worker_warnings(
    signed_in: Callable[..., tuple[Client, Any]],
) -> None:
    client, _ = signed_in(roles=("partner",), team=None)

    body = client.get("/").content.decode()

    assert BANNER not in body
    assert "not being escalated" not in body
