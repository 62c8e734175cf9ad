"""Missing episodes' input models (every field rule of their writes, written once) and the API's
output schemas, which read from the episode objects themselves (``from_attributes``).

The numbered rules (M-01..M-16) that depend on the child, the episode or force policy stay in
``haven.missing.services``; what is here needs nothing but the values given: lengths, plain text,
choices, required answers, and times that must be real and in the past (or the future).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any, ClassVar
from uuid import UUID

from ninja import Field, Schema
from pydantic import BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from haven.core import clock
from haven.core.operations import Input
from haven.core.types import Line, Moment, PhoneNumber, Says, Text, Username
from haven.missing import rules
from haven.missing.choices import (
    CraDecision,
    EnquiryPriority,
    EnquiryStatus,
    EnquiryType,
    EpisodeState,
    ExploitationOutcome,
    InterviewMode,
    MissingFrom,
    Obligation,
    ReasonMissing,
    RhiStatus,
    RiskGrade,
    WhereFound,
)
from haven.missing.models import PreventionInterview, ReturnHomeInterview
from haven.people.schemas import PhotoUpload

TEXT_MAX = 10_000
REASON_MAX = 2_000
PLACE_MAX = 300
NAME_MAX = 200
REFERENCE_MAX = 64
MAX_SOURCES = 50
MAX_CONTACTS = 5
CLOCK_SKEW = timedelta(minutes=5)
"""A time "now" typed on another device may run a little ahead of Haven's clock."""


# --- Shared parts ---------------------------------------------------------------------------------------


def _blank_is_none(value: Any) -> Any:
    """A question left blank on a page comes as "": for an optional answer that is no answer."""
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(_blank_is_none)


def _one_line_break(value: Any) -> Any:
    """Lines as a browser's text area sends them (CR LF) kept as one line break each, as an address is."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


@dataclass(frozen=True)
class InThePast(Says):
    """A moment no later than now (give or take a device's clock), called ``what`` in messages:
    ``Annotated[Moment, InThePast("the date the child was last seen")]``. None (no answer) passes."""

    when: ClassVar[str] = "past"
    documented: ClassVar[str] = "Not in the future (a few minutes' difference between clocks allowed)."

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The document says it, as the validator applies it (the years are the Moment's pattern)."""
        found = handler(schema)
        found["description"] = " ".join(filter(None, (found.get("description", ""), self.documented)))
        return found

    def _check(self, value: datetime | None) -> datetime | None:
        if value is not None and not self.fits(value, clock.now()):
            raise ValueError(f"{self.what[:1].upper()}{self.what[1:]} must be in the {self.when}")
        return value

    def fits(self, value: datetime, now: datetime) -> bool:
        return value <= now + CLOCK_SKEW


@dataclass(frozen=True)
class InTheFuture(InThePast):
    """A moment after now (a review or a due time still to come)."""

    when: ClassVar[str] = "future"
    documented: ClassVar[str] = "After now."

    def fits(self, value: datetime, now: datetime) -> bool:
        return value > now


MaybeUsername = Annotated[Username | None, Blank]
IdempotencyKey = Annotated[
    Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]{1,100}$")] | None,
    Blank,
    Says("the idempotency key", invalid="Use 1 to 100 printable characters without spaces"),
]


# --- Report ---------------------------------------------------------------------------------------------


class EpisodeReportIn(Input):
    """A child reported missing: the call, when and where last seen, what happened, how to recognise them,
    how to reach them, and what the register should know of them (looked after, Philomena, placement,
    phone numbers and accounts: kept on the child's record, with its change history)."""

    child: Annotated[UUID, Says("the child", invalid="Give the child's Haven id")] = Field(
        description="The public id of the child (find or create them with /api/v1/people)."
    )
    informant_name: Annotated[str, Line(NAME_MAX, min_length=1), Says("the name of the person reporting")]
    informant_relationship: Annotated[str, Line(100), Says("their relationship to the child")] = ""
    informant_contact: Annotated[str, Line(NAME_MAX), Says("their contact details")] = ""
    called_at: Annotated[Moment | None, Blank, InThePast("the date of the call")] = Field(
        default=None,
        description="When the person reporting called (shown as 'Reported'); omit for now. Not before the child "
        "was last seen.",
    )
    last_seen_at: Annotated[Moment, InThePast("the date the child was last seen")]
    last_seen_where: Annotated[str, Line(PLACE_MAX, min_length=1), Says("where the child was last seen")]
    last_seen_by: Annotated[str, Line(NAME_MAX), Says("who last saw the child")] = ""
    missing_from: Annotated[
        MissingFrom,
        Says(
            "where the child went missing from",
            required="Select where the child went missing from",
            invalid="Select where the child went missing from, from the list",
        ),
    ]
    circumstances: Annotated[str, Text(TEXT_MAX, min_length=1), Says("the circumstances")]
    out_of_character: Annotated[bool | None, Blank, Says("whether this is out of character")] = None
    clothing: Annotated[str, Text(TEXT_MAX), Says("the clothing")] = ""
    height: Annotated[str, Line(100), Says("the height")] = ""
    build: Annotated[str, Line(100), Says("the build")] = ""
    hair: Annotated[str, Line(200), Says("the hair")] = ""
    features: Annotated[str, Text(TEXT_MAX), Says("the distinguishing features")] = ""
    phone_numbers: Annotated[list[PhoneNumber], Says("the child's phone numbers")] = Field(
        default_factory=list, max_length=MAX_CONTACTS, description="The child's phone numbers (kept on their record)."
    )
    social_media: Annotated[list[Annotated[str, Line(200)]], Says("the child's social-media accounts")] = Field(
        default_factory=list,
        max_length=MAX_CONTACTS,
        description="The child's accounts as 'Platform: handle' (kept on their record).",
    )
    photo: PhotoUpload = Field(
        default=None,
        description="A recent photograph, base64 (JPEG, PNG or WebP under 5 MB): it becomes the photo on the "
        "child's record. Omit to keep the record's photo.",
    )
    risks_to_finder: Annotated[str, Text(TEXT_MAX), Says("the risks to whoever finds the child")] = Field(
        default="",
        description="What an officer who finds the child should know: violence, weapons, self-harm, illness.",
    )
    looked_after: Annotated[bool | None, Blank, Says("whether the child is looked after")] = Field(
        default=None, description="Omit to take it from the child's current flags (M-13); given, it updates them."
    )
    responsible_authority: Annotated[str, Line(NAME_MAX), Says("the responsible local authority")] = ""
    host_authority: Annotated[str, Line(NAME_MAX), Says("the host local authority")] = ""
    philomena_exists: Annotated[bool | None, Blank, Says("whether a Philomena form exists")] = None
    placement_address: Annotated[
        str, BeforeValidator(_one_line_break), Text(PLACE_MAX * 3), Says("the placement's address")
    ] = Field(
        default="",
        description="Missing from a children's home or foster placement: its address (kept on the child's record).",
    )
    source_reference: Annotated[str, Line(REFERENCE_MAX), Says("the source reference")] = ""
    area: Annotated[str, Line(100), Says("the area")] = Field(
        default="",
        description="The policing area (force policy) whose team queue the report lands in; omit: the first.",
    )
    idempotency_key: IdempotencyKey = Field(
        default=None, description="Or the Idempotency-Key header: a retry returns the same episode."
    )


# --- Risk assessment and obligations --------------------------------------------------------------------


class InformationSourceIn(Input):
    """One information source of a risk assessment (M-02): every part is needed."""

    information: Annotated[str, Text(TEXT_MAX, min_length=1), Says("the information given")]
    provider_name: Annotated[str, Line(NAME_MAX, min_length=1), Says("who gave the information")]
    provider_contact: Annotated[str, Line(NAME_MAX, min_length=1), Says("how to contact who gave it")]
    obtained_at: Annotated[Moment, InThePast("the date the information was given")]


Sources = Annotated[
    list[InformationSourceIn],
    Says(
        "the information sources",
        required="Record at least one information source: what was said, by whom, their contact and when",
    ),
]


class RiskAssessmentIn(Input):
    grade: Annotated[RiskGrade, Says("the risk grade")]
    rationale: Annotated[str, Text(TEXT_MAX, min_length=1), Says("the rationale for the grade")]
    sources: Sources = Field(min_length=1, max_length=MAX_SOURCES, description="M-02: at least one.")
    next_review_due: Annotated[Moment | None, Blank, InTheFuture("the date of the next review")] = None
    agreed_actions: Annotated[str, Text(TEXT_MAX), Says("the actions agreed")] = ""
    floor_override_reason: Annotated[str, Text(TEXT_MAX), Says("the reason for the override")] = ""
    cra_decision: Annotated[CraDecision | None, Blank, Says("the Child Rescue Alert decision")] = None
    cra_reason: Annotated[str, Text(TEXT_MAX), Says("the reason for the Child Rescue Alert decision")] = ""


class ObligationRecordIn(Input):
    obligation: Annotated[Obligation, Says("what you are recording")]
    at: Annotated[Moment | None, Blank, InThePast("the date it was done")] = Field(
        default=None, description="Omit for now."
    )
    officer: Annotated[MaybeUsername, Says("the officer's username")] = Field(
        default=None, description="Senior manager or investigating officer (username)."
    )
    note: Annotated[str, Text(TEXT_MAX), Says("the media strategy decision")] = Field(
        default="", description="The media strategy decision."
    )


class CraRecordIn(Input):
    decision: Annotated[CraDecision, Says("the Child Rescue Alert decision")]
    reason: Annotated[str, Text(TEXT_MAX, min_length=1), Says("the reason for the decision")]


# --- Enquiries ------------------------------------------------------------------------------------------


class EnquiryRaiseIn(Input):
    type: Annotated[EnquiryType, Says("the type of enquiry")]
    description: Annotated[str, Text(TEXT_MAX, min_length=1), Says("what needs to be done")]
    due_at: Annotated[Moment | None, Blank, InTheFuture("the date it is due")] = Field(
        default=None,
        description="Omit for the priority's due time (force policy: by default Immediate 1 h, Urgent 4 h, "
        "Routine 24 h after it is raised).",
    )
    priority: Annotated[EnquiryPriority, Says("the priority")] = EnquiryPriority.ROUTINE
    allocated_to: Annotated[MaybeUsername, Says("the username to allocate it to")] = None


MAX_ENQUIRIES = 20


class EnquiriesRaiseIn(Input):
    """Several enquiries raised at once: all are raised, or none (a bad row refuses the lot)."""

    enquiries: Annotated[
        list[EnquiryRaiseIn],
        Says("the enquiries", required="Enter at least one enquiry: its type and what is to be done"),
    ] = Field(min_length=1, max_length=MAX_ENQUIRIES, description="Each as the single enquiry's body.")


class EnquiryAllocateIn(Input):
    to_user: Annotated[Username, Says("the username to allocate it to")]


class EnquiryResultIn(Input):
    result: Annotated[str, Text(TEXT_MAX, min_length=1), Says("the result of the enquiry")]


class EnquiryCancelIn(Input):
    reason: Annotated[str, Text(REASON_MAX, min_length=1), Says("why the enquiry is cancelled")]


class PlanActionsRaiseIn(Input):
    actions: Annotated[list[int], Says("the actions", required="Select at least one trigger-plan action")] = Field(
        min_length=1, max_length=100, description="Positions (from 0) of the child's trigger-plan actions to raise."
    )


# --- Supervision, found, interviews ---------------------------------------------------------------------


class SupervisorReviewIn(Input):
    decision: Annotated[str, Text(TEXT_MAX, min_length=1), Says("your decision and direction")]
    grade_confirmed: bool = True
    next_review_due: Annotated[Moment | None, Blank, InTheFuture("the date of the next review")] = None


class EpisodeFoundIn(Input):
    found_at: Annotated[Moment, InThePast("the date the child was found")]
    found_where: Annotated[str, Line(PLACE_MAX, min_length=1), Says("where the child was found")]
    found_where_code: Annotated[WhereFound, Says("the kind of place")]
    found_by: Annotated[str, Line(NAME_MAX, min_length=1), Says("who found the child")]
    condition: Annotated[str, Text(TEXT_MAX, min_length=1), Says("the child's condition")]
    far_from_home: bool = False
    with_adults_of_concern: bool = False
    rhi_authority: Annotated[str, Line(NAME_MAX), Says("the local authority")] = Field(
        default="", description="M-12: defaults to the responsible authority."
    )
    rhi_recipient: Annotated[str, Line(254), Says("who at the authority is told")] = Field(
        default="", description="M-12: who at the authority is told."
    )
    rhi_channel: Annotated[str, Line(32), Says("how the authority is told")] = "secure e-mail"


class PreventionInterviewIn(Input):
    done_at: Annotated[Moment, InThePast("the date of the interview")]
    mode: Annotated[InterviewMode, Says("how the interview was done")]
    why_went: Annotated[str, Text(TEXT_MAX, min_length=1), Says("why the child went missing")]
    what_happened: Annotated[str, Text(TEXT_MAX, min_length=1), Says("what happened while they were away")]
    harm_or_crime: Annotated[str, Text(TEXT_MAX), Says("the harm, disclosures or crimes")] = ""
    with_whom: Annotated[str, Text(TEXT_MAX), Says("who they were with")] = ""
    safeguarding_referrals: Annotated[str, Text(TEXT_MAX), Says("the safeguarding referrals")] = ""


class PreventionWaiveIn(Input):
    reason: Annotated[str, Text(REASON_MAX, min_length=1), Says("why no prevention interview was possible")]


class ReturnInterviewIn(Input):
    status: Annotated[RhiStatus, Says("what happened to the return home interview")]
    offered_at: Annotated[Moment | None, Blank, InThePast("the date it was offered")] = None
    completed_at: Annotated[Moment | None, Blank, InThePast("the date it was done")] = None
    interviewer: Annotated[str, Line(NAME_MAX), Says("who did the interview")] = ""
    reason: Annotated[str, Text(TEXT_MAX), Says("why it was declined or not done")] = ""
    themes: Annotated[str, Text(TEXT_MAX), Says("the themes")] = ""


class ExploitationRecordIn(Input):
    outcome: Annotated[ExploitationOutcome, Says("what was done")]
    note: Annotated[str, Text(TEXT_MAX, min_length=1), Says("the reasoning")]


# --- Ending ---------------------------------------------------------------------------------------------


class EpisodeCloseIn(Input):
    reason_missing: Annotated[ReasonMissing, Says("why the child went missing")]
    reason: Annotated[str, Text(REASON_MAX, min_length=1), Says("the closing summary")]
    override_reason: Annotated[
        str, Text(REASON_MAX), Says("why the episode may close with the review or notice outstanding")
    ] = Field(
        default="",
        description="A supervisor's reason for closing while an exploitation review (M-16) or the children's "
        "services notification (M-07) is outstanding; refused otherwise.",
    )


class EpisodeCancelIn(Input):
    reason: Annotated[str, Text(REASON_MAX, min_length=1), Says("why the child is not missing after all")]


class EpisodeEscalateIn(Input):
    crime_reference: Annotated[str, Line(REFERENCE_MAX, min_length=1), Says("the crime reference")]
    reason: Annotated[str, Text(REASON_MAX, min_length=1), Says("why it is escalated")]


class FoundDeceasedIn(Input):
    found_at: Annotated[Moment, InThePast("the date the child was found")]
    found_where: Annotated[str, Line(PLACE_MAX, min_length=1), Says("where the child was found")]
    reason: Annotated[str, Text(REASON_MAX, min_length=1), Says("the circumstances")]


class SightingIn(Input):
    """A sighting of a missing child, or information about where they are, from any operational officer."""

    seen_at: Annotated[Moment, InThePast("the date the child was seen")]
    where: Annotated[str, Line(PLACE_MAX, min_length=1), Says("where the child was seen")]
    information: Annotated[str, Text(TEXT_MAX, min_length=1), Says("what was seen")] = Field(
        description="Who they were with, how they seemed, which way they went."
    )
    source: Annotated[str, Line(NAME_MAX), Says("who saw them")] = Field(
        default="", description="Who saw them or gave the information, if not the officer recording it."
    )


class SightingReportIn(SightingIn):
    """A sighting of a child named by the officer: for a child whose episode they cannot open (restricted)
    or did not find among those missing now. The answer never says whether the name matched."""

    child_name: Annotated[str, Line(NAME_MAX, min_length=1), Says("the child's full name")]
    date_of_birth: Annotated[date | None, Blank, Says("the child's date of birth")] = Field(
        default=None, description="If known: narrows the match."
    )


# --- Output ---------------------------------------------------------------------------------------------


class UserRef(Schema):
    username: str
    name: str = Field(alias="rank_and_name")


class SourceOut(Schema):
    information: str
    provider_name: str
    provider_contact: str
    obtained_at: datetime


class AssessmentOut(Schema):
    id: UUID = Field(alias="public_id")
    grade: RiskGrade
    vocabulary_version: str = Field(description="M-01: the risk vocabulary the grade was chosen from.")
    rationale: str
    assessed_by: UserRef
    assessed_at: datetime
    next_review_due: datetime
    agreed_actions: str
    floor_override_reason: str
    sources: list[SourceOut]

    @staticmethod
    def resolve_sources(obj: Any) -> list[Any]:
        return list(obj.sources.all())


class EnquiryOut(Schema):
    id: UUID = Field(alias="public_id")
    episode: UUID = Field(alias="episode.public_id")
    type: EnquiryType
    description: str
    priority: EnquiryPriority
    status: EnquiryStatus
    raised_by: UserRef
    raised_at: datetime
    allocated_to: UserRef | None
    due_at: datetime
    overdue: bool = Field(alias="is_overdue")
    result: str
    completed_by: UserRef | None
    completed_at: datetime | None
    cancel_reason: str
    from_plan: bool


class ReviewOut(Schema):
    id: UUID = Field(alias="public_id")
    reviewer: UserRef
    reviewed_at: datetime
    grade_confirmed: bool
    decision: str
    next_review_due: datetime


class PreventionOut(Schema):
    done_at: datetime
    done_by: UserRef
    mode: InterviewMode
    why_went: str
    what_happened: str
    harm_or_crime: str
    with_whom: str
    safeguarding_referrals: str


class RhiOut(Schema):
    authority: str
    recipient: str
    channel: str
    requested_at: datetime
    due_at: datetime
    status: RhiStatus
    offered_at: datetime | None
    completed_at: datetime | None
    interviewer: str
    reason: str
    themes: str


class EpisodeOut(Schema):
    id: UUID = Field(alias="public_id")
    case_id: UUID = Field(
        alias="case.public_id", description="The episode's case: handover (M-10) and notes are on /api/v1/cases."
    )
    reference: str = Field(alias="case.reference")
    child: dict[str, Any] = Field(description="id and name of the child")
    state: EpisodeState
    grade: RiskGrade | None
    reported_at: datetime
    last_seen_at: datetime
    last_seen_where: str
    missing_from: MissingFrom
    next_review_due: datetime | None
    found_at: datetime | None
    owner: UserRef = Field(alias="case.owner")
    briefing_only: bool = Field(
        False,
        description="True when you may read only its briefing (/briefing) and record sightings: another team's case.",
    )

    @staticmethod
    def resolve_child(obj: Any) -> dict[str, str]:
        return {"id": str(obj.child.public_id), "name": obj.child.full_name}

    @staticmethod
    def resolve_grade(obj: Any) -> str | None:
        return obj.grade or None


class EpisodeDetailOut(EpisodeOut):
    informant_name: str
    informant_relationship: str
    informant_contact: str
    called_at: datetime | None = Field(description="When the person reporting called ('Reported').")
    last_seen_by: str
    circumstances: str
    out_of_character: bool | None
    height: str
    build: str
    hair: str
    features: str
    clothing: str
    phone_numbers: list[str]
    social_media: list[str]
    risks_to_finder: str
    placement_address: str
    looked_after: bool
    responsible_authority: str
    host_authority: str
    philomena_exists: bool | None
    philomena_obtained_at: datetime | None
    pnc_circulated_at: datetime | None
    ukmpu_notified_at: datetime | None
    childrens_services_notified_at: datetime | None
    senior_manager_involved_at: datetime | None
    investigating_officer: UserRef | None
    media_strategy: str
    cra_decision: CraDecision | None
    cra_reason: str
    outstanding_obligations: list[Obligation] = Field(description="M-07: what a high-risk episode still lacks.")
    found_where: str
    found_where_code: WhereFound | None
    found_by: str
    found_condition: str
    exploitation_prompt: str = Field(description="M-16: why an exploitation review is prompted (empty: none).")
    exploitation_outcome: ExploitationOutcome | None
    prevention_waived_reason: str
    reason_missing: ReasonMissing | None
    end_reason: str
    crime_reference: str
    close_override_reason: str = Field(
        description="Why a supervisor closed it with an exploitation review or children's services notice outstanding."
    )
    close_blockers: list[str] = Field(description="Why the episode cannot close yet (M-11, M-16, M-07).")
    assessments: list[AssessmentOut]
    enquiries: list[EnquiryOut]
    reviews: list[ReviewOut]
    prevention_interview: PreventionOut | None
    return_interview: RhiOut | None

    @staticmethod
    def resolve_cra_decision(obj: Any) -> str | None:
        return obj.cra_decision or None

    @staticmethod
    def resolve_found_where_code(obj: Any) -> str | None:
        return obj.found_where_code or None

    @staticmethod
    def resolve_exploitation_outcome(obj: Any) -> str | None:
        return obj.exploitation_outcome or None

    @staticmethod
    def resolve_reason_missing(obj: Any) -> str | None:
        return obj.reason_missing or None

    @staticmethod
    def resolve_outstanding_obligations(obj: Any) -> list[str]:
        return [o.value for o in rules.outstanding_obligations(obj)]

    @staticmethod
    def resolve_close_blockers(obj: Any) -> list[str]:
        return rules.close_blockers(obj) if obj.state == EpisodeState.FOUND else []

    @staticmethod
    def resolve_assessments(obj: Any) -> list[Any]:
        return list(obj.assessments.select_related("assessed_by").prefetch_related("sources"))

    @staticmethod
    def resolve_enquiries(obj: Any) -> list[Any]:
        return list(obj.enquiries.select_related("episode", "raised_by", "allocated_to", "completed_by"))

    @staticmethod
    def resolve_reviews(obj: Any) -> list[Any]:
        return list(obj.reviews.select_related("reviewer"))

    @staticmethod
    def resolve_prevention_interview(obj: Any) -> Any:
        return PreventionInterview.objects.filter(episode=obj).select_related("done_by").first()

    @staticmethod
    def resolve_return_interview(obj: Any) -> Any:
        return ReturnHomeInterview.objects.filter(episode=obj).first()


class SightingOut(Schema):
    id: UUID = Field(alias="public_id")
    episode: UUID = Field(alias="episode.public_id")
    seen_at: datetime
    where: str
    information: str
    source: str
    recorded_by: UserRef
    recorded_at: datetime


class BriefingOut(Schema):
    """What every operational officer may read of a child missing now, to help find them."""

    id: UUID = Field(alias="public_id")
    reference: str = Field(alias="case.reference")
    child: dict[str, Any] = Field(description="id, name, age and description of the child")
    grade: RiskGrade | None
    last_seen_at: datetime
    last_seen_where: str
    clothing: str
    risks_to_finder: str = Field(description="What an officer who finds the child should know.")
    owner: UserRef = Field(alias="case.owner", description="Who to tell: the officer who owns the episode.")
    team: str | None = Field(alias="case.team.name", default=None)
    plan_actions: list[str] = Field(description="What the child's trigger plan says to do.")
    sightings: list[SightingOut]

    @staticmethod
    def resolve_child(obj: Any) -> dict[str, Any]:
        child = obj.child
        described = [
            f"{label} {value}"
            for label, value in (("Height", obj.height), ("Build", obj.build), ("Hair", obj.hair))
            if value
        ]
        if obj.features:
            described.append(obj.features)
        return {
            "id": str(child.public_id),
            "name": child.full_name,
            "age": child.age,
            "description": ". ".join(described) or getattr(child, "description", ""),
        }

    @staticmethod
    def resolve_grade(obj: Any) -> str | None:
        return obj.grade or None

    @staticmethod
    def resolve_plan_actions(obj: Any) -> list[str]:
        return [getattr(a, "shown", a.text) for a in getattr(obj, "plan_actions", [])]

    @staticmethod
    def resolve_sightings(obj: Any) -> list[Any]:
        return list(obj.sightings.select_related("recorded_by", "recorded_by__rank", "episode"))


class SightingReceivedOut(Schema):
    """The same answer whether or not the name matched a child missing now (nothing is revealed)."""

    message: str
