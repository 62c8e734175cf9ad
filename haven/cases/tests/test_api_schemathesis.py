"""schemathesis against the cases routes of the live API: no 5xx, no undeclared status, content type or body.

haven/api's own schemathesis run covers these routes too, among all the others; this one runs only the
cases routes, with a case in the database, so a change here is checked by ``pytest haven/cases``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import schemathesis
from schemathesis.engine import Status, events

from haven.accounts import services

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance")


def test_cases_api_schema_is_honest(live_server: Any, make_user: Any, make_case: Any) -> None:
    user = make_user("fuzzer", roles=("supervisor",))
    make_case(user)
    _, raw = services.api_token_create(actor=user, name="schemathesis", scopes=sorted(user.permissions))
    config = schemathesis.Config.from_dict(
        {
            "seed": 20_261_128,
            "workers": 1,
            "headers": {"Authorization": f"Bearer {raw}"},
            "generation": {
                "max-examples": 10,
                "deterministic": True,
                "database": "none",
                "with-security-parameters": False,
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "phases": {
                phase: {"extra-data-sources": {"responses": False}} for phase in ("examples", "coverage", "fuzzing")
            }
            | {"stateful": {"enabled": False}},
            "request-timeout": 10,
        }
    )
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json", config=config)
    schema.config.update(base_url=live_server.url)
    cases_only = schema.include(path_regex=r"^/api/v1/cases")
    failures: list[str] = []
    errors: list[str] = []
    statuses: dict[str, set[int]] = defaultdict(set)
    for event in schemathesis.engine.from_schema(cases_only).execute():
        if isinstance(event, events.ScenarioFinished):
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    statuses[event.recorder.label].add(interaction.response.status_code)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE and check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.append(
                            f"{event.recorder.label} {check.name}: {failure.title}: {failure.message}\n"
                            f"{check.failure_info.code_sample}"
                        )
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            raise event.exception
    print(dict(statuses))
    assert statuses, "no operation was exercised"
    assert not errors, "\n".join(errors)
    assert not failures, "\n\n".join(sorted(set(failures)))
