"""Property-based run of schemathesis against the live API: the OpenAPI document must be honest.

A real server (pytest-django's ``live_server``) answers requests made with a real API token that
carries every scope of a user holding every role. Every operation of the document is exercised with
schema examples, the coverage phase's boundary and negative cases, and random fuzzing, one group of
routes per test so that the suite's two processes share the work. No request may produce a 5xx, a
status code the route does not declare, a content type it does not declare, or a body that breaks the
declared schema.

One run per group replaces the runs each app had of its own routes beside a run of them all: the same
routes were fuzzed twice, and the whole document in one test kept one process busy for a quarter of
an hour while the other had finished.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from haven.accounts.models import Team
from haven.core import clock, operations

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),  # a group of routes, on a busy machine
    # A live-server test empties every table afterwards; put back the ranks the migrations seed.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]

# Every path of the document belongs to exactly one group (checked below); about 20 operations each.
GROUPS = {
    "accounts": r"^/api/v1/(|me|ranks|teams|users|tokens|role-grants|duties)(/|$)",
    "audit-deadlines-notifications-dmm": r"^/api/v1/(audit|deadlines|notifications|dmm)(/|$)",
    "cases-referrals": r"^/api/v1/(cases|referrals|protection)(/|$)",
    "custody": r"^/api/v1/custody(/|$)",
    "missing": r"^/api/v1/missing(/|$)",
    "people-partner": r"^/api/v1/(people|partner)(/|$)",
    "policy-trigger-plans-workforce-guidance": r"^/api/v1/(policy|trigger-plans|workforce|guidance)(/|$)",
}
# A run reusing no response values lacks the id of a real record: an operation taking one answers
# 404 (or refuses the body first). Opening a case, or reporting a missing child, needs the id of a
# real person in its body. A subject-access report answers for any id: the log may name a person
# whose record was erased.
ANY_ID = {"GET /api/v1/audit/subject-access/{person_id}"}
ID_IN_BODY = {
    "POST /api/v1/cases",
    "POST /api/v1/missing/episodes",
    "POST /api/v1/referrals",
    "POST /api/v1/protection",
    "POST /api/v1/custody/detentions",
}


def test_every_path_of_the_document_is_in_exactly_one_group(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in paths:
        assert [name for name, pattern in GROUPS.items() if re.search(pattern, path)] != [], path
        assert len([name for name, pattern in GROUPS.items() if re.search(pattern, path)]) == 1, path


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_schemathesis_finds_no_server_errors_or_undocumented_responses(
    group: str, schema_run: Any, make_user: Any, make_person: Any, make_case: Any, make_episode: Any, make_plan: Any
) -> None:
    # inspector: chairs the daily management meeting (POST /api/v1/dmm/meetings needs dmm:meeting:chair);
    # analyst: merges people and undoes merges (people:person:merge)
    # crsu_officer: decides whether to share a referral (referrals:referral:share)
    # partner: answers what was shared with an agency (partner:shared:respond); it belongs to none, so
    # its lists are empty and an item's routes answer 404
    user = make_user(
        "fuzzer",
        roles=(
            "administrator",
            "supervisor",
            "inspector",
            "auditor",
            "analyst",
            "investigator",
            "crsu_officer",
            "custody_officer",
            "partner",
        ),
    )
    assert all(user.has_perm(op.perm) for op in operations.registry())
    # Records for the lists and boards to answer with, so their bodies are checked against the schema.
    Team.objects.create(code="CAIT", name="Child abuse investigation team")
    make_person("Kai", "Ward", actor=user)
    make_case(user)
    make_episode(user, grade="medium")
    make_plan(
        user,
        agencies=["School"],
        thresholds=[],
        review_date=clock.now().date() + timedelta(days=20),
        actions=[{"kind": "address", "target": "14 Mill Lane"}],
    )

    run = schema_run(user, seed=20_261_207, max_examples=6, paths=GROUPS[group])
    print(f"\n{run.summary()}")

    run.assert_honest()
    examples, statuses, routes = run.examples, run.statuses, run.operations
    assert routes, group
    assert set(examples) == routes, f"untested: {routes - set(examples)}"
    # The token worked: every operation answered some request with success, not only with errors
    # (except those that need the id of a real record).
    by_id = {label for label in routes if "{" in label} - ANY_ID | (ID_IN_BODY & routes)
    succeeded = {label for label in routes if any(200 <= status < 300 for status in statuses[label])}
    assert succeeded == routes - by_id, statuses
    # A route that takes an id answers 404 for an unknown one, once a request gets past body validation.
    # (A body refused before it is read, too large or not JSON, got no further either.)
    validated = {label for label in by_id if set(statuses[label]) - {400, 405, 413, 415, 422}}
    assert all(404 in statuses[label] for label in validated if "{" in label), statuses
