"""Workforce fixtures: officers with their training recorded through the declared writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from haven.core.operations import run
from haven.workforce import operations, services


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


@pytest.fixture(autouse=True)
def _standard_qualifications(request: pytest.FixtureRequest) -> None:
    """The qualifications migration 0002 seeds, put back if an earlier live-server test in this
    process emptied the table (its flush takes them; the suite's order between processes varies)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    services.standard_qualifications_ensure()
