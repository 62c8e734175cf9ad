"""Force policy for deadlines (``SETTINGS``, registered from DeadlinesConfig.ready). Each kind's ladder is
registered by ``registry.register_kind`` as ``deadlines.ladder.<code>``."""

from __future__ import annotations

from datetime import timedelta

from haven.policy.registry import Setting, ValueKind

ACK_ESCALATE_AFTER = Setting(
    key="deadlines.ack_escalate_after",
    label="Time to acknowledge a critical notification",
    help_text="A notification that needs acknowledgement (a critical escalation) and is not acknowledged "
    "within this time is sent one level up: supervisor, duty inspector, superintendent.",
    default=timedelta(minutes=30),
    kind=ValueKind.DURATION,
    minimum=1,
    maximum=24 * 60,
    rule_id="M-10",
    section="Deadlines",
)

HANDOVER_ACK_WITHIN = Setting(
    key="deadlines.handover_ack_within",
    label="Time to acknowledge a handover",
    help_text="How long the new owner of a handed-over case has to acknowledge it before it escalates to "
    "the duty inspector. Applies to handovers started from then on.",
    default=timedelta(hours=1),
    kind=ValueKind.DURATION,
    minimum=1,
    maximum=7 * 24 * 60,
    rule_id="M-10",
    section="Deadlines",
)

QUEUE_ALLOCATE_WITHIN = Setting(
    key="deadlines.queue_allocate_within",
    label="Time to allocate work waiting in a team's queue",
    help_text="How long new work (a reported missing child) may wait in its team's queue before it is "
    "allocated to an officer. When it has waited this long the duty sergeant is told, and the duty "
    "inspector 30 minutes later. Applies to work queued from then on.",
    default=timedelta(minutes=30),
    kind=ValueKind.DURATION,
    minimum=1,
    maximum=7 * 24 * 60,
    rule_id="WQ-01",
    section="Deadlines",
)

SETTINGS = (
    ACK_ESCALATE_AFTER,
    HANDOVER_ACK_WITHIN,
    QUEUE_ALLOCATE_WITHIN,
)
