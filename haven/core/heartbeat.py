"""Heartbeats: proof that a background loop is alive, read by /healthz and the page header."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from haven.core import clock
from haven.core.models import Heartbeat

WORKER = "worker"


def heartbeat_record(*, name: str, detail: dict[str, object] | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": clock.now(), "detail": detail or {}})


@dataclass(frozen=True)
class HeartbeatStatus:
    name: str
    beat_at: datetime | None
    stale_after: timedelta

    @property
    def age(self) -> timedelta | None:
        return None if self.beat_at is None else clock.now() - self.beat_at

    @property
    def alive(self) -> bool:
        return self.age is not None and self.age <= self.stale_after


def heartbeat_status(name: str = WORKER) -> HeartbeatStatus:
    beat_at = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    return HeartbeatStatus(name=name, beat_at=beat_at, stale_after=settings.HAVEN_WORKER_STALE_AFTER)
