"""schemathesis against the force policy routes of the live API: no 5xx, no undeclared status,
content type or body, whatever the setting named in the path."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_policy_api_schema_is_honest(schema_run: Any, make_user: Any) -> None:
    user = make_user("fuzzer", roles=("administrator",))
    run = schema_run(user, seed=20_261_207, max_examples=10, paths=r"^/api/v1/policy")
    print(run.summary())
    assert set(run.statuses) == run.operations
    run.assert_honest()
