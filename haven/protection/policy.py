"""Force policy for police protection (PP-02, PP-04, PP-05, PP-09 are CONF).

Registered from ProtectionConfig.ready() (``SETTINGS``); read with ``haven.policy.selectors.policy_value``
at the moment of use. The escalation points before the 72 hours run out (PP-02) are the ladder of the
deadline kind ``protection.escalation`` (force policy too: ``deadlines.ladder.protection.escalation``).
"""

from __future__ import annotations

from datetime import timedelta

from haven.policy.registry import Setting, ValueKind

SECTION = "Police protection"

RANKS = (
    ("PS", "Sergeant"),
    ("INSP", "Inspector"),
    ("CI", "Chief inspector"),
    ("SUPT", "Superintendent"),
)

DESIGNATED_MIN_RANK = Setting(
    key="protection.designated_officer_min_rank",
    label="Lowest rank of a designated officer",
    help_text="An officer below this rank cannot be appointed designated officer for a child in police "
    "protection (Home Office Circular 17/2008 expects an inspector). Detective ranks count as their "
    "uniform equivalents.",
    default="INSP",
    kind=ValueKind.CHOICE,
    choices=RANKS,
    rule_id="PP-04",
    section=SECTION,
)

NOTIFY_WITHIN = Setting(
    key="protection.notifications_within",
    label="Notifications to be made within",
    help_text="Time from the start of police protection by which the local authorities, the child and the "
    "designated officer's inquiry should all be done (the law says as soon as reasonably practicable). "
    "Minutes; 60 is one hour.",
    default=timedelta(hours=1),
    kind=ValueKind.DURATION,
    minimum=15,
    maximum=24 * 60,
    rule_id="PP-05",
    section=SECTION,
)

STRATEGY_WITHIN = Setting(
    key="protection.strategy_within",
    label="Strategy discussion expected within",
    help_text="Time from the start of police protection by which a strategy discussion with children's "
    "services should be recorded. Minutes; 1440 is 24 hours.",
    default=timedelta(hours=24),
    kind=ValueKind.DURATION,
    minimum=60,
    maximum=72 * 60,
    rule_id="PP-09",
    section=SECTION,
)

REFERRAL_WITHIN = Setting(
    key="protection.referral_within",
    label="Child concern referral to be sent within",
    help_text="Time from the start of police protection by which the initiating officer should send a child "
    "concern referral to the CRSU. Minutes; 60 is one hour.",
    default=timedelta(hours=1),
    kind=ValueKind.DURATION,
    minimum=15,
    maximum=24 * 60,
    rule_id="PP-05",
    section=SECTION,
)

SETTINGS = (DESIGNATED_MIN_RANK, NOTIFY_WITHIN, STRATEGY_WITHIN, REFERRAL_WITHIN)
