"""Force policy for repeat missing and trigger plans (rule M-14 is CONF: no national number).

Registered from TriggerplansConfig.ready() (``SETTINGS``). Read with ``haven.policy.selectors.policy_value``.
"""

from __future__ import annotations

from datetime import timedelta

from haven.policy.registry import Setting, ValueKind

SECTION = "Repeat missing and trigger plans"
DAY = 24 * 60  # minutes

REPEAT_EPISODES = Setting(
    key="triggerplans.repeat_episodes",
    label="Repeat-missing threshold: episodes",
    help_text="A child reported missing this many times within the window is flagged as repeat missing, "
    "listed for the daily management meeting and needs a trigger plan (or a reviewed one).",
    default=3,
    kind=ValueKind.INTEGER,
    minimum=2,
    maximum=50,
    rule_id="M-14",
    section=SECTION,
)

REPEAT_WINDOW = Setting(
    key="triggerplans.repeat_window",
    label="Repeat-missing threshold: rolling window",
    help_text="The rolling period the episodes are counted over (minutes; 129600 is 90 days).",
    default=timedelta(days=90),
    kind=ValueKind.DURATION,
    minimum=DAY,
    maximum=730 * DAY,
    rule_id="M-14",
    section=SECTION,
)

PLAN_WITHIN = Setting(
    key="triggerplans.plan_within",
    label="Time to put a trigger plan in place",
    help_text="Once a child crosses the repeat-missing threshold, a trigger plan (or a review of the "
    "current one) is due within this time (minutes; 10080 is 7 days).",
    default=timedelta(days=7),
    kind=ValueKind.DURATION,
    minimum=60,
    maximum=90 * DAY,
    rule_id="M-14",
    section=SECTION,
)

LONGEST_REVIEW = Setting(
    key="triggerplans.longest_review",
    label="Longest time before a trigger plan is reviewed",
    help_text="The review date of a trigger plan may be at most this far ahead (minutes; 129600 is 90 days).",
    default=timedelta(days=90),
    kind=ValueKind.DURATION,
    minimum=DAY,
    maximum=366 * DAY,
    rule_id="M-15",
    section=SECTION,
)

SETTINGS = (
    REPEAT_EPISODES,
    REPEAT_WINDOW,
    PLAN_WITHIN,
    LONGEST_REVIEW,
)
