"""Fixtures for the trigger-plan tests: children, missing episodes, plans, and the rows they leave."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock


@pytest.fixture
def make_child(db: Any) -> Callable[..., Any]:
    from haven.people.models import Person

    counter = {"n": 0}

    def make(forenames: str = "Kayla", surname: str | None = None, **kwargs: Any) -> Any:
        counter["n"] += 1
        surname = surname or f"Planchild{counter['n']}"
        return Person.objects.create(
            forenames=forenames, surname=surname, normalised_name=f"{forenames} {surname}".lower(), **kwargs
        )

    return make


@pytest.fixture
def make_episode(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """``make_episode(child, ago=timedelta(days=3), state="closed")``: a missing case and episode
    reported ``ago`` before now (made directly, without haven.missing's rules)."""
    from haven.cases import services as case_services
    from haven.cases.choices import CaseKind
    from haven.missing.models import Episode

    owner = {"user": None}

    def make(child: Any, *, ago: timedelta = timedelta(days=1), state: str = "closed", by: Any = None) -> Any:
        if by is None:
            if owner["user"] is None:
                owner["user"] = make_user(roles=("call_handler",), team="IMU")
            by = owner["user"]
        case = case_services.case_open(actor=by, subject=child, kind=CaseKind.MISSING, summary="Missing")
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


ACTIONS = [
    {"kind": "address", "target": "14 Mill Lane, Leeds LS9 8AB", "instructions": "Ask for Dean."},
    {"kind": "phone", "target": "07700 900123"},
]


@pytest.fixture
def plan_for(clock: Any) -> Callable[..., Any]:
    """``plan_for(actor, child, **overrides)``: a plan made through ``plan_create``."""
    from haven.triggerplans import services

    def make(actor: Any, child: Any, **overrides: Any) -> Any:
        fields: dict[str, Any] = {
            "agencies": ["Leeds children's social care", "Police missing coordinator"],
            "thresholds": ["Missing overnight"],
            "review_date": (clock.now() + timedelta(days=30)).date(),
            "actions": ACTIONS,
        }
        fields.update(overrides)
        return services.plan_create(actor=actor, child=child, **fields)

    return make


@pytest.fixture
def live_deadlines() -> Callable[..., list[Any]]:
    """``live_deadlines(case=…, key=…, kind=…)`` → the open (live) deadlines that match."""

    def find(**filters: Any) -> list[Any]:
        from haven.deadlines.models import LIVE_STATES, Deadline

        return list(Deadline.objects.filter(state__in=LIVE_STATES, **filters).order_by("id"))

    return find


@pytest.fixture
def events() -> Callable[..., list[Any]]:
    def find(*, case: Any = None, person: Any = None, **filters: Any) -> list[Any]:
        from haven.audit.models import AccessEvent

        rows = AccessEvent.objects.filter(**filters)
        if case is not None:
            rows = rows.filter(case_ids__contains=[case.public_id])
        if person is not None:
            rows = rows.filter(person_ids__contains=[person.public_id])
        return list(rows.order_by("id"))

    return find
