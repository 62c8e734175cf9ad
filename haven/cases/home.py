"""The "My cases" section of the home page (registered in CasesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.cases import selectors
from haven.core.access import Action, scope_for
from haven.core.permissions import Perm

SHOWN = 20


def queue_section(request: HttpRequest) -> dict[str, Any] | None:
    """Work waiting in the user's team's queue, oldest first, with how long each has waited: shown to
    everyone in the team, with the allocate link for those who may allocate."""
    user: Any = request.user
    # Shown to those who may be given the work or allocate it: not to read-only roles (analysts, auditors).
    if not user.has_perm(Perm.CASES_CASE_VIEW) or user.team_id is None or scope_for(user, Action.EDIT) is None:
        return None
    cases = list(selectors.case_queue(user=user)[: SHOWN + 1])
    if not cases:
        return None
    selectors.case_read_record(user=user, cases=cases[:SHOWN])
    return {
        "template": "cases/home_queue.html",
        "cases": cases[:SHOWN],
        "more": len(cases) > SHOWN,
        "team": user.team,
        "can_allocate": {c.pk for c in cases if selectors.may_allocate(user=user, case=c)},
    }


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
