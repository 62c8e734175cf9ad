"""Escalation ladders are force policy: validated, shown readably, audited when changed, and a change
applies to deadlines created afterwards only (open ones keep the ladder they were created with)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from haven.core import clock
from haven.core.errors import ValidationFailed
from haven.deadlines import services
from haven.deadlines.registry import ladder_display, ladder_validate
from haven.policy import registry
from haven.policy.models import PolicyChange
from haven.policy.schemas import PolicySetIn
from haven.policy.services import policy_set

KEY = "deadlines.ladder.tests.protection"
NEW_LADDER = [
    {"offset_minutes": -60, "notify": "supervisor", "severity": "urgent"},
    {"offset_minutes": 0, "notify": "superintendent", "severity": "critical"},
]


@pytest.fixture
def admin(make_user):
    return make_user("admin", roles=("administrator",), team=None)


def test_pp02_ladder_change_is_audited_and_leaves_open_deadlines_alone(ranks, make_case, admin):
    case = make_case(ranks["officer"])
    due = clock.now() + timedelta(hours=72)
    before = services.deadline_create(
        actor=ranks["officer"], case=case, kind="tests.protection", what="End PP", due_at=due, key="pp:1"
    )
    policy_set(actor=admin, setting=registry.get(KEY), data=PolicySetIn(value=NEW_LADDER, reason="New force procedure"))
    change = PolicyChange.objects.get(key=KEY)
    assert change.actor == admin
    assert change.reason == "New force procedure"
    assert "1 h before due: their supervisor (urgent)" in change.new_display

    before.refresh_from_db()
    assert [s["offset_minutes"] for s in before.ladder] == [-1440, -720, -120, 0]
    assert sorted(before.escalations.values_list("offset_minutes", flat=True)) == [-1440, -720, -120, 0]

    after = services.deadline_create(
        actor=ranks["officer"], case=case, kind="tests.protection", what="End PP", due_at=due, key="pp:2"
    )
    assert after.ladder == NEW_LADDER
    assert sorted(after.escalations.values_list("offset_minutes", flat=True)) == [-60, 0]


@pytest.mark.parametrize(
    "bad",
    [
        [],
        "not a list",
        [{"offset_minutes": 0, "notify": "chief_constable", "severity": "urgent"}],
        [{"offset_minutes": 0, "notify": "supervisor", "severity": "loud"}],
        [{"offset_minutes": "0", "notify": "supervisor", "severity": "urgent"}],
        [{"offset_minutes": 0, "notify": "supervisor"}],
        [{"offset_minutes": 0, "notify": "supervisor", "severity": "urgent"}] * 2,
    ],
)
def test_invalid_ladders_are_refused(bad, admin):
    with pytest.raises(ValidationError):
        ladder_validate(bad)
    with pytest.raises(ValidationFailed):
        policy_set(actor=admin, setting=registry.get(KEY), data=PolicySetIn(value=bad, reason="Typo"))


def test_ladder_is_sorted_and_shown_in_words():
    cleaned = ladder_validate(list(reversed(NEW_LADDER)))
    assert cleaned == NEW_LADDER
    assert (
        ladder_display(cleaned) == "1 h before due: their supervisor (urgent); When due: the superintendent (critical)"
    )
