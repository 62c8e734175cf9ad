"""Helpers for Haven's tests (imported by conftest.py and test modules; never by app code)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyotp
from django.test import Client

DEFAULT_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test users only


def totp_now(user: Any) -> str:
    return pyotp.TOTP(user.totp_secret).now()


def sign_in(client: Client, user: Any, password: str = DEFAULT_PASSWORD) -> None:
    """Sign in the way a person does: password, then the code from their authenticator app."""
    response = client.post("/sign-in/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/second-factor/auth/TOTP/"
    client.get(response["Location"])  # starts the challenge, as the browser does
    response = client.post("/second-factor/auth/TOTP/", {"code": totp_now(user)})
    assert response.status_code == 302, response.content[:500]


# --- schemathesis against the live API ---------------------------------------------------------

SCHEMA_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


@dataclass
class SchemaRun:
    """What one schemathesis run against the live API saw, operation by operation ("POST /api/v1/…")."""

    operations: set[str]  # every operation of the document the run was given (after ``paths``)
    examples: Counter[str] = field(default_factory=Counter)  # test cases generated, per operation
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))  # answered
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stop_reason: str | None = None

    def summary(self) -> str:
        lines = [
            f"schemathesis: {len(self.examples)} operations, {sum(self.examples.values())} examples, "
            f"{len(self.failures)} failures, {len(self.errors)} errors"
        ]
        lines += [
            f"  {label}: {self.examples[label]} examples, statuses {dict(sorted(self.statuses[label].items()))}"
            for label in sorted(self.examples)
        ]
        return "\n".join(lines)

    def assert_honest(self) -> None:
        """The run finished, and no request met a 5xx or an undeclared status, content type or body."""
        assert self.stop_reason == "completed", self.stop_reason
        assert not self.errors, "\n".join(self.errors)
        assert not self.failures, "\n\n".join(sorted(set(self.failures)))


def schemathesis_run(base_url: str, token: str, *, seed: int, max_examples: int, paths: str | None = None) -> SchemaRun:
    """Run schemathesis against the live API at ``base_url`` with the API ``token``; ``paths`` (a
    regular expression) keeps only the operations on the paths it matches.

    Every operation is exercised with the schema's examples, the coverage phase's boundary and negative
    cases, and random fuzzing, deterministically from ``seed``, under :data:`SCHEMA_CHECKS`.
    """
    # Imported here, not at the top: loading schemathesis costs every test process half a second.
    import schemathesis
    from schemathesis.engine import Status, events

    config = schemathesis.Config.from_dict(
        {
            "seed": seed,
            "workers": 1,
            "headers": {"Authorization": f"Bearer {token}"},
            # The token above is the only credential: schemathesis is not to invent Authorization headers.
            "generation": {
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
                "with-security-parameters": False,
            },
            # A time's schema says its years (pattern ``^(19|2[0-9])[0-9]{2}-``) beside its date-time format:
            # schemathesis draws date-times from any year and keeps those the pattern allows, about one in
            # nine, so a route taking two times (a duty's start and end) trips Hypothesis's "too much
            # filtered" health check. The examples kept are valid ones; only the drawing is slower.
            "suppress-health-check": ["filter_too_much"],
            "checks": {"enabled": False, **{name: {"enabled": True} for name in SCHEMA_CHECKS}},
            # Values seen in responses are not reused as inputs: they would include the id of the token
            # this run uses, and revoking it would turn the rest of the run into 401s.
            "phases": {
                phase: {"extra-data-sources": {"responses": False}} for phase in ("examples", "coverage", "fuzzing")
            }
            | {"stateful": {"enabled": False}}
            # A method a route does not declare is tried once (PATCH, which no route of Haven's takes), not
            # every method: the 405 comes from one place, the router, and seven a route were an eighth of
            # the run.
            | {"coverage": {"extra-data-sources": {"responses": False}, "unexpected-methods": ["PATCH"]}},
            "request-timeout": 10,
        }
    )
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json", config=config)
    schema.config.update(base_url=base_url)
    selected = schema if paths is None else schema.include(path_regex=paths)
    run = SchemaRun(
        operations={
            f"{method.upper()} {path}"
            for path, item in schema.raw_schema["paths"].items()
            if paths is None or re.search(paths, path)
            for method in item
        }
    )
    for event in schemathesis.engine.from_schema(selected).execute():
        if isinstance(event, events.ScenarioFinished):
            label = event.recorder.label
            run.examples[label] += len(event.recorder.cases)
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    run.statuses[label][interaction.response.status_code] += 1
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE and check.failure_info is not None:
                        failure = check.failure_info.failure
                        run.failures.append(
                            f"{label} [{event.phase.value}] {check.name}: {failure.title}: "
                            f"{failure.message}\n{check.failure_info.code_sample}"
                        )
        elif isinstance(event, events.NonFatalError):
            run.errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            run.stop_reason = event.stop_reason
    return run
