"""schemathesis against the trigger-plan routes of the live API: no 5xx, no undeclared status,
content type or body. haven/api's own run covers these routes too; this one runs only them, with a
plan in the database, so a change here is checked by ``pytest haven/triggerplans``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from haven.triggerplans.selectors import today

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_trigger_plan_api_schema_is_honest(schema_run: Any, make_user: Any, make_plan: Any) -> None:
    user = make_user("fuzzer", roles=("inspector",))
    make_plan(
        user,
        agencies=["School"],
        thresholds=[],
        review_date=today() + timedelta(days=20),
        actions=[{"kind": "address", "target": "14 Mill Lane"}],
    )
    run = schema_run(user, seed=20_261_203, max_examples=10, paths=r"^/api/v1/trigger-plans")
    print(run.summary())
    assert len(run.statuses) == 9, dict(run.statuses)
    run.assert_honest()
