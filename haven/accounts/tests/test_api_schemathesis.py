"""schemathesis against the accounts routes of the live API (who you are, users, teams, ranks, tokens):
no 5xx, no undeclared status, content type or body. haven/api's own run covers these routes too; this
one runs only them, so a change to an accounts write is checked by ``pytest haven/accounts``."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_accounts_api_schema_is_honest(schema_run: Any, make_user: Any) -> None:
    user = make_user("fuzzer", roles=("administrator",))
    run = schema_run(user, seed=20_261_207, max_examples=10, paths=r"^/api/v1/(me|ranks|teams|users|tokens)")
    print(run.summary())
    assert set(run.statuses) == run.operations
    run.assert_honest()
    created = {label for label in run.operations if "{" not in label and label.startswith("POST")}
    assert all(201 in run.statuses[label] for label in created), dict(run.statuses)
