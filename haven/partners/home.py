"""A partner user's home page is their agency's portal: what waits for their agency, first."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.core.permissions import Perm
from haven.partners import selectors


def waiting_section(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    if not user.has_perm(Perm.PARTNER_SHARED_VIEW):
        return None
    agency = selectors.agency_of(user)
    if agency is None:
        return None
    waiting = selectors.items_for_partner(user=user, waiting=True, limit=20)
    return {"template": "partners/home_waiting.html", "agency": agency, "items": waiting}
