"""schemathesis against the people routes of the live API: no 5xx, no undeclared status, content type
or body, for the routes built from the declarations too (the multipart photo upload and the removal
that takes its reason in the body). haven/api's own run covers these routes as well; this
one runs only them, with a person and linked records in the database, so ``pytest haven/people``
checks a change here."""

from __future__ import annotations

from typing import Any

import pytest

from haven.people.tests import records

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_people_api_schema_is_honest(schema_run: Any, make_user: Any, make_person: Any) -> None:
    user = make_user("fuzzer", roles=("investigator", "analyst", "supervisor"))
    person = make_person("Kai", "Ward", actor=user)
    records.add(user, person, "alias", surname="Smith")
    records.add(user, person, "address", lines="1 High Street", postcode="LS1 4AP")
    run = schema_run(user, seed=20_261_207, max_examples=10, paths=r"^/api/v1/people")
    print(run.summary())
    assert len(run.statuses) == 15, dict(run.statuses)  # the 14 before, and reading a refuge address
    run.assert_honest()
