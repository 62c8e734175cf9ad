"""The deadline kinds of trigger plans (``KINDS``, registered from TriggerplansConfig.ready())."""

from __future__ import annotations

from datetime import timedelta

from haven.deadlines.registry import DeadlineKind, Notify, Severity, Step

REQUIRED = DeadlineKind(
    code="triggerplans.required",
    rule_id="M-14",
    label="Trigger plan needed (repeat missing)",
    description="The child crossed the repeat-missing threshold: put a trigger plan in place, or review "
    "the current one.",
    ladder=(
        Step(timedelta(days=-1), Notify.RESPONSIBLE, Severity.WARNING),
        Step(timedelta(0), Notify.SUPERVISOR, Severity.URGENT),
        Step(timedelta(days=2), Notify.DUTY_INSPECTOR, Severity.URGENT),
    ),
    pausable=False,
)

REVIEW = DeadlineKind(
    code="triggerplans.review",
    rule_id="M-15",
    label="Trigger plan review",
    description="The trigger plan reaches its review date: review it (no change) or revise it.",
    ladder=(
        Step(timedelta(days=-7), Notify.RESPONSIBLE, Severity.INFO),
        Step(timedelta(0), Notify.SUPERVISOR, Severity.WARNING),
        Step(timedelta(days=7), Notify.DUTY_INSPECTOR, Severity.URGENT),
    ),
    pausable=False,
)

KINDS = (
    REQUIRED,
    REVIEW,
)


def required_key(child_public_id: object) -> str:
    """The key of a child's "trigger plan needed" deadline (at most one open per case and key)."""
    return f"child:{child_public_id}:plan-required"


def review_key(plan_public_id: object) -> str:
    return f"plan:{plan_public_id}:review"
