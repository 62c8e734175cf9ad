"""schemathesis against the trigger-plan routes of the live API: no 5xx, no undeclared status,
content type or body. haven/api's own run covers these routes too; this one runs only them, with a
plan in the database, so a change here is checked by ``pytest haven/triggerplans``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.db import connection
from schemathesis.engine import Status, events

from haven.accounts import services
from haven.triggerplans import services as plan_services
from haven.triggerplans.selectors import today

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("restore_database"),
]

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance")


@pytest.fixture(scope="module")
def restore_database(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        saved = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(saved)
        connection.close()


def test_trigger_plan_api_schema_is_honest(live_server: Any, make_user: Any, make_child: Any) -> None:
    user = make_user("fuzzer", roles=("inspector",))
    plan_services.plan_create(
        actor=user,
        child=make_child(),
        agencies=["School"],
        review_date=today() + timedelta(days=20),
        actions=[{"kind": "address", "target": "14 Mill Lane"}],
    )
    _, raw = services.api_token_create(actor=user, name="schemathesis", scopes=sorted(user.permissions))
    config = schemathesis.Config.from_dict(
        {
            "seed": 20_261_203,
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
    plans_only = schema.include(path_regex=r"^/api/v1/trigger-plans")
    failures: list[str] = []
    errors: list[str] = []
    statuses: dict[str, set[int]] = defaultdict(set)
    for event in schemathesis.engine.from_schema(plans_only).execute():
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
    assert len(statuses) == 8, dict(statuses)
    assert not errors, "\n".join(errors)
    assert not failures, "\n\n".join(sorted(set(failures)))
