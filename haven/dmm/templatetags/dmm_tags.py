"""Template filters for the DMM board: spans of time in words and as sortable minutes."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def span(value: timedelta | None) -> str:
    """``2 d 4 h``, ``3 h 10 min``, ``25 min``."""
    if value is None:
        return ""
    minutes = max(0, int(value.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes, for ``data-sort-value``."""
    return 0 if value is None else int(value.total_seconds() // 60)


@register.filter
def epoch(value: object) -> int:
    """Seconds since 1970 of a datetime or date (0 for none), for ``data-sort-value``."""
    from datetime import date, datetime, time

    from django.utils import timezone

    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, date):
        return int(datetime.combine(value, time(0), tzinfo=timezone.get_current_timezone()).timestamp())
    return 0
