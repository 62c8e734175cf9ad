"""Template filters for the DMM board: spans of time in words and as sortable minutes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from haven.dmm.sections import _html

register = template.Library()


@register.filter
def span(value: timedelta | None) -> str:
    """``2 d 4 h``, ``3 h 10 min``, ``25 min``."""
    return _html.span(value)


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes, for ``data-sort-value``."""
    return _html.minutes(value)


@register.filter
def epoch(value: object) -> int:
    """Seconds since 1970 of a datetime or date (0 for none), for ``data-sort-value``."""
    return _html.epoch(value)


@register.simple_tag(takes_context=True)
def dmm_rows(context: Any, view: Any) -> SafeString:
    """The rows of ``view``'s table, written by its section's ``rows_html`` (every value escaped there)."""
    cells = _html.Cells(section=view.key, can_decide=bool(context.get("can_decide")), meeting=context.get("meeting"))
    write = view.section.rows_html
    return mark_safe("".join(write(row, cells) for row in view.rows))  # noqa: S308 - built from escaped values
