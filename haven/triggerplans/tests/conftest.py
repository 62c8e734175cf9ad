"""Fixtures for the trigger-plan tests: past missing episodes and the deadlines plans leave.

Children, plans (``make_plan``) and the s62 rows (``events``) come from the root conftest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from haven import factories
from haven.cases.choices import CaseKind
from haven.core import clock


@pytest.fixture
def past_episode(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """``past_episode(child, ago=timedelta(days=3), state="closed")``: a missing case and episode
    reported ``ago`` before now.

    The episode row is written directly, not through ``episode_report``: M-14's tests count a child's
    past episodes and then run the repeat-missing check themselves, and a report runs that check as
    it is made (and reaches a closed or cancelled state only through the rest of the workflow).
    """
    from haven.missing.models import Episode

    owner = {"user": None}

    def make(child: Any, *, ago: timedelta = timedelta(days=1), state: str = "closed", by: Any = None) -> Any:
        if by is None:
            if owner["user"] is None:
                owner["user"] = make_user(roles=("call_handler",), team="IMU")
            by = owner["user"]
        case = factories.case(owner=by, subject=child, kind=CaseKind.MISSING, summary="Missing")
        at = clock.now() - ago
        return Episode.objects.create(
            case=case,
            child=child,
            state=state,
            reported_by=by,
            reported_at=at,
            informant_name="Carer",
            last_seen_at=at - timedelta(hours=2),
            last_seen_where="Home",
            missing_from="home",
            circumstances="Left after an argument.",
        )

    return make


@pytest.fixture
def live_deadlines() -> Callable[..., list[Any]]:
    """``live_deadlines(case=…, key=…, kind=…)`` → the open (live) deadlines that match."""

    def find(**filters: Any) -> list[Any]:
        from haven.deadlines.models import LIVE_STATES, Deadline

        return list(Deadline.objects.filter(state__in=LIVE_STATES, **filters).order_by("id"))

    return find
