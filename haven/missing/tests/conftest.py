"""Fixtures for the missing tests: a team of call handler, supervisor and officer, and episodes they
report and grade (children come from the root conftest's ``make_child``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haven import factories
from haven.core.operations import Operation, run


@pytest.fixture
def call_handler(make_user: Callable[..., Any]) -> Any:
    return make_user("handler", roles=("call_handler",), team="MISS")


@pytest.fixture
def supervisor(make_user: Callable[..., Any]) -> Any:
    return make_user("sarge", roles=("supervisor",), team="MISS")


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user("pc", roles=("response_officer",), team="MISS")


@pytest.fixture
def report(call_handler: Any, make_episode: Callable[..., Any]) -> Callable[..., Any]:
    """``report(child=None, actor=None, **report)``: a child (else a new one aged 14) reported missing
    by the call handler (or ``actor``)."""

    def make(child: Any = None, actor: Any = None, **overrides: Any) -> Any:
        return make_episode(actor or call_handler, child, **overrides)

    return make


@pytest.fixture
def graded(report: Callable[..., Any], supervisor: Any) -> Callable[..., Any]:
    """An episode graded medium by the supervisor (Child Rescue Alert considered)."""

    def make(grade: str = "medium", **overrides: Any) -> Any:
        episode = report(**overrides)
        factories.assessment(assessor=supervisor, episode=episode, grade=grade)
        episode.refresh_from_db()
        return episode

    return make


@pytest.fixture
def write() -> Callable[..., Any]:
    """``write(operation, actor, target=None, **data)``: a missing write made as a page or the API
    makes it: the permission, then the input model, then the service (refusals raise as they do)."""

    def make(operation: Operation, actor: Any, target: Any = None, **data: Any) -> Any:
        return run(operation, actor=actor, target=target, data=data)

    return make
