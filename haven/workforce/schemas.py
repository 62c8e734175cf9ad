"""Workforce's input models (every field rule of its writes) and the API's output schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from haven.core.operations import Input
from haven.core.types import Line, Moment, Says, Text, Username
from haven.workforce.choices import Activity, Answer, CompetenceState

Reason = Annotated[str, Text(2_000, min_length=1), Says("the reason")]

# --- Input ------------------------------------------------------------------------------------------


class QualificationRecordIn(Input):
    """Record (or renew) an officer's qualification; the expiry follows from the qualification's rules."""

    qualification: Annotated[
        str, Line(64, min_length=1), Says("the qualification", required="Select the qualification")
    ]
    achieved_on: Annotated[date, Says("the date it was gained")]
    evidence_reference: Annotated[
        str, Line(200, min_length=1), Says("the evidence reference", required="Enter the evidence reference")
    ]


class CompetenceStartIn(Input):
    """Put an officer in training for an activity, with a named mentor."""

    activity: Annotated[Activity, Says("the activity")]
    mentor: Annotated[Username, Says("the mentor", required="Enter the mentor's username")]
    started_on: Annotated[date, Says("the start date")]


class CompetenceStepIn(Input):
    """Assess or sign off an officer in training (the note is kept with the step)."""

    activity: Annotated[Activity, Says("the activity")]
    note: Annotated[str, Text(2_000)] = ""


class CompetenceWithdrawIn(Input):
    activity: Annotated[Activity, Says("the activity")]
    reason: Reason


class OverrideGrantIn(Input):
    """An inspector lets an officer do work the gate refuses, for a reason, until ``ends_at``."""

    activity: Annotated[Activity, Says("the activity")]
    reason: Reason
    ends_at: Annotated[Moment | None, Says("when the override ends")] = None


# --- Output -----------------------------------------------------------------------------------------


class GateDecisionOut(Schema):
    activity: Activity
    answer: Answer
    reason: str


class OfficerQualificationOut(Schema):
    qualification: str
    name: str
    achieved_on: date
    expires_on: date | None
    evidence_reference: str
    verified_by: str


class CompetenceOut(Schema):
    activity: Activity
    state: CompetenceState
    mentor: str
    started_on: date
    assessed_on: date | None
    signed_off_on: date | None
    signed_off_by: str | None
    withdrawn_on: date | None


class OverrideOut(Schema):
    activity: Activity
    reason: str
    granted_by: str
    granted_at: datetime
    ends_at: datetime


class OfficerRecordOut(Schema):
    username: str
    qualifications: list[OfficerQualificationOut]
    competences: list[CompetenceOut]
    overrides: list[OverrideOut]
    decisions: list[GateDecisionOut]


class CsvImportIn(Input):
    """A learning and development department's CSV: a header line, then one record per line with the
    columns officer (username or collar number), qualification (its code), gained (YYYY-MM-DD or
    DD/MM/YYYY) and evidence. ``dry_run`` checks every line and writes nothing."""

    csv: Annotated[str, Text(1_000_000, min_length=1), Says("the CSV", required="Paste or upload the CSV")]
    dry_run: Annotated[bool, Says("whether this is a dry run")] = True


class CsvLineErrorOut(Schema):
    line: int
    message: str


class CsvImportOut(Schema):
    dry_run: bool
    lines: int
    imported: int
    errors: list[CsvLineErrorOut]


# --- The force's report and capacity (reports.py) ---------------------------------------------------


class EstablishmentSetIn(Input):
    """How many posts a team has (its establishment), for the capacity view."""

    posts: Annotated[int, Field(ge=0, le=9_999), Says("the number of posts")]


class EstablishmentOut(Schema):
    team: str
    posts: int
    set_by: str
    set_at: datetime


class ComplianceCellOut(Schema):
    qualification: str
    current: int
    officers: int
    percent: int


class ComplianceTeamOut(Schema):
    team: str
    modules: list[ComplianceCellOut | None]


class OverdueOut(Schema):
    officer: str
    name: str
    team: str
    qualification: str
    since: date | None


class TrendPointOut(Schema):
    month: date
    current: int
    officers: int
    percent: int


class ComplianceReportOut(Schema):
    on: date
    modules: list[str]
    force: list[ComplianceCellOut | None]
    teams: list[ComplianceTeamOut]
    overdue: list[OverdueOut]
    trend: list[TrendPointOut]


class OfficerLoadOut(Schema):
    officer: str
    name: str
    cases: int
    enquiries: int
    deadlines: int


class TeamCapacityOut(Schema):
    team: str
    posts: int | None
    in_post: int
    signed_off: int
    in_training: int
    officers: list[OfficerLoadOut]


class CapacityOut(Schema):
    teams: list[TeamCapacityOut]
