"""The "My cases" section of the home page (registered in CasesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.cases import selectors
from haven.core.permissions import Perm

SHOWN = 20


def my_cases_section(request: HttpRequest) -> dict[str, Any] | None:
    """Open cases the user owns or is asked to accept, and handovers awaiting acknowledgement (M-10)."""
    user: Any = request.user
    if not user.has_perm(Perm.CASES_CASE_VIEW):
        return None
    cases = list(selectors.my_cases(user=user)[: SHOWN + 1])
    handovers = list(selectors.handovers_awaiting(user=user)[:SHOWN])
    if not cases and not handovers:
        return None
    selectors.case_read_record(user=user, cases=cases[:SHOWN] + [h.case for h in handovers if h.case not in cases])
    return {
        "template": "cases/home_my_cases.html",
        "cases": cases[:SHOWN],
        "more": len(cases) > SHOWN,
        "handovers": handovers,
    }
