"""Custody fixtures: a qualified custody officer, an inspector and a superintendent, a 15-year-old, and a
way to book a child in (and charge them) through the writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.core.operations import run
from haven.custody import operations
from haven.workforce import services as workforce
from haven.workforce.schemas import QualificationRecordIn


@pytest.fixture
def staff(make_user: Callable[..., Any]) -> dict[str, Any]:
    """``officer``: a custody sergeant holding the custody officer qualification; ``untrained``: one without;
    ``inspector`` (reviews, monitors); ``superintendent`` (extends, authorises urgent interviews)."""
    people = {
        "officer": make_user("custodyps", roles=("custody_officer",), rank="PS", team="CUSTODY"),
        "untrained": make_user("custodynew", roles=("custody_officer",), rank="PS", team="CUSTODY"),
        "inspector": make_user("custodyinsp", roles=("inspector",), rank="INSP", team="CUSTODY"),
        "superintendent": make_user("custodysupt", roles=("inspector",), rank="SUPT", team="CUSTODY"),
        "pc": make_user("custodypc", roles=("custody_officer",), rank="PC", team="CUSTODY"),
    }
    workforce.qualification_record(
        actor=people["inspector"],
        officer=people["officer"],
        data=QualificationRecordIn(
            qualification="custody_officer",
            achieved_on=clock.now().date() - timedelta(days=400),
            evidence_reference="Custody officer course",
        ),
    )
    return people


@pytest.fixture
def child(make_child: Callable[..., Any]) -> Any:
    return make_child("Kai", "Morgan", age=15)


def booking(child: Any, **changes: Any) -> dict[str, Any]:
    """A booking-in as the custody system sends it: arrested 30 minutes ago, detention authorised now."""
    now = clock.now()
    return {
        "child": str(child.public_id),
        "custody_reference": "NS-0412-26",
        "arrested_at": (now - timedelta(minutes=30)).isoformat(),
        "relevant_time": (now - timedelta(minutes=10)).isoformat(),
        "authorised_at": now.isoformat(),
        "offences": "Robbery",
        "aa_requested_at": now.isoformat(),
        **changes,
    }


@pytest.fixture
def book(staff: dict[str, Any], child: Any) -> Callable[..., Any]:
    """``book(**changes)``: the child booked in by the custody officer."""

    def make(*, by: Any = None, about: Any = None, **changes: Any) -> Any:
        return run(operations.detention_record, actor=by or staff["officer"], data=booking(about or child, **changes))

    return make


@pytest.fixture
def charged(book: Callable[..., Any], staff: dict[str, Any]) -> Callable[..., Any]:
    """``charged()``: the child booked in, then charged and refused bail now, court at 10:00 tomorrow-ish."""

    def make(**changes: Any) -> Any:
        detention = book(**changes)
        now = clock.now()
        run(
            operations.charge_record,
            actor=staff["officer"],
            target=detention,
            data={
                "charged_at": now.isoformat(),
                "charges": "Robbery",
                "bail_decision": "refused",
                "bail_refused_grounds": "Likely to fail to appear",
                "court_at": (now + timedelta(hours=16)).isoformat(),
            },
        )
        detention.refresh_from_db()
        return detention

    return make
