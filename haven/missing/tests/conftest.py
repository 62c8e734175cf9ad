"""Fixtures for the missing tests: a team of call handler, supervisor and officer, a child, an episode."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.missing import services
from haven.missing.services import Source


@pytest.fixture
def make_child(db: Any) -> Callable[..., Any]:
    from haven.people.models import Person

    counter = {"n": 0}

    def make(forenames: str = "Kayla", surname: str | None = None, age: int | None = 14, **kwargs: Any) -> Any:
        counter["n"] += 1
        surname = surname or f"Missingchild{counter['n']}"
        dob = None
        if age is not None:
            today = clock.now().date()
            dob = date(today.year - age, 1, 1) if today.month > 1 or today.day > 1 else date(today.year - age - 1, 1, 1)
        return Person.objects.create(
            forenames=forenames,
            surname=surname,
            normalised_name=f"{forenames} {surname}".lower(),
            date_of_birth=dob,
            **kwargs,
        )

    return make


@pytest.fixture
def call_handler(make_user: Callable[..., Any]) -> Any:
    return make_user("handler", roles=("call_handler",), team="MISS")


@pytest.fixture
def supervisor(make_user: Callable[..., Any]) -> Any:
    return make_user("sarge", roles=("supervisor",), team="MISS")


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user("pc", roles=("response_officer",), team="MISS")


def report_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "informant_name": "Jo Carer",
        "informant_relationship": "Residential carer",
        "informant_contact": "07700 900123",
        "last_seen_at": clock.now() - timedelta(hours=2),
        "last_seen_where": "Oak House children's home, Leeds",
        "missing_from": "care_home",
        "circumstances": "Left after an argument, did not return by curfew.",
        "out_of_character": False,
    }
    data.update(overrides)
    return data


def source(**overrides: Any) -> Source:
    values: dict[str, Any] = {
        "information": "Took her phone; has been seen with older males.",
        "provider_name": "Jo Carer",
        "provider_contact": "07700 900123",
        "obtained_at": clock.now() - timedelta(minutes=5),
    }
    values.update(overrides)
    return Source(**values)


@pytest.fixture
def report(call_handler: Any, make_child: Callable[..., Any]) -> Callable[..., Any]:
    def make(child: Any = None, actor: Any = None, **overrides: Any) -> Any:
        return services.episode_report(
            actor=actor or call_handler, child=child or make_child(), **report_data(**overrides)
        )

    return make


@pytest.fixture
def graded(report: Callable[..., Any], supervisor: Any) -> Callable[..., Any]:
    """An episode graded medium by the supervisor (Child Rescue Alert considered)."""

    def make(grade: str = "medium", **overrides: Any) -> Any:
        episode = report(**overrides)
        services.risk_assess(
            actor=supervisor,
            episode=episode,
            grade=grade,
            rationale="Looked-after child, exploitation concerns.",
            sources=[source()],
            cra_decision="not_appropriate",
            cra_reason="No evidence of abduction.",
        )
        episode.refresh_from_db()
        return episode

    return make
