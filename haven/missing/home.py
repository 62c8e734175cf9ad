"""The "Children missing now" section of the home page, for every operational officer: finding a missing
child is everyone's job (registered in MissingConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.core.permissions import Perm
from haven.missing import selectors


def missing_now_section(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    if not user.has_perm(Perm.MISSING_SIGHTING_RECORD):
        return None
    episodes = selectors.missing_now(user=user)
    if not episodes:
        return None
    return {"template": "missing/home_missing_now.html", "episodes": episodes}
