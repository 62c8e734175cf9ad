"""Police protection fixtures: the constable who uses the power, a designated officer (an inspector
trained for it), another trained inspector, an untrained inspector, a sergeant, the child, and ``start``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.core.operations import run
from haven.protection import operations
from haven.workforce import services as workforce
from haven.workforce.schemas import QualificationRecordIn


def _train(actor: Any, officer: Any) -> None:
    workforce.qualification_record(
        actor=actor,
        officer=officer,
        data=QualificationRecordIn(
            qualification="designated_officer",
            achieved_on=clock.now().date() - timedelta(days=200),
            evidence_reference="Police protection input",
        ),
    )


@pytest.fixture
def force(make_user: Callable[..., Any]) -> dict[str, Any]:
    people = {
        "constable": make_user("ppconstable", roles=("response_officer",), rank="PC", team="RESP-A"),
        "sergeant": make_user("ppsergeant", roles=("supervisor",), rank="PS", team="RESP-A"),
        "designated": make_user("ppinspector", roles=("inspector",), rank="INSP", team="RESP-A"),
        "relief": make_user("pprelief", roles=("inspector",), rank="DI", team="CMD"),
        "untrained": make_user("ppnewinsp", roles=("inspector",), rank="INSP", team="CMD"),
        "superintendent": make_user("ppsupt", roles=("inspector",), rank="SUPT", team="CMD"),
        "stranger": make_user("ppstranger", roles=("investigator",), rank="DC", team="OTHER"),
    }
    for who in ("designated", "relief", "sergeant", "superintendent"):
        _train(people["superintendent"], people[who])
    return people


@pytest.fixture
def child(make_child: Callable[..., Any]) -> Any:
    return make_child("Lily", "Marsh", age=6)


@pytest.fixture
def start(force: dict[str, Any], child: Any) -> Callable[..., Any]:
    """``start(hours_ago=0, by=constable, **changes)``: police protection started (through the write)."""

    def make(*, hours_ago: float = 0, by: Any = None, about: Any = None, **changes: Any) -> Any:
        data = {
            "child": str((about or child).public_id),
            "power": "remove",
            "grounds": "Found alone at 2am in a flat with drug paraphernalia; mother arrested.",
            "started_at": (clock.now() - timedelta(hours=hours_ago)).isoformat(),
            "place": "14 Canal Street, Northtown",
            "designated_officer": force["designated"].username,
            **changes,
        }
        return run(operations.protection_start, actor=by or force["constable"], data=data)

    return make


def record_all(protection: Any, force: dict[str, Any], *, parents: bool = True, at: Any = None) -> None:
    """Record every notification (the checklist complete)."""
    when = (at or clock.now()).isoformat()
    for item, who in (
        ("la_found", "constable"),
        ("la_appropriate", "constable"),
        ("child_informed", "constable"),
        ("wishes", "constable"),
        ("inquiry", "designated"),
    ):
        run(
            operations.notification_record,
            actor=force[who],
            target=protection,
            data={"item": item, "at": when, "to_whom": "Emergency duty team, Northshire"},
        )
    if parents:
        run(
            operations.notification_record,
            actor=force["constable"],
            target=protection,
            data={"item": "parents", "done": False, "at": when, "reason": "Mother in custody, father not known"},
        )
