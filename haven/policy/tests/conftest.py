from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from haven.policy import registry
from haven.policy.registry import Setting, ValueKind


def _ladder(value: Any) -> Any:
    if not isinstance(value, list) or not value or not all(isinstance(v, int) for v in value):
        raise ValidationError("Give a list of whole numbers of minutes.")
    return sorted(value)


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
            key="tests.ladder", label="Ladder", default=[-60, 0], kind=ValueKind.JSON, validate=_ladder, section="Tests"
        ),
    }
    for setting in made.values():
        monkeypatch.setitem(registry._SETTINGS, setting.key, setting)
    return made
