from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from haven.policy import registry
from haven.policy.registry import Choices, Column, ColumnKind, Rows, Setting, ValueKind


def _ladder(value: Any) -> Any:
    if not isinstance(value, list) or not value:
        raise ValidationError("Give at least one step.")
    for step in value:
        if not isinstance(step, dict) or set(step) != {"at", "who"} or not isinstance(step["at"], int):
            raise ValidationError("Each step has a time and who is told.")
    if len({step["at"] for step in value}) != len(value):
        raise ValidationError("Two steps have the same time: give each step its own time.")
    return sorted(value, key=lambda step: step["at"])


def _roles(value: Any) -> Any:
    if "alpha" not in value:
        raise ValidationError("Alpha must always be one of them.")
    return value


@pytest.fixture
def settings_registered(monkeypatch: pytest.MonkeyPatch) -> dict[str, Setting[Any]]:
    """A few settings of each kind, registered only for the test."""
    made = {
        "review": Setting(
            key="tests.review_after",
            label="Review after",
            default=timedelta(hours=6),
            kind=ValueKind.DURATION,
            minimum=5,
            maximum=7 * 24 * 60,
            rule_id="M-04",
            section="Tests",
        ),
        "threshold": Setting(
            key="tests.threshold", label="Threshold", default=3, kind=ValueKind.INTEGER, minimum=1, section="Tests"
        ),
        "floor": Setting(
            key="tests.floor",
            label="Floor",
            default="medium",
            kind=ValueKind.CHOICE,
            choices=(("low", "Low"), ("medium", "Medium")),
            section="Tests",
        ),
        "ladder": Setting(
            key="tests.ladder",
            label="Ladder",
            default=[{"at": -60, "who": "supervisor"}, {"at": 0, "who": "inspector"}],
            kind=ValueKind.JSON,
            validate=_ladder,
            describe=lambda steps: "; ".join(f"{s['at']} min: {s['who']}" for s in steps),
            editor=Rows(
                columns=(
                    Column("at", "When", ColumnKind.OFFSET, hint="Before or after it is due"),
                    Column(
                        "who",
                        "Who is told",
                        ColumnKind.CHOICE,
                        choices=(("supervisor", "Their supervisor"), ("inspector", "The duty inspector")),
                    ),
                ),
                noun="step",
                max_rows=3,
            ),
            section="Tests",
        ),
        "roles": Setting(
            key="tests.roles",
            label="Roles",
            default=["alpha"],
            kind=ValueKind.JSON,
            validate=_roles,
            editor=Choices((("alpha", "Alpha"), ("beta", "Beta"), ("gamma", "Gamma"))),
            section="Tests",
        ),
    }
    for setting in made.values():
        monkeypatch.setitem(registry._SETTINGS, setting.key, setting)
    return made
