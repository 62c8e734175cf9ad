"""The "My deadlines" and "My team's deadlines" sections of the home page (registered in
DeadlinesConfig.ready), and the partial that refreshes each in place (htmx polls it, as the header polls
the inbox count, with ``X-Haven-Background`` so that polling is not activity for the idle timeout)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

from haven.cases.selectors import case_read_record
from haven.core.access import Action, scope_for
from haven.core.permissions import Perm
from haven.deadlines import presenters, selectors
from haven.notifications.selectors import inbox_poll_seconds

SHOWN = 10
MINE, TEAM = "my-deadlines", "team-deadlines"
TITLES = {MINE: "My deadlines", TEAM: "My team's deadlines"}


def _seen(user: Any, cases: list[Any]) -> str:
    """A token of which cases the section showed this user: the next poll that shows the same cases is
    not logged again (the page load logged them; a poll every half minute would flood the s62 log)."""
    ids = ",".join(sorted(str(case.public_id) for case in cases))
    return salted_hmac("haven.deadlines.home", f"{user.pk}:{ids}", algorithm="sha256").hexdigest()[:32]


def section(request: HttpRequest, *, which: str, refresh: bool = False) -> dict[str, Any] | None:
    """The section's context, or None when it has nothing (on a refresh: the section saying so)."""
    user: Any = request.user
    if not user.has_perm(Perm.CASES_CASE_VIEW):
        return None
    team = which == TEAM
    if team and scope_for(user, Action.EDIT) is None:
        return None  # read-only roles (analysts, auditors) cannot act on the team's work
    query = selectors.team_deadlines(user=user) if team else selectors.my_deadlines(user=user)
    deadlines = list(query[: SHOWN + 1])
    if not deadlines and not refresh:
        return None
    shown = deadlines[:SHOWN]
    cases = [d.case for d in {d.case_id: d for d in shown}.values() if d.case is not None]
    seen = _seen(user, cases)
    if not (refresh and constant_time_compare(seen, request.GET.get("seen", ""))):
        case_read_record(user=user, cases=cases)
    return {
        "template": "deadlines/home_section.html",
        "id": which,
        "title": TITLES[which],
        "team": team,
        "rows": presenters.rows(shown),
        "more": len(deadlines) > SHOWN,
        "seen": seen,
        "poll_seconds": inbox_poll_seconds(),
    }


def my_deadlines_section(request: HttpRequest) -> dict[str, Any] | None:
    """Live deadlines the user is responsible for: overdue first, then due soonest."""
    return section(request, which=MINE)


def team_deadlines_section(request: HttpRequest) -> dict[str, Any] | None:
    """Live deadlines on the team's cases or owned by the team, whoever is named (the user's own are in
    "My deadlines"): overdue first, then due soonest."""
    return section(request, which=TEAM)
