"""Fixtures for the deadlines tests: test kinds and users up the ranks (cases to hang deadlines on come
from the root conftest's ``make_case``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step, register_kind

TEST_KIND = register_kind(
    DeadlineKind(
        code="tests.protection",
        rule_id="PP-02",
        label="Test police protection expiry",
        ladder=(
            Step(timedelta(hours=-24), Notify.RESPONSIBLE, Severity.WARNING),
            Step(timedelta(hours=-12), Notify.DUTY_INSPECTOR, Severity.URGENT),
            Step(timedelta(hours=-2), Notify.SUPERINTENDENT, Severity.URGENT),
            Step(timedelta(0), Notify.SUPERINTENDENT, Severity.CRITICAL),
        ),
    )
)

PAUSABLE_KIND = register_kind(
    DeadlineKind(
        code="tests.pausable",
        rule_id="M-12",
        label="Test pausable",
        ladder=(Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT),),
        pausable=True,
    )
)

ONE_HOUR_KIND = register_kind(
    DeadlineKind(
        code="tests.one_hour",
        rule_id="M-04",
        label="Test review",
        ladder=(Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT),),
    )
)


@pytest.fixture
def ranks(make_user: Callable[..., Any]) -> dict[str, Any]:
    """An officer, their sergeant, a duty inspector and a superintendent (plus a stranger in another team)."""
    return {
        "officer": make_user("officer", roles=("investigator",), rank="DC", team="CATE"),
        "sergeant": make_user("sergeant", roles=("supervisor",), rank="DS", team="CATE"),
        "inspector": make_user("inspector", roles=("inspector",), rank="DI", team="CMD"),
        "superintendent": make_user("superintendent", roles=("inspector",), rank="SUPT", team="CMD"),
        "stranger": make_user("stranger", roles=("investigator",), rank="DC", team="OTHER"),
    }
