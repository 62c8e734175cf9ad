"""Deadlines on other apps' pages: ``{% load deadlines %}{% case_deadlines case %}`` on the case page,
and ``{% sweep_warning %}`` in the page header."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("deadlines/_case_deadlines.html", takes_context=True)
def case_deadlines(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The case's deadlines, live ones first (the case page has already logged the consultation)."""
    from haven.core.errors import NotFound
    from haven.deadlines import presenters, selectors

    user = context.get("user")
    try:
        deadlines = selectors.deadlines_for_case(user=user, case=case) if user is not None else []
    except NotFound:
        deadlines = []
    return {"rows": presenters.rows(deadlines), "case": case}


@register.inclusion_tag("deadlines/_sweep_warning.html", takes_context=True)
def sweep_warning(context: dict[str, Any]) -> dict[str, Any]:
    """A warning on every page when the deadline sweep has not run for 2 minutes."""
    from haven.deadlines.selectors import sweep_status

    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    status = sweep_status()
    return {"show": not status.alive, "last_seen": status.beat_at}
