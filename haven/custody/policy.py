"""Force policy for children in custody (C-04's alert, the s38(6) transfer clock, the referral after
charge). Registered from CustodyConfig.ready(); read with ``policy_value`` at the moment of use."""

from __future__ import annotations

from datetime import timedelta

from haven.policy.registry import Setting, ValueKind

SECTION = "Children in custody"

REVIEW_ALERT_BEFORE = Setting(
    key="custody.review_alert_before",
    label="Alert the custody officer before a PACE review is due",
    help_text="How long before each review is due the custody officer is alerted (minutes).",
    default=timedelta(minutes=30),
    kind=ValueKind.DURATION,
    minimum=5,
    maximum=3 * 60,
    rule_id="C-04",
    section=SECTION,
)

TRANSFER_REQUEST_WITHIN = Setting(
    key="custody.transfer_request_within",
    label="Request local authority accommodation after charge within",
    help_text="Time from charging a child refused bail to requesting local authority accommodation (or "
    "certifying why not) before the duty inspector is alerted (minutes; 120 is 2 hours).",
    default=timedelta(hours=2),
    kind=ValueKind.DURATION,
    minimum=15,
    maximum=12 * 60,
    rule_id="C-06",
    section=SECTION,
)

REFERRAL_WITHIN = Setting(
    key="custody.referral_within",
    label="Send a child concern referral about a child kept after charge within",
    help_text="Time from charge to sending a child concern referral to the CRSU (minutes; 1440 is 24 hours).",
    default=timedelta(hours=24),
    kind=ValueKind.DURATION,
    minimum=60,
    maximum=7 * 24 * 60,
    rule_id="C-06",
    section=SECTION,
)

SETTINGS = (REVIEW_ALERT_BEFORE, TRANSFER_REQUEST_WITHIN, REFERRAL_WITHIN)
