"""The child's page "Missing episodes" section: every episode the viewer may see and their patterns
(registered in MissingConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.core.permissions import Perm
from haven.missing import selectors


def person_missing_context(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    user: Any = request.user
    if not user.has_perm(Perm.MISSING_EPISODE_VIEW):
        return None
    history = selectors.child_history(user=user, child=person)
    if not history["episodes"]:
        return {"empty": True, "person": person}
    return history
