"""The demo plans: current, out of date, and a flagged child without a plan; idempotent."""

from __future__ import annotations

import pytest

from haven.triggerplans import selectors
from haven.triggerplans.demo import seed_triggerplans

pytestmark = pytest.mark.django_db


def test_demo_seeds_current_out_of_date_and_missing_plans_once(make_user):
    from haven.demo.seed import seed_demo

    seed_demo()  # users, people (and haven.missing's episodes) then these plans
    inspector = make_user(roles=("inspector",), team="IMU")
    current = selectors.plans_current(user=inspector)
    assert len(current) >= 3
    assert len(selectors.plans_past_review(user=inspector)) == 1
    assert len(selectors.repeat_missing_without_plan(user=inspector)) >= 1
    assert seed_triggerplans() == 0
