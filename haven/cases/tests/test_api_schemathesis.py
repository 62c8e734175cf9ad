"""schemathesis against the cases routes of the live API: no 5xx, no undeclared status, content type or body.

haven/api's own schemathesis run covers these routes too, among all the others; this one runs only the
cases routes, with a case in the database, so a change here is checked by ``pytest haven/cases``.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_cases_api_schema_is_honest(schema_run: Any, make_user: Any, make_case: Any) -> None:
    user = make_user("fuzzer", roles=("supervisor",))
    make_case(user)
    run = schema_run(user, seed=20_261_128, max_examples=10, paths=r"^/api/v1/cases")
    print(run.summary())
    assert run.statuses, "no operation was exercised"
    run.assert_honest()
