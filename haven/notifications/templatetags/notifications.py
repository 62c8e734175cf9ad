"""The header's inbox link with its live count: ``{% load notifications %}{% inbox_link %}``."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("notifications/_inbox_link.html", takes_context=True)
def inbox_link(context: dict[str, Any]) -> dict[str, Any]:
    from haven.notifications.selectors import unread_count
    from haven.notifications.views import poll_seconds

    user = context.get("user")
    count = unread_count(user=user) if user is not None and user.is_authenticated else 0
    return {"inbox_count": count, "inbox_poll_seconds": poll_seconds()}
