"""Force policy: defaults in code, administrator overrides, every change kept (non-negotiable 5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import InternalError, ProgrammingError, connection, transaction

from haven.core.errors import Forbidden, ValidationFailed
from haven.core.operations import run
from haven.policy import operations, registry
from haven.policy.models import PolicyChange, PolicyOverride
from haven.policy.registry import Setting, ValueKind
from haven.policy.selectors import policy_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(roles=("administrator",))


def set_value(actor, key, value, *, reason):
    """A change as the page and the API make it: through its declaration, the permission checked."""
    return run(operations.policy_set, actor=actor, target=registry.get(key), data={"value": value, "reason": reason})


def reset_value(actor, key, *, reason):
    return run(operations.policy_reset, actor=actor, target=registry.get(key), data={"reason": reason})


def test_the_default_applies_until_the_force_changes_it(settings_registered):
    assert policy_value(registry.get("tests.review_after")) == timedelta(hours=6)
    assert policy_value(registry.get("tests.threshold")) == 3


def test_an_override_applies_from_the_moment_it_is_saved(settings_registered, admin):
    set_value(admin, "tests.review_after", timedelta(minutes=90), reason="Chief's decision 12")
    assert policy_value(registry.get("tests.review_after")) == timedelta(minutes=90)
    assert PolicyOverride.objects.get(key="tests.review_after").value == 90


def test_every_change_is_recorded_with_who_why_old_and_new(settings_registered, admin):
    set_value(admin, "tests.threshold", 5, reason="Safeguarding board, March")
    reset_value(admin, "tests.threshold", reason="Trial ended")
    first, second = PolicyChange.objects.order_by("changed_at", "id")
    assert (first.old_display, first.new_display, first.reason, first.actor) == (
        "3",
        "5",
        "Safeguarding board, March",
        admin,
    )
    assert (first.old_value, first.new_value) == (None, 5)
    assert (second.old_display, second.new_display, second.new_value) == ("5", "3", None)


def test_a_change_needs_a_reason(settings_registered, admin):
    with pytest.raises(ValidationFailed) as caught:
        set_value(admin, "tests.threshold", 4, reason="  ")
    assert "reason" in caught.value.fields
    assert not PolicyOverride.objects.exists()
    assert not PolicyChange.objects.exists()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("tests.threshold", 0),  # below the minimum
        ("tests.threshold", "4"),  # not a number
        ("tests.review_after", timedelta(minutes=2)),  # below 5 minutes
        ("tests.review_after", timedelta(seconds=90)),  # not whole minutes
        ("tests.floor", "very_low"),  # not a choice
        ("tests.ladder", ["a"]),  # the setting's own validator refuses it
    ],
)
def test_a_value_outside_the_settings_rules_is_refused_and_nothing_changes(settings_registered, admin, key, value):
    with pytest.raises(ValidationFailed) as caught:
        set_value(admin, key, value, reason="Testing")
    assert caught.value.fields["value"]
    assert not PolicyOverride.objects.exists()
    assert not PolicyChange.objects.exists()


def test_only_an_administrator_changes_policy(settings_registered, make_user):
    inspector = make_user(roles=("inspector",))
    with pytest.raises(Forbidden):
        set_value(inspector, "tests.threshold", 4, reason="I think so")
    assert policy_value(registry.get("tests.threshold")) == 3


def test_setting_the_value_in_force_again_is_refused(settings_registered, admin):
    with pytest.raises(ValidationFailed):
        set_value(admin, "tests.threshold", 3, reason="Same")


def test_a_json_setting_is_cleaned_by_its_validator(settings_registered, admin):
    steps = [{"at": 0, "who": "inspector"}, {"at": -120, "who": "supervisor"}, {"at": -30, "who": "supervisor"}]
    set_value(admin, "tests.ladder", steps, reason="Earlier warnings")
    assert [s["at"] for s in policy_value(registry.get("tests.ladder"))] == [-120, -30, 0]


def test_a_stale_override_falls_back_to_the_default(settings_registered, admin):
    # The rule was tightened in code after the force saved a value it no longer allows.
    PolicyOverride.objects.create(key="tests.threshold", value=0, changed_by=admin)
    assert policy_value(registry.get("tests.threshold")) == 3


def test_the_change_history_cannot_be_altered_or_deleted(settings_registered, admin):
    set_value(admin, "tests.threshold", 4, reason="Board decision")
    for statement in ("UPDATE policy_policychange SET reason = 'x'", "DELETE FROM policy_policychange"):
        with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert PolicyChange.objects.get().reason == "Board decision"


def test_a_default_that_breaks_its_own_rules_fails_at_registration():
    with pytest.raises(Exception, match="Enter 1 or more"):
        Setting(key="tests.bad", label="Bad", default=0, kind=ValueKind.INTEGER, minimum=1)
