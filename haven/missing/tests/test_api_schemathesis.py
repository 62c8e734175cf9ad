"""schemathesis against the missing routes of the live API: no 5xx, no undeclared status, content
type or body. haven/api's own run covers these routes too; this one runs only them, with a graded
episode in the database, so a change to a missing write is checked by ``pytest haven/missing``."""

from __future__ import annotations

from typing import Any

import pytest

from haven.missing import operations

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_missing_api_schema_is_honest(schema_run: Any, make_user: Any, make_episode: Any) -> None:
    user = make_user("fuzzer", roles=("inspector",))
    make_episode(user, grade="medium")
    run = schema_run(user, seed=20_261_207, max_examples=10, paths=r"^/api/v1/missing")
    print(run.summary())
    assert len(run.statuses) == len(operations.ALL) + 3, dict(run.statuses)  # and the three reads
    run.assert_honest()
