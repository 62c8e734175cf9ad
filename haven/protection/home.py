"""On the home page of a designated officer or initiating officer: "Children in police protection", each
with the hours left until the 72 hours run out and the notifications still to record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.protection import selectors


def protection_section(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    found = selectors.mine(user=user)
    if not found:
        return None
    rows = [{"protection": p, "missing": selectors.missing(p), "hours_left": p.hours_left()} for p in found]
    return {"template": "protection/home.html", "rows": rows}
