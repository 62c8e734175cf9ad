"""Force policy for the gate (T-01 is CONF: each activity's qualifications are the force's choice).

Registered from WorkforceConfig.ready() (``SETTINGS``). Read with ``haven.policy.selectors.policy_value``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError

from haven.policy.registry import Choices, Setting, ValueKind
from haven.workforce.choices import Activity, Standard

SECTION = "Training and competence"


def _codes(value: Any) -> list[str]:
    if not isinstance(value, list) or any(code not in Standard.values for code in value):
        raise ValidationError("Choose from the qualifications listed")
    return sorted(set(value), key=Standard.values.index)


def _describe_codes(value: list[str]) -> str:
    return ", ".join(Standard(code).label for code in value) or "None"


def _activities(value: Any) -> list[str]:
    if not isinstance(value, list) or any(code not in Activity.values for code in value):
        raise ValidationError("Choose from the activities listed")
    return sorted(set(value), key=Activity.values.index)


def _describe_activities(value: list[str]) -> str:
    return ", ".join(Activity(code).label for code in value) or "None"


def _requires(activity: Activity, default: list[Standard], rule_id: str = "T-01") -> Setting[list[str]]:
    return Setting(
        key=f"workforce.requires.{activity.value}",
        label=f"Qualifications needed to: {activity.label[:1].lower()}{activity.label[1:]}",
        help_text="An officer must hold each of these, current (not expired), to be allocated this work.",
        default=[code.value for code in default],
        kind=ValueKind.JSON,
        validate=_codes,
        describe=_describe_codes,
        editor=Choices(tuple(Standard.choices)),
        rule_id=rule_id,
        section=SECTION,
    )


# T-01's defaults: PIP2 (+SCAIDP if the force adds it) to lead; a current ABE for a visually recorded
# interview; ARMS and KIRAT training for their assessments. High-risk missing: PIP2 (issue 18).
LEAD_CHILD_ABUSE_INVESTIGATION = _requires(Activity.LEAD_CHILD_ABUSE_INVESTIGATION, [Standard.PIP2])
HIGH_RISK_MISSING_INVESTIGATION = _requires(Activity.HIGH_RISK_MISSING_INVESTIGATION, [Standard.PIP2])
VISUALLY_RECORDED_INTERVIEW = _requires(Activity.VISUALLY_RECORDED_INTERVIEW, [Standard.ABE])
ARMS_ASSESSMENT = _requires(Activity.ARMS_ASSESSMENT, [Standard.ARMS])
KIRAT_ASSESSMENT = _requires(Activity.KIRAT_ASSESSMENT, [Standard.KIRAT])
CRSU_SHARE_INFORMATION = _requires(Activity.CRSU_SHARE_INFORMATION, [Standard.CRSU_RESEARCHER])
CUSTODY = _requires(Activity.CUSTODY, [Standard.CUSTODY_OFFICER])
POLICE_PROTECTION = _requires(Activity.POLICE_PROTECTION, [Standard.DESIGNATED_OFFICER])

REQUIRES: dict[Activity, Setting[list[str]]] = {
    Activity.LEAD_CHILD_ABUSE_INVESTIGATION: LEAD_CHILD_ABUSE_INVESTIGATION,
    Activity.HIGH_RISK_MISSING_INVESTIGATION: HIGH_RISK_MISSING_INVESTIGATION,
    Activity.VISUALLY_RECORDED_INTERVIEW: VISUALLY_RECORDED_INTERVIEW,
    Activity.ARMS_ASSESSMENT: ARMS_ASSESSMENT,
    Activity.KIRAT_ASSESSMENT: KIRAT_ASSESSMENT,
    Activity.CRSU_SHARE_INFORMATION: CRSU_SHARE_INFORMATION,
    Activity.CUSTODY: CUSTODY,
    Activity.POLICE_PROTECTION: POLICE_PROTECTION,
}

SIGN_OFF_ACTIVITIES = Setting(
    key="workforce.sign_off_activities",
    label="Activities that need competence sign-off",
    help_text="For these, an officer in training or assessed may act only with the approval of a signed-off "
    "colleague; once a supervisor signs them off they may act alone.",
    default=[Activity.CRSU_SHARE_INFORMATION.value, Activity.LEAD_CHILD_ABUSE_INVESTIGATION.value],
    kind=ValueKind.JSON,
    validate=_activities,
    describe=_describe_activities,
    editor=Choices(tuple(Activity.choices)),
    rule_id="T-01",
    section=SECTION,
)

MENTOR_MAY_SIGN_OFF = Setting(
    key="workforce.mentor_may_sign_off",
    label="A mentor may sign off their own mentee",
    help_text="Normally a supervisor who was not the officer's mentor signs them off.",
    default=False,
    kind=ValueKind.BOOLEAN,
    rule_id="T-01",
    section=SECTION,
)

LONGEST_OVERRIDE = Setting(
    key="workforce.longest_override",
    label="Longest an inspector's override of the training rules lasts",
    help_text="An override lets an officer do work their training does not yet allow; it ends after this "
    "time (minutes; 10080 is 7 days).",
    default=timedelta(days=7),
    kind=ValueKind.DURATION,
    minimum=60,
    maximum=90 * 24 * 60,
    rule_id="T-01",
    section=SECTION,
)

SETTINGS = (
    *REQUIRES.values(),
    SIGN_OFF_ACTIVITIES,
    MENTOR_MAY_SIGN_OFF,
    LONGEST_OVERRIDE,
)
