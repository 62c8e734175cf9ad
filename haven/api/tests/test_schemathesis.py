"""Property-based run of schemathesis against the live API: the OpenAPI document must be honest.

A real server (pytest-django's ``live_server``) answers requests made with a real API token that
carries every scope of an administrator who is also a supervisor. Every operation is exercised with
schema examples, the coverage phase's boundary and negative cases, and random fuzzing. No request
may produce a 5xx, a status code the route does not declare, a content type it does not declare, or
a body that breaks the declared schema.
"""

from __future__ import annotations

from typing import Any

import pytest

from haven.accounts.models import Team
from haven.core import operations

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),  # every route of every app, on two cores
    # A live-server test empties every table afterwards; put back the ranks the migrations seed.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_schemathesis_finds_no_server_errors_or_undocumented_responses(schema_run: Any, make_user: Any) -> None:
    # inspector: chairs the daily management meeting (POST /api/v1/dmm/meetings needs dmm:meeting:chair);
    # analyst: merges people and undoes merges (people:person:merge)
    user = make_user("fuzzer", roles=("administrator", "supervisor", "inspector", "auditor", "analyst"))
    Team.objects.create(code="CAIT", name="Child abuse investigation team")
    assert all(op.perm is None or user.has_perm(op.perm) for op in operations.registry())
    run = schema_run(user, seed=20_240_601, max_examples=20)
    print(f"\n{run.summary()}")

    run.assert_honest()
    examples, statuses, routes = run.examples, run.statuses, run.operations
    assert set(examples) == routes, f"untested: {routes - set(examples)}"
    # The token worked: every operation answered some request with success, not only with errors
    # (except those that need the id of a real record, which a run reusing no response values lacks).
    # Opening a case, or reporting a missing child, needs the id of a real person in its body.
    # A subject-access report answers for any id: the log may name a person whose record was erased.
    any_id = {"GET /api/v1/audit/subject-access/{person_id}"}
    by_id = {label for label in routes if "{" in label} - any_id
    by_id |= {"POST /api/v1/cases", "POST /api/v1/missing/episodes"}
    succeeded = {label for label in routes if any(200 <= status < 300 for status in statuses[label])}
    assert succeeded == routes - by_id, statuses
    # A route that takes an id answers 404 for an unknown one, once a request gets past body validation.
    # (A body refused before it is read, too large or not JSON, got no further either.)
    validated = {label for label in by_id if set(statuses[label]) - {400, 405, 413, 415, 422}}
    assert all(404 in statuses[label] for label in validated if "{" in label), statuses
