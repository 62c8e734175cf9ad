"""schemathesis against the DMM routes of the live API (the board, meetings, decisions, actions): no
5xx, no undeclared status, content type or body, with a child missing on the board."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_dmm_api_schema_is_honest(schema_run: Any, make_user: Any, board_episode: Any) -> None:
    user = make_user("fuzzer", roles=("inspector",))
    board_episode(user)
    run = schema_run(user, seed=20_261_207, max_examples=10, paths=r"^/api/v1/dmm")
    print(run.summary())
    assert set(run.statuses) == run.operations
    run.assert_honest()
    assert 201 in run.statuses["POST /api/v1/dmm/meetings"], dict(run.statuses)
