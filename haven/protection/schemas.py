"""Police protection's input models (every field rule of its writes) and the API's output schemas."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from haven.core import clock
from haven.core.operations import Input
from haven.core.types import Line, Moment, Says, Text
from haven.protection.choices import (
    Accommodation,
    ContactDecision,
    EpoApplicant,
    EpoOutcome,
    Item,
    Outcome,
    Power,
    Stage,
)

CLOCK_SKEW = timedelta(minutes=5)
EpoDecided = Literal[EpoOutcome.GRANTED, EpoOutcome.REFUSED]  # a device's clock a little ahead is still "now"


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(_blank_is_none)
LongText = Annotated[str, Text(20_000)]
Officer = Annotated[str, Line(200, min_length=1)]


def _past(value: datetime | None, what: str) -> datetime | None:
    if value is not None and value > clock.now() + CLOCK_SKEW:
        raise ValueError(f"{what[:1].upper()}{what[1:]} must be now or in the past")
    return value


# --- Input ------------------------------------------------------------------------------------------


class ProtectionStartIn(Input):
    """A constable uses the s46 power: the child (from the person register), the power, the grounds, when
    and where, and the designated officer (another officer, of the rank force policy sets, PP-03/PP-04)."""

    child: Annotated[UUID, Says("the child", required="Choose the child from the person register")]
    power: Annotated[Power, Says("the power used")]
    grounds: Annotated[
        str,
        Text(20_000, min_length=1),
        Says("the grounds", required="Enter why you believed the child would otherwise suffer significant harm"),
    ]
    started_at: Annotated[Moment, Says("the date and time police protection started")]
    place: Annotated[str, Line(300, min_length=1), Says("where police protection started")]
    designated_officer: Annotated[
        Officer, Says("the designated officer", required="Enter the designated officer's name or collar number")
    ]

    @field_validator("started_at")
    @classmethod
    def _started_in_past(cls, value: datetime) -> datetime | None:
        return _past(value, "the date and time police protection started")


class ProtectionAppointIn(Input):
    """A new designated officer (a handover between shifts). Never the initiating officer (PP-03)."""

    designated_officer: Annotated[
        Officer, Says("the designated officer", required="Enter the designated officer's name or collar number")
    ]


class ProtectionAccommodationIn(Input):
    """Where the child is kept. A police station needs the exceptional circumstances (PP-07); a refuge's
    address is withheld from everyone without need-to-know."""

    model_config = ConfigDict(validate_default=True)  # the checks on answers left out run too

    accommodation: Annotated[Accommodation, Says("where the child is kept")]
    address: Annotated[str, Text(1_000), Says("the address")] = ""
    station_justification: Annotated[str, Text(5_000), Says("the exceptional circumstances")] = ""

    @field_validator("station_justification")
    @classmethod
    def _station_needs_reason(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("accommodation") == Accommodation.POLICE_STATION and not value:
            raise ValueError("Enter the exceptional circumstances that mean the child must stay at a police station")
        return value


class ProtectionNotificationIn(Input):
    """One s46(3)/(4) notification: when, by whom (the actor) and to whom. A child not able to understand,
    or parents who could not be told, are recorded as not done, with the reason."""

    model_config = ConfigDict(validate_default=True)  # the checks on answers left out run too

    item: Annotated[Item, Says("what was done")]
    done: Annotated[bool, Says("whether it was done")] = True
    at: Annotated[Moment, Says("the date and time")]
    to_whom: Annotated[str, Line(300), Says("who was told")] = ""
    reason: Annotated[str, Text(5_000), Says("why it was not done")] = ""
    note: Annotated[str, Text(5_000), Says("the note")] = ""

    @field_validator("at")
    @classmethod
    def _at_in_past(cls, value: datetime) -> datetime | None:
        return _past(value, "the date and time")

    @field_validator("to_whom")
    @classmethod
    def _told_someone(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("done", True) and not value:
            raise ValueError("Enter who was told, or whose wishes and feelings were found out")
        return value

    @field_validator("reason")
    @classmethod
    def _reason_if_not_done(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("done", True) is False:
            if info.data.get("item") not in (Item.CHILD_INFORMED, Item.PARENTS):
                raise ValueError("This must be done: record it once it has been")
            if not value:
                raise ValueError("Enter why it was not done")
        return value


class ProtectionInquiryIn(Input):
    """The designated officer's inquiry (s46(3)(e), s46(5)): what they found."""

    summary: Annotated[str, Text(20_000, min_length=1), Says("the summary of your inquiry")]


class ProtectionContactIn(Input):
    """s46(10): contact with the child, decided by the designated officer."""

    person: Annotated[str, Line(300, min_length=1), Says("who asked for contact")]
    decision: Annotated[ContactDecision, Says("the decision")]
    reason: Annotated[str, Text(5_000, min_length=1), Says("the reason for the decision")]


class ProtectionEpoIn(Input):
    """An application for an emergency protection order: who applied, the court and when. The court's
    decision is recorded when it is made (:class:`ProtectionEpoDecisionIn`)."""

    applicant: Annotated[EpoApplicant, Says("who applied")]
    court: Annotated[str, Line(200, min_length=1), Says("the court")]
    applied_at: Annotated[Moment, Says("the date and time of the application")]

    @field_validator("applied_at")
    @classmethod
    def _applied_in_past(cls, value: datetime) -> datetime | None:
        return _past(value, "the date and time of the application")


class ProtectionEpoDecisionIn(Input):
    """The court's decision on an emergency protection order application."""

    application: Annotated[UUID, Says("the application", required="Choose the application")]
    outcome: Annotated[EpoDecided, Says("the court's decision")]
    decided_at: Annotated[Moment, Says("the date and time of the court's decision")]

    @field_validator("decided_at")
    @classmethod
    def _decided_in_past(cls, value: datetime) -> datetime | None:
        return _past(value, "the date and time of the court's decision")


class ProtectionStrategyLinkIn(Input):
    """PP-09: the strategy discussion held about the child (recorded with the referrals)."""

    discussion: Annotated[UUID, Says("the strategy discussion", required="Choose the strategy discussion")]


class ProtectionEndIn(Input):
    """PP-08: police protection ends, by the designated officer: when, how, and their decision. Never after
    the 72 hours (PP-01)."""

    model_config = ConfigDict(validate_default=True)  # the checks on answers left out run too

    ended_at: Annotated[Moment, Says("the date and time police protection ended")]
    outcome: Annotated[Outcome, Says("how police protection ended")]
    outcome_reason: Annotated[str, Text(5_000), Says("how it ended")] = ""
    decision: Annotated[
        str,
        Text(20_000, min_length=1),
        Says("your decision", required="Enter your decision as designated officer, and why"),
    ]

    @field_validator("ended_at")
    @classmethod
    def _ended_in_past(cls, value: datetime) -> datetime | None:
        return _past(value, "the date and time police protection ended")

    @field_validator("outcome_reason")
    @classmethod
    def _other_says_how(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("outcome") == Outcome.OTHER and not value:
            raise ValueError("Enter how police protection ended")
        return value


# --- Output -----------------------------------------------------------------------------------------


class ProtectionNotificationOut(Schema):
    item: Item
    done: bool
    at: datetime
    by: str
    to_whom: str
    reason: str
    note: str


class ProtectionChecklistItemOut(Schema):
    item: Item
    label: str
    complete: bool


class ProtectionContactOut(Schema):
    person: str
    decision: ContactDecision
    reason: str
    by: str
    at: datetime


class ProtectionEpoOut(Schema):
    id: UUID
    applicant: EpoApplicant
    court: str
    applied_at: datetime
    outcome: EpoOutcome
    outcome_at: datetime | None


class ProtectionOut(Schema):
    id: UUID
    stage: Stage
    case: UUID
    case_reference: str
    child: UUID
    child_name: str
    power: Power
    grounds: str
    started_at: datetime
    place: str
    expires_at: datetime
    hours_left: int
    initiating_officer: str
    designated_officer: str
    designated_at: datetime
    accommodation: Accommodation | None
    accommodation_address: str | None = Field(description="Null for a refuge (withheld: DP-06).")
    station_justification: str
    inquiry_summary: str
    inquiry_at: datetime | None
    strategy_discussion: UUID | None
    ended_at: datetime | None
    outcome: Outcome | None
    outcome_reason: str
    decision: str
    ended_by: str | None
    checklist: list[ProtectionChecklistItemOut]
    notifications: list[ProtectionNotificationOut]
    contacts: list[ProtectionContactOut]
    epos: list[ProtectionEpoOut]


class ProtectionRowOut(Schema):
    id: UUID
    case_reference: str
    child: UUID
    child_name: str
    started_at: datetime
    expires_at: datetime
    hours_left: int
    designated_officer: str
    notifications_done: int
    notifications_missing: list[Item]
