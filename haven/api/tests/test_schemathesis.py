"""Property-based run of schemathesis against the live API: the OpenAPI document must be honest.

A real server (pytest-django's ``live_server``) answers requests made with a real API token that
carries every scope of an administrator who is also a supervisor. Every operation is exercised with
schema examples, the coverage phase's boundary and negative cases, and random fuzzing. No request
may produce a 5xx, a status code the route does not declare, a content type it does not declare, or
a body that breaks the declared schema.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
import schemathesis
from schemathesis.engine import Status, events

from haven.accounts import services
from haven.accounts.models import Team

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),  # every route of every app, on two cores
    # A live-server test empties every table afterwards; put back the ranks the migrations seed.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance")


def _config(token: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 20_240_601,
            "workers": 1,
            "headers": {"Authorization": f"Bearer {token}"},
            # The token above is the only credential: schemathesis is not to invent Authorization headers.
            "generation": {
                "max-examples": 20,
                "deterministic": True,
                "database": "none",
                "with-security-parameters": False,
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            # Values seen in responses are not reused as inputs: they would include the id of the token
            # this run uses, and revoking it would turn the rest of the run into 401s.
            "phases": {
                phase: {"extra-data-sources": {"responses": False}} for phase in ("examples", "coverage", "fuzzing")
            }
            | {"stateful": {"enabled": False}},
            "request-timeout": 10,
        }
    )


def test_schemathesis_finds_no_server_errors_or_undocumented_responses(live_server: Any, make_user: Any) -> None:
    # inspector: chairs the daily management meeting (POST /api/v1/dmm/meetings needs dmm:meeting:chair)
    user = make_user("fuzzer", roles=("administrator", "supervisor", "inspector", "auditor"))
    Team.objects.create(code="CAIT", name="Child abuse investigation team")
    _, raw = services.api_token_create(actor=user, name="schemathesis", scopes=sorted(user.permissions))

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json", config=_config(raw))
    schema.config.update(base_url=live_server.url)

    examples: Counter[str] = Counter()
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    failures: list[str] = []
    errors: list[str] = []
    finished = None
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            label = event.recorder.label
            examples[label] += len(event.recorder.cases)
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    statuses[label][interaction.response.status_code] += 1
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE and check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.append(
                            f"{label} [{event.phase.value}] {check.name}: {failure.title}: "
                            f"{failure.message}\n{check.failure_info.code_sample}"
                        )
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            finished = event

    operations = {f"{method.upper()} {path}" for path, item in schema.raw_schema["paths"].items() for method in item}
    summary = "\n".join(
        f"  {label}: {examples[label]} examples, statuses {dict(sorted(statuses[label].items()))}"
        for label in sorted(examples)
    )
    print(
        f"\nschemathesis: {len(examples)} operations, {sum(examples.values())} examples, "
        f"{len(failures)} failures, {len(errors)} errors\n{summary}"
    )

    assert finished is not None
    assert finished.stop_reason == "completed"
    assert not errors, "\n".join(errors)
    assert not failures, "\n\n".join(sorted(set(failures)))
    assert set(examples) == operations, f"untested: {operations - set(examples)}"
    # The token worked: every operation answered some request with success, not only with errors
    # (except those that need the id of a real record, which a run reusing no response values lacks).
    # Opening a case, or reporting a missing child, needs the id of a real person in its body.
    # A subject-access report answers for any id: the log may name a person whose record was erased.
    any_id = {"GET /api/v1/audit/subject-access/{person_id}"}
    by_id = {label for label in operations if "{" in label} - any_id
    by_id |= {"POST /api/v1/cases", "POST /api/v1/missing/episodes"}
    succeeded = {label for label in operations if any(200 <= status < 300 for status in statuses[label])}
    assert succeeded == operations - by_id, statuses
    # A route that takes an id answers 404 for an unknown one, once a request gets past body validation.
    validated = {label for label in by_id if set(statuses[label]) - {400, 405, 422}}
    assert all(404 in statuses[label] for label in validated if "{" in label), statuses
