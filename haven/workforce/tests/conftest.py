"""Workforce fixtures: officers with their training recorded through the declared writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from haven.core.operations import run
from haven.workforce import operations


@pytest.fixture
def sergeant(make_user: Callable[..., Any]) -> Any:
    return make_user("sgt", roles=("supervisor",), rank="DS")


@pytest.fixture
def qualify(sergeant: Any) -> Callable[..., Any]:
    """``qualify(officer, "pip2", on=date(...))``: record a qualification as the sergeant verified it."""

    def give(officer: Any, code: str, *, on: date, evidence: str = "L&D certificate") -> Any:
        return run(
            operations.qualification_record,
            actor=sergeant,
            target=officer,
            data={"qualification": code, "achieved_on": on.isoformat(), "evidence_reference": evidence},
        )

    return give
