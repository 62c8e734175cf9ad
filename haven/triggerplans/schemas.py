"""Trigger plans' input models (every field rule of the three writes) and the API's output schemas,
which read from the plan objects themselves (``from_attributes``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ValidationInfo, field_validator

from haven.core.operations import Input
from haven.core.types import Line, Says, Text
from haven.missing.choices import EnquiryType
from haven.triggerplans import rules
from haven.triggerplans.choices import TARGET_WORDS, ActionKind, PlanStatus, VersionKind

MAX_ACTIONS = 50
MAX_AGENCIES = 30
MAX_THRESHOLDS = 30

# --- Input ----------------------------------------------------------------------------------------------


class PlanActionIn(Input):
    """One directive action. Each names a place, person or contact (M-15, checked by the service
    over the whole plan); "Other" needs at least a target or instructions."""

    kind: Annotated[ActionKind, Says("the kind of action")]
    person: Annotated[UUID | None, Says("the Haven id of the person named")] = Field(
        None, description="The public id of the person the action names, if recorded."
    )
    target: Annotated[str, Line(500), Says("what the action names")] = ""
    instructions: Annotated[str, Text(2_000)] = ""
    enquiry_type: Annotated[EnquiryType | Literal[""], Says("the enquiry type")] = Field(
        "", description="A haven.missing EnquiryType value; '' for the usual one for this kind of action."
    )

    @field_validator("target")
    @classmethod
    def _names_something(cls, target: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if kind not in (None, ActionKind.OTHER) and not target and info.data.get("person") is None:
            raise ValueError(f"Enter {TARGET_WORDS[kind]}")
        return target

    @field_validator("instructions")
    @classmethod
    def _says_what_to_do(cls, instructions: str, info: ValidationInfo) -> str:
        if info.data.get("kind") == ActionKind.OTHER and not (info.data.get("target") or instructions):
            raise ValueError("Say what is to be done")
        return instructions


Agencies = Annotated[
    list[Annotated[str, Line(200, min_length=1)]],
    Says("the agencies involved", required="Name at least one agency involved in the plan"),
]
Thresholds = Annotated[list[Annotated[str, Line(500, min_length=1)]], Says("what raises the risk grade")]
Actions = Annotated[list[PlanActionIn], Says("the actions")]


class PlanContentIn(Input):
    agencies: Agencies = Field(min_length=1, max_length=MAX_AGENCIES, description="The agencies involved.")
    thresholds: Thresholds = Field(default_factory=list, max_length=MAX_THRESHOLDS)
    review_date: Annotated[date, Says("the review date")]
    actions: Actions = Field(
        max_length=MAX_ACTIONS,
        description="Directive actions: at least one must name a place, person or contact (M-15).",
    )


class PlanCreateIn(PlanContentIn):
    note: Annotated[str, Text(5_000)] = ""


Version = Annotated[int, Says("the version")]


class PlanReviseIn(PlanContentIn):
    version: Version = Field(ge=1, le=2_147_483_647, description="The current version number you read.")
    note: Annotated[str, Text(5_000, min_length=1), Says("what changed and why")] = Field(
        description="What changed and why."
    )


class PlanReviewIn(Input):
    version: Version = Field(ge=1, le=2_147_483_647, description="The current version number you read.")
    review_date: Annotated[date, Says("the next review date")]
    note: Annotated[str, Text(5_000, min_length=1), Says("what the review found")] = Field(
        description="What the review found."
    )


class FlagEndIn(Input):
    reason: Annotated[str, Text(5_000, min_length=1), Says("why the flag ends")] = Field(
        description="Why the child is no longer flagged as repeat missing (e.g. agreed at the DMM)."
    )


# --- Output ---------------------------------------------------------------------------------------------


class TriggerPlanPerson(Schema):
    id: UUID = Field(alias="public_id")
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


class TriggerPlanUser(Schema):
    username: str
    name: str = Field(alias="rank_and_name")


class TriggerPlanActionOut(Schema):
    position: int
    kind: ActionKind
    target: str = Field(description="The address, place, person, number, account or who to tell.")
    person: TriggerPlanPerson | None = Field(description="The named person's register record, if linked.")
    instructions: str
    enquiry_type: str = Field(description="The haven.missing enquiry type it is offered as ('' for none).")
    text: str = Field(description="One line, as offered as an enquiry.")


class TriggerPlanVersionSummary(Schema):
    number: int
    kind: VersionKind
    at: datetime
    author: TriggerPlanUser
    review_date: date
    superseded_at: datetime | None


class TriggerPlanVersionOut(TriggerPlanVersionSummary):
    agencies: list[str]
    thresholds: list[str]
    note: str
    current: bool = Field(alias="is_current")
    actions: list[TriggerPlanActionOut]

    @staticmethod
    def resolve_actions(obj: Any) -> list[Any]:
        return list(obj.actions.all())


class TriggerPlanOut(Schema):
    id: UUID = Field(alias="public_id")
    case_id: UUID = Field(alias="case.public_id")
    case_reference: str = Field(alias="case.reference")
    child: TriggerPlanPerson = Field(alias="case.subject")
    owner: TriggerPlanUser = Field(alias="case.owner")
    status: PlanStatus
    current: TriggerPlanVersionOut | None

    @staticmethod
    def resolve_status(obj: Any) -> str:
        from haven.triggerplans import selectors

        review = obj.current.review_date if obj.current else None
        return rules.status_for(review, today=selectors.today())


class TriggerPlanDetailOut(TriggerPlanOut):
    versions: list[TriggerPlanVersionSummary]

    @staticmethod
    def resolve_versions(obj: Any) -> list[Any]:
        from haven.triggerplans import selectors

        return list(selectors.plan_versions(plan=obj))


class RepeatMissingFlagOut(Schema):
    raised_at: datetime
    episodes: int
    threshold: int
    window_days: int


class ChildPlanOut(Schema):
    child: TriggerPlanPerson
    status: PlanStatus = Field(description="none, current or out_of_date (past the review date).")
    repeat_missing: RepeatMissingFlagOut | None = Field(description="The child's repeat-missing flag (M-14).")
    exploitation_prompt: str | None = Field(description="M-16: prompt to consider an exploitation review / NRM.")
    plan: TriggerPlanDetailOut | None = Field(description="The plan, if there is one the caller may see.")


class RepeatMissingChildOut(Schema):
    child: TriggerPlanPerson
    raised_at: datetime = Field(alias="flag.raised_at")
    episodes: int = Field(alias="flag.episodes")
    threshold: int = Field(alias="flag.threshold")
    window_days: int = Field(alias="flag.window_days")
    plan_due_at: datetime | None = Field(alias="due_at")
