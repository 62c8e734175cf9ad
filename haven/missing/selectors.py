"""Every read of missing-child episodes. Reads that show personal data take the user and log (s62)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from haven.missing.models import Episode


def episodes_of_child(*, child: object, since: datetime | None = None) -> QuerySet[Episode]:
    """Every episode of ``child`` (reported at or after ``since``), newest first.

    Internal: no user and no s62 log, for counting (repeat-missing detection, M-14). Never render
    what it returns without going through a user-scoped selector.
    """
    episodes = Episode.objects.filter(child=child)
    if since is not None:
        episodes = episodes.filter(reported_at__gte=since)
    return episodes.order_by("-reported_at", "-id")
