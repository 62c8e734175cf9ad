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

SETTINGS = (
    ACK_ESCALATE_AFTER,
    HANDOVER_ACK_WITHIN,
)
