"""Fixtures for the DMM tests: children, missing episodes, trigger plans, flags and deadlines to put on the board.

Episodes are written straight to haven.missing's models (read-only to this app otherwise) so these tests
do not depend on the missing services' workflow.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from haven.core import clock


@pytest.fixture
def make_child(db: Any) -> Callable[..., Any]:
    from haven.people.models import Person

    counter = {"n": 0}

    def make(forenames: str = "Child", surname: str | None = None, **kwargs: Any) -> Any:
        counter["n"] += 1
        surname = surname or f"Dmmchild{counter['n']}"
        return Person.objects.create(
            forenames=forenames, surname=surname, normalised_name=f"{forenames} {surname}".lower(), **kwargs
        )

    return make


@pytest.fixture
def make_episode(make_child: Callable[..., Any]) -> Callable[..., Any]:
    """``make_episode(owner, grade="high", found_at=None, ...)``: a missing case and its episode."""
    from haven.cases import services as cases
    from haven.cases.choices import CaseKind
    from haven.missing.models import Episode

    def make(owner: Any, *, child: Any = None, grade: str = "high", state: str = "open", **fields: Any) -> Any:
        child = child or make_child()
        case = cases.case_open(actor=owner, subject=child, kind=CaseKind.MISSING, summary="Missing")
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
def make_plan(make_child: Callable[..., Any]) -> Callable[..., Any]:
    """``make_plan(owner, child, review_date)``: a trigger-plan case with one current version."""
    from haven.cases import services as cases
    from haven.cases.choices import CaseKind
    from haven.triggerplans.models import PlanVersion, TriggerPlan

    def make(owner: Any, child: Any, review_date: date) -> Any:
        case = cases.case_open(actor=owner, subject=child, kind=CaseKind.TRIGGER_PLAN, summary="Trigger plan")
        plan = TriggerPlan.objects.create(case=case)
        PlanVersion.objects.create(plan=plan, number=1, author=owner, review_date=review_date)
        return plan

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
