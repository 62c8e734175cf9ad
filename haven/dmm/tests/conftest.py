"""Fixtures for the DMM tests: missing episodes, trigger plans, flags and deadlines to put on the board.

Children come from the root conftest's ``make_child``; plans are written through ``plan_create``.
Episodes are written straight to haven.missing's models (read-only to this app otherwise): the board
shows episodes in every state and at every age, which the missing workflow reaches only through a
dozen steps, each leaving deadlines of its own that would crowd the sections under test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven import factories
from haven.cases.choices import CaseKind
from haven.core import clock


@pytest.fixture
def board_episode(make_child: Callable[..., Any]) -> Callable[..., Any]:
    """``board_episode(owner, grade="high", state="open", child=None, **fields)``: a missing case
    opened by ``owner`` and its episode, with any of the episode's fields set."""
    from haven.missing.models import Episode

    def make(owner: Any, *, child: Any = None, grade: str = "high", state: str = "open", **fields: Any) -> Any:
        child = child or make_child()
        case = factories.case(owner=owner, subject=child, kind=CaseKind.MISSING, summary="Missing")
        now = clock.now()
        values: dict[str, Any] = {
            "case": case,
            "child": child,
            "state": state,
            "reported_by": owner,
            "reported_at": now - timedelta(hours=3),
            "informant_name": "Parent",
            "last_seen_at": now - timedelta(hours=4),
            "last_seen_where": "Home",
            "missing_from": "home",
            "circumstances": "Did not come home.",
            "grade": grade,
            "next_review_due": now + timedelta(hours=1) if grade else None,
            "host_authority": "Leeds",
        }
        values.update(fields)
        return Episode.objects.create(**values)

    return make


@pytest.fixture
def dated_plan(make_plan: Callable[..., Any]) -> Callable[..., Any]:
    """``dated_plan(owner, child, review_date)``: a trigger plan due for review on ``review_date``.

    ``plan_create`` takes only a review date still to come, so a plan due today or earlier is written
    with the clock standing the day before that date (as it was, when its author wrote it).
    """

    def make(owner: Any, child: Any, review_date: date) -> Any:
        behind = (timezone.localdate(clock.now()) - review_date).days + 1
        with clock.moved(-timedelta(days=max(behind, 0))):
            return make_plan(owner, child, review_date=review_date)

    return make


@pytest.fixture
def make_deadline() -> Callable[..., Any]:
    """``make_deadline(actor, case, due_at, key=...)``: a deadline of kind dmm.action on the case."""
    from haven.deadlines import services as deadlines

    counter = {"n": 0}

    def make(actor: Any, case: Any, due_at: Any, **kwargs: Any) -> Any:
        counter["n"] += 1
        return deadlines.deadline_create(
            actor=actor,
            case=case,
            kind="dmm.action",
            what=kwargs.pop("what", "Do the thing"),
            due_at=due_at,
            key=kwargs.pop("key", f"test:{counter['n']}"),
            **kwargs,
        )

    return make


@pytest.fixture
def inspector(make_user: Callable[..., Any]) -> Any:
    return make_user("insp", roles=("inspector",), rank="INSP", team="RESP-A")


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user("pc", roles=("response_officer",), rank="PC", team="RESP-A")
