"""Guidance where the work is: ``{% load guidance %}{% guidance_panel "reporting_missing" %}`` shows a
small "Guidance" panel with the library's current items for that place (``haven.guidance.choices.Place``)
on any screen, for a user who may read the library."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("guidance/_panel.html", takes_context=True)
def guidance_panel(context: dict[str, Any], place: str) -> dict[str, Any]:
    from haven.guidance.selectors import for_place, read_current

    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"items": []}
    items = for_place(user=user, place=place)
    rows = [
        {
            "item": item,
            "required_of_me": bool(set(item.required_roles) & set(user.roles)),
            "read": read_current(user=user, item=item) is not None,
        }
        for item in items
    ]
    return {"rows": rows, "items": items}
