"""The deadline kind every DMM action becomes (D-02), registered from DmmConfig.ready() (``KINDS``)."""

from __future__ import annotations

from datetime import timedelta

from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step

ACTION = DeadlineKind(
    code="dmm.action",
    rule_id="D-02",
    label="DMM action",
    description="An action the daily management meeting gave someone, with an owner and a due time.",
    ladder=(
        Step(timedelta(hours=-2), Notify.RESPONSIBLE, Severity.WARNING),
        Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT),
        Step(timedelta(hours=4), Notify.DUTY_INSPECTOR, Severity.URGENT),
    ),
)

KINDS = (ACTION,)


def action_key(action_public_id: object) -> str:
    """The deadline key of one DMM action: ``dmm:action:<uuid>``."""
    return f"dmm:action:{action_public_id}"
