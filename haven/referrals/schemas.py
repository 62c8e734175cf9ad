"""Referrals' input models (every field rule of its writes) and the API's output schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator

from haven.core.operations import Input
from haven.core.types import Line, Says, Text
from haven.referrals.choices import (
    ConcernCategory,
    Decision,
    LawfulBasis,
    OfficerGrade,
    PersonRole,
    Rag,
    ReferralState,
    StrategyOutcome,
)

LongText = Annotated[str, Text(20_000)]

# --- Input ------------------------------------------------------------------------------------------


class ReferralStartIn(Input):
    """Start a draft referral about a child (more children and household members are added to the draft).
    From a case or a missing episode, give its id: the referral is linked to it."""

    child: Annotated[UUID, Says("the child", required="Choose the child the concern is about")]
    case: Annotated[UUID | None, Says("the case")] = None
    episode: Annotated[UUID | None, Says("the missing episode")] = None


class ReferralDraftIn(Input):
    """What the officer writes. A draft may be saved with any of it missing; submitting needs all of it
    (the voice of the child above all: S-01)."""

    categories: Annotated[list[ConcernCategory], Says("the kinds of concern")] = Field(default_factory=list)
    narrative: Annotated[LongText, Says("what happened")] = ""
    perpetrator_description: Annotated[str, Text(5_000), Says("the alleged perpetrator")] = ""
    child_seen: Annotated[bool | None, Says("whether the child was seen")] = None
    child_spoken_to: Annotated[bool | None, Says("whether the child was spoken to")] = None
    child_words: Annotated[LongText, Says("what the child said")] = ""
    child_demeanour: Annotated[LongText, Says("the child's behaviour and demeanour")] = ""
    child_not_seen_reason: Annotated[str, Text(5_000), Says("why the child was not seen or spoken to")] = ""
    officer_grade: Annotated[OfficerGrade | None, Says("your view of the risk")] = None
    immediate_actions: Annotated[LongText, Says("what you did straight away")] = ""


class ReferralSubmitIn(Input):
    """Submit a draft to the CRSU. Nothing to give: what is submitted is the draft as saved."""


class PersonAddIn(Input):
    person: Annotated[UUID, Says("the person", required="Choose a person from the register")]
    role: Annotated[PersonRole, Says("how they are involved")]


class CorrectionIn(Input):
    text: Annotated[str, Text(5_000, min_length=1), Says("the correction")]


class AllocateIn(Input):
    officer: Annotated[
        str, Line(200, min_length=1), Says("the CRSU officer", required="Enter the name of the CRSU officer")
    ]


class RateIn(Input):
    rag: Annotated[Rag, Says("the rating")]
    reason: Annotated[str, Text(2_000)] = ""


class ResearchNoteIn(Input):
    source: Annotated[str, Line(200, min_length=1), Says("where the information came from")]
    text: Annotated[str, Text(20_000, min_length=1), Says("what the research found")]


class ReviewIn(Input):
    note: Annotated[str, Text(5_000, min_length=1), Says("your review")]
    grade: Annotated[OfficerGrade | None, Says("the risk grade")] = None


class DecideIn(Input):
    """S-04: share or not, and always the lawful basis and the reason."""

    decision: Annotated[Decision, Says("whether to share")]
    lawful_basis: Annotated[LawfulBasis, Says("the lawful basis")] = Field(
        description="`not_necessary` is a reason not to share: with `share`, give another."
    )
    reason: Annotated[str, Text(5_000, min_length=1), Says("the reason for the decision")]
    agency: Annotated[str, Line(64), Says("the partner agency")] = Field(
        "",
        validate_default=True,
        description="The Haven id of the partner agency (haven.partners) to share with: required with `share`.",
    )
    include_restricted: Annotated[bool, Says("whether restricted information is shared")] = False

    @field_validator("agency")
    @classmethod
    def _share_names_agency(cls, agency: str, info: ValidationInfo) -> str:
        decision = info.data.get("decision")
        if decision == Decision.SHARE and not agency:
            raise ValueError("Enter the partner agency to share with")
        if decision == Decision.SHARE and info.data.get("lawful_basis") == LawfulBasis.NOT_NECESSARY:
            raise ValueError("Choose a lawful basis for sharing: 'not necessary' is a reason not to share")
        return agency


class ApproveIn(Input):
    note: Annotated[str, Text(2_000)] = ""


class StrategyIn(Input):
    """S-03: a strategy discussion. The ICPC due date follows from the date (15 working days)."""

    held_on: Annotated[date, Says("the date of the discussion")]
    attendees: Annotated[str, Text(5_000, min_length=1), Says("who took part")]
    agencies: Annotated[
        list[Annotated[str, Line(200, min_length=1)]],
        Says("the agencies", required="Name at least one agency that took part"),
    ] = Field(min_length=1)
    outcome: Annotated[StrategyOutcome, Says("the outcome")]
    decision: Annotated[str, Text(5_000, min_length=1), Says("what was decided")]
    icpc: Annotated[bool, Says("whether a child protection conference is to be held")] = False
    referrals: Annotated[list[UUID], Says("the referrals discussed")] = Field(default_factory=list)
    case: Annotated[UUID | None, Says("the case")] = None


# --- Output -----------------------------------------------------------------------------------------


class ReferralPersonOut(Schema):
    person: UUID
    name: str
    role: PersonRole


class ReferralEntryOut(Schema):
    kind: str
    at: datetime
    author: str | None
    text: str


class ReferralOut(Schema):
    id: UUID
    reference: str
    state: ReferralState
    raised_by: str
    case: UUID | None
    categories: list[ConcernCategory]
    narrative: str
    perpetrator_description: str
    child_seen: bool | None
    child_spoken_to: bool | None
    child_words: str
    child_demeanour: str
    child_not_seen_reason: str
    officer_grade: OfficerGrade | None
    immediate_actions: str
    submitted_at: datetime | None
    allocated_to: str | None
    rag: Rag | None
    share_by: datetime | None
    reviewed_at: datetime | None
    decided_at: datetime | None
    shared_at: datetime | None
    people: list[ReferralPersonOut]
    entries: list[ReferralEntryOut]


class QueueRowOut(Schema):
    id: UUID
    reference: str
    state: ReferralState
    rag: Rag | None
    officer_grade: OfficerGrade | None
    submitted_at: datetime | None
    waited_minutes: int
    allocated_to: str | None
    awaiting_approval: bool


class QueueOut(Schema):
    backlog: int
    trend: list[dict[str, Any]]
    rows: list[QueueRowOut]


class StrategyOut(Schema):
    id: UUID
    held_on: date
    attendees: str
    agencies: list[str]
    outcome: StrategyOutcome
    decision: str
    icpc: bool
    icpc_due: date | None
    referrals: list[str]


# --- The manager's report: time from raised to shared ---------------------------------------------------


class ReportWeekOut(Schema):
    """One week's figures (Monday to Sunday, UK time; the last week so far)."""

    week: date = Field(description="The week's Monday (UK).")
    raised: int = Field(description="Referrals submitted to the CRSU in the week.")
    shared: int = Field(description="Referrals shared with a partner agency in the week.")
    median_minutes: int | None = Field(
        description="Median minutes from submitted to shared, over those shared in the week; null if none was."
    )
    p90_minutes: int | None = Field(
        description="90th percentile minutes from submitted to shared (interpolated, as PostgreSQL's "
        "percentile_cont), over those shared in the week; null if none was."
    )
    breaches: int = Field(
        description="Referrals whose share-by time fell in the week and passed before they were shared or "
        "decided not to share (including those still waiting)."
    )
    backlog: int = Field(
        description="Referrals submitted and not yet shared or decided at the end of the week (the last week: now)."
    )


class ReportTeamOut(Schema):
    team: str = Field(description="The name of the team of the officer who raised the referrals ('No team').")
    code: str = Field(description="The team's code ('' for no team); give it as ?team= to see only its referrals.")
    total: ReportWeekOut = Field(description="Over every week of the report (week: the first Monday); backlog: now.")
    weeks: list[ReportWeekOut] = Field(description="Week by week, oldest first.")


class ReportOut(Schema):
    """Counts and times only: no child, person or case."""

    at: datetime = Field(description="When the figures were counted.")
    team: str = Field(description="The team chosen with ?team= (its code); '' for the whole force.")
    weeks: list[ReportWeekOut] = Field(description="The force's (or the team chosen's) figures, oldest week first.")
    total: ReportWeekOut = Field(description="The same over every week of the report; backlog: now.")
    teams: list[ReportTeamOut] = Field(description="Each team that raised referrals counted in the report.")
