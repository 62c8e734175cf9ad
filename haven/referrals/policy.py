"""Force policy for child concern referrals (S-02 and the CRSU's RAG time targets are CONF).

Registered from ReferralsConfig.ready() (``SETTINGS``); read with ``haven.policy.selectors.policy_value``
at the moment of use.
"""

from __future__ import annotations

from datetime import timedelta

from haven.policy.registry import Setting, ValueKind

SECTION = "Child concern referrals"
CRSU_TEAM_CODE = "CRSU"  # the team whose supervisors a late referral escalates to (else the raiser's team)

SAME_DAY = "same_day"
TARGETS = (
    ("hours_2", "Within 2 hours"),
    ("hours_4", "Within 4 hours"),
    (SAME_DAY, "The same day"),
    ("hours_24", "Within 24 hours"),
    ("days_3", "Within 3 days"),
)
TARGET_SPANS = {
    "hours_2": timedelta(hours=2),
    "hours_4": timedelta(hours=4),
    "hours_24": timedelta(hours=24),
    "days_3": timedelta(days=3),
}


def _target(rag: str, label: str) -> Setting[str]:
    return Setting(
        key=f"referrals.share_target.{rag}",
        label=f"Share a {label} referral",
        help_text="How soon after it is submitted the CRSU should share (or decide not to share) a referral "
        "it rates this colour. The same day means by midnight of the day it was submitted.",
        default=SAME_DAY,
        kind=ValueKind.CHOICE,
        choices=TARGETS,
        rule_id="S-02",
        section=SECTION,
    )


SHARE_TARGET_RED = _target("red", "red")
SHARE_TARGET_AMBER = _target("amber", "amber")
SHARE_TARGET_GREEN = _target("green", "green")
SHARE_TARGET_UNRATED = Setting(
    key="referrals.share_target.unrated",
    label="Share a referral not yet rated",
    help_text="The time a referral should be shared within until the CRSU rates it.",
    default=SAME_DAY,
    kind=ValueKind.CHOICE,
    choices=TARGETS,
    rule_id="S-02",
    section=SECTION,
)

SHARE_HARD_ALERT = Setting(
    key="referrals.share_hard_alert_after",
    label="Hard alert when a referral is not shared after",
    help_text="However it is rated, the duty inspector is alerted if a referral has not been shared or decided "
    "this long after it was submitted (minutes; 1440 is 24 hours).",
    default=timedelta(hours=24),
    kind=ValueKind.DURATION,
    minimum=60,
    maximum=7 * 24 * 60,
    rule_id="S-02",
    section=SECTION,
)

REVIEW_WITHIN = Setting(
    key="referrals.review_within",
    label="A supervisor reviews each referral within",
    help_text="Time from submission to a supervisor's review (minutes; 1440 is 24 hours).",
    default=timedelta(hours=24),
    kind=ValueKind.DURATION,
    minimum=15,
    maximum=7 * 24 * 60,
    rule_id="S-02",
    section=SECTION,
)

SETTINGS = (
    SHARE_TARGET_RED,
    SHARE_TARGET_AMBER,
    SHARE_TARGET_GREEN,
    SHARE_TARGET_UNRATED,
    SHARE_HARD_ALERT,
    REVIEW_WITHIN,
)
