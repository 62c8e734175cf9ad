"""On a custody officer's home page: the children in custody now, with the next review due and, after
charge, whether accommodation was requested, so no review and no transfer waits unseen."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.core.permissions import Perm
from haven.custody import selectors


def in_custody_section(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    if not user.has_perm(Perm.CUSTODY_DETENTION_RECORD):
        return None
    rows, total = selectors.in_custody(user=user, limit=10)
    return {"template": "custody/home_in_custody.html", "rows": rows, "total": total}
