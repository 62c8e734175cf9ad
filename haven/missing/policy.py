"""Force policy for missing children (CONF rules M-04, M-06, M-07, M-09, M-11, no meaningful activity).

Registered from MissingConfig.ready() (``SETTINGS``); read with ``haven.policy.selectors.policy_value``
at the moment of use.
"""

from __future__ import annotations

from datetime import timedelta

from haven.policy.registry import Setting, ValueKind
from haven.policy.selectors import policy_value

SECTION = "Missing children"

CHILD_GRADE_FLOOR = Setting(
    key="missing.child_grade_floor",
    label="Lowest risk grade for a child without a supervisor's override",
    help_text="A child graded below this needs a supervisor's override with a reason.",
    default="medium",
    kind=ValueKind.CHOICE,
    choices=(("very_low", "Very low / no apparent risk"), ("low", "Low"), ("medium", "Medium")),
    rule_id="M-06",
    section=SECTION,
)


def _review(grade: str, label: str, minutes: int) -> Setting[timedelta]:
    return Setting(
        key=f"missing.review_interval.{grade}",
        label=f"Review interval: {label} risk",
        help_text="How long after a grade or review the next review is due (domain §2.4).",
        default=timedelta(minutes=minutes),
        kind=ValueKind.DURATION,
        minimum=15,
        maximum=7 * 24 * 60,
        rule_id="M-04",
        section=SECTION,
    )


REVIEW_HIGH = _review("high", "high", 60)
REVIEW_MEDIUM = _review("medium", "medium", 8 * 60)
REVIEW_LOW = _review("low", "low", 12 * 60)
REVIEW_VERY_LOW = _review("very_low", "very low", 24 * 60)

PNC_CIRCULATION = Setting(
    key="missing.pnc_circulation_within",
    label="PNC circulation: hard alert after",
    help_text="Circulate as soon as possible; an alert fires if the child is not circulated by this time.",
    default=timedelta(hours=48),
    kind=ValueKind.DURATION,
    minimum=15,
    rule_id="M-09",
    section=SECTION,
)

NO_MEANINGFUL_ACTIVITY = Setting(
    key="missing.no_meaningful_activity_within",
    label="No meaningful activity: medium or high risk with no enquiry actioned within",
    help_text="After a medium or high grade, an enquiry must be completed within this time or it escalates.",
    default=timedelta(hours=2),
    kind=ValueKind.DURATION,
    minimum=15,
    rule_id="M-04",
    section=SECTION,
)

HIGH_RISK_WITHIN = Setting(
    key="missing.high_risk_obligations_within",
    label="High risk: senior manager, investigating officer, UKMPU and media decision within",
    help_text="Time after a high grade by which the high-risk obligations must be recorded.",
    default=timedelta(hours=1),
    kind=ValueKind.DURATION,
    minimum=15,
    rule_id="M-07",
    section=SECTION,
)

CHILDRENS_SERVICES_WITHIN = Setting(
    key="missing.childrens_services_within",
    label="High risk: children's services told within",
    help_text="Children's services must be told immediately when a child is graded high risk.",
    default=timedelta(minutes=30),
    kind=ValueKind.DURATION,
    minimum=15,
    rule_id="M-07",
    section=SECTION,
)


def _enquiry_due(priority: str, label: str, hours: int) -> Setting[timedelta]:
    return Setting(
        key=f"missing.enquiry_due.{priority}",
        label=f"Enquiry due after it is raised: {label}",
        help_text=f"When an enquiry of {label.lower()} priority is due, unless its due time is given.",
        default=timedelta(hours=hours),
        kind=ValueKind.DURATION,
        minimum=15,
        maximum=7 * 24 * 60,
        rule_id="M-04",
        section=SECTION,
    )


ENQUIRY_DUE_IMMEDIATE = _enquiry_due("immediate", "Immediate", 1)
ENQUIRY_DUE_URGENT = _enquiry_due("urgent", "Urgent", 4)
ENQUIRY_DUE_ROUTINE = _enquiry_due("routine", "Routine", 24)

PREVENTION_WITHIN = Setting(
    key="missing.prevention_interview_within",
    label="Prevention interview (safe and well check) within",
    help_text="Time after the child is found by which the prevention interview must be done.",
    default=timedelta(hours=24),
    kind=ValueKind.DURATION,
    minimum=15,
    rule_id="M-11",
    section=SECTION,
)

PREVENTION_WITHIN_HIGH = Setting(
    key="missing.prevention_interview_within_high",
    label="Prevention interview within, after a high-risk episode",
    default=timedelta(hours=1),
    kind=ValueKind.DURATION,
    minimum=15,
    rule_id="M-11",
    section=SECTION,
)

RHI_WITHIN = Setting(
    key="missing.rhi_within",
    label="Return home interview within",
    help_text="Statutory guidance: within 72 hours of the child's return.",
    default=timedelta(hours=72),
    kind=ValueKind.DURATION,
    minimum=60,
    rule_id="M-12",
    section=SECTION,
)

OUT_OF_AREA_PROMPTS = Setting(
    key="missing.exploitation_prompt_on_out_of_area",
    label="Found out of the force area prompts an exploitation review",
    default=True,
    kind=ValueKind.BOOLEAN,
    rule_id="M-16",
    section=SECTION,
)

SETTINGS = (
    CHILD_GRADE_FLOOR,
    REVIEW_HIGH,
    REVIEW_MEDIUM,
    REVIEW_LOW,
    REVIEW_VERY_LOW,
    PNC_CIRCULATION,
    NO_MEANINGFUL_ACTIVITY,
    HIGH_RISK_WITHIN,
    CHILDRENS_SERVICES_WITHIN,
    ENQUIRY_DUE_IMMEDIATE,
    ENQUIRY_DUE_URGENT,
    ENQUIRY_DUE_ROUTINE,
    PREVENTION_WITHIN,
    PREVENTION_WITHIN_HIGH,
    RHI_WITHIN,
    OUT_OF_AREA_PROMPTS,
)


REVIEW_INTERVALS = {"high": REVIEW_HIGH, "medium": REVIEW_MEDIUM, "low": REVIEW_LOW, "very_low": REVIEW_VERY_LOW}


def review_interval(grade: str) -> timedelta:
    """M-04: how long after a grade of ``grade`` the next review is due (force policy)."""
    return policy_value(REVIEW_INTERVALS[grade])


ENQUIRY_DUE = {"immediate": ENQUIRY_DUE_IMMEDIATE, "urgent": ENQUIRY_DUE_URGENT, "routine": ENQUIRY_DUE_ROUTINE}


def enquiry_due_within(priority: str) -> timedelta:
    """M-04 area: how long after it is raised an enquiry of ``priority`` is due (force policy)."""
    return policy_value(ENQUIRY_DUE[priority])
