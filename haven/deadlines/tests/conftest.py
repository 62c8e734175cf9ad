"""Fixtures for the deadlines tests: test kinds (cases to hang deadlines on, and the users up the
ranks, come from the root conftest's ``make_case`` and ``ranks``)."""

from __future__ import annotations

from datetime import timedelta

from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step, register_kind

TEST_KIND = register_kind(
    DeadlineKind(
        code="tests.protection",
        rule_id="PP-02",
        label="Test police protection expiry",
        ladder=(
            Step(timedelta(hours=-24), Notify.RESPONSIBLE, Severity.WARNING),
            Step(timedelta(hours=-12), Notify.DUTY_INSPECTOR, Severity.URGENT),
            Step(timedelta(hours=-2), Notify.SUPERINTENDENT, Severity.URGENT),
            Step(timedelta(0), Notify.SUPERINTENDENT, Severity.CRITICAL),
        ),
    )
)

PAUSABLE_KIND = register_kind(
    DeadlineKind(
        code="tests.pausable",
        rule_id="M-12",
        label="Test pausable",
        ladder=(Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT),),
        pausable=True,
    )
)

ONE_HOUR_KIND = register_kind(
    DeadlineKind(
        code="tests.one_hour",
        rule_id="M-04",
        label="Test review",
        ladder=(Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT),),
    )
)
