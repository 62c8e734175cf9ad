"""The "My deadlines" and "My team's deadlines" sections of the home page (registered in DeadlinesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.cases.selectors import case_read_record
from haven.core.permissions import Perm
from haven.deadlines import presenters, selectors

SHOWN = 10


def _section(request: HttpRequest, *, team: bool) -> dict[str, Any] | None:
    user: Any = request.user
    if not user.has_perm(Perm.CASES_CASE_VIEW):
        return None
    query = selectors.team_deadlines(user=user) if team else selectors.my_deadlines(user=user)
    deadlines = list(query[: SHOWN + 1])
    if not deadlines:
        return None
    shown = deadlines[:SHOWN]
    case_read_record(user=user, cases=list({d.case_id: d.case for d in shown}.values()))
    return {
        "template": "deadlines/home_section.html",
        "id": "team-deadlines" if team else "my-deadlines",
        "title": "My team's deadlines" if team else "My deadlines",
        "team": team,
        "rows": presenters.rows(shown),
        "more": len(deadlines) > SHOWN,
    }


def my_deadlines_section(request: HttpRequest) -> dict[str, Any] | None:
    """Live deadlines the user is responsible for: overdue first, then due soonest."""
    return _section(request, team=False)


def team_deadlines_section(request: HttpRequest) -> dict[str, Any] | None:
    """Live deadlines of the user's team that others hold: overdue first, then due soonest."""
    return _section(request, team=True)
