"""Schemathesis against the live API's deadlines and notifications routes: their OpenAPI must be honest.

(The whole-API run in haven/api/tests covers them too; this one runs only these routes, quickly.)

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
from django.core.management import call_command
from django.db import connection
from schemathesis.engine import Status, events

from haven.accounts import services
from haven.accounts.models import Team


@pytest.fixture
def leave_database_as_found(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """A live-server test empties every table afterwards: put back what the migrations seeded."""
    with django_db_blocker.unblock():
        saved = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(saved)
        connection.close()


pytestmark = [
    pytest.mark.slow,
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
                "max-examples": 15,
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
            "request-timeout": 90,
        }
    )


def test_schemathesis_finds_no_server_errors_or_undocumented_responses(live_server: Any, make_user: Any) -> None:
    user = make_user("fuzzer", roles=("administrator", "supervisor", "auditor"))
    Team.objects.create(code="CAIT", name="Child abuse investigation team")
    _, raw = services.api_token_create(actor=user, name="schemathesis", scopes=sorted(user.permissions))

    import requests

    raw_schema = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=300).json()
    whole = schemathesis.openapi.from_dict(raw_schema, config=_config(raw))
    whole.config.update(base_url=live_server.url)
    schema = whole.include(path_regex="/api/v1/(deadlines|notifications)")

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
    operations = {label for label in operations if "/deadlines" in label or "/notifications" in label}
    assert finished is not None
    assert finished.stop_reason == "completed"
    assert not errors, "\n".join(errors)
    assert not failures, "\n\n".join(sorted(set(failures)))
    assert set(examples) == operations, f"untested: {operations - set(examples)}"
    # The token worked: every operation without an id in its path answered some request with success.
    by_id = {label for label in operations if "{" in label}
    succeeded = {label for label in operations if any(200 <= status < 300 for status in statuses[label])}
    assert succeeded == operations - by_id, statuses
    assert all(404 in statuses[label] for label in by_id), statuses
