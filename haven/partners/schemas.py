"""The inputs of every partners write (their field rules live here only) and what the API answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from ninja import Schema
from pydantic import BeforeValidator
from pydantic import Field as PydanticField

from haven.core.operations import Input
from haven.core.types import Email, Line, Moment, PhoneNumber, Says, Text, Username
from haven.partners.choices import AgencyDecision, AgencyKind, Field, ItemKind, RhiOutcome

NOTES_MAX = 5_000
NAME_MAX = 200


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


class AgencyIn(Input):
    name: Annotated[str, Line(NAME_MAX, min_length=1), Says("the agency's name")]
    kind: Annotated[AgencyKind, Says("the kind of agency")]
    local_authority: Annotated[str, Line(NAME_MAX), Says("the local authority it serves")] = ""
    notice_email: Annotated[
        Email,
        PydanticField(min_length=1),
        Says("the secure e-mail address for notices", required="Enter the secure e-mail address for notices"),
    ]
    phone: Annotated[PhoneNumber, Says("the phone number")] = ""
    projection: Annotated[list[Field], Says("the fields it receives"), PydanticField(max_length=len(Field.values))] = (
        PydanticField(default_factory=list, description="Empty: the default for its kind.")
    )
    is_active: bool = True


class MemberAddIn(Input):
    username: Annotated[Username, Says("the user's username")]


class MemberRemoveIn(Input):
    username: Annotated[Username, Says("the user's username")]


class AcknowledgeIn(Input):
    """Nothing to say: acknowledging receipt is the act."""


class AgencyDecisionIn(Input):
    decision: Annotated[AgencyDecision, Says("what your agency decided")]
    notes: Annotated[str, Text(NOTES_MAX), Says("the notes")] = ""


class RhiOutcomeIn(Input):
    outcome: Annotated[RhiOutcome, Says("what happened to the return home interview")]
    interviewer: Annotated[str, Line(NAME_MAX), Says("who did the interview")] = ""
    done_at: Annotated[Moment | None, BeforeValidator(_blank_is_none), Says("the date of the interview")] = None
    findings: Annotated[str, Text(NOTES_MAX), Says("what the interview found, or why it was not done")] = ""


# --- What the API answers --------------------------------------------------------------------------


class AgencyOut(Schema):
    id: UUID = PydanticField(validation_alias="public_id")
    name: str
    kind: AgencyKind
    local_authority: str
    notice_email: str
    phone: str
    projection: list[Field]
    is_active: bool
    members: list[str]


class ProjectedField(Schema):
    field: Field
    label: str
    value: Any


class SharedItemOut(Schema):
    id: UUID
    kind: ItemKind
    reference: str
    subject_summary: str
    agency: str
    shared_at: datetime
    acknowledge_due_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    decision: AgencyDecision | None
    decision_notes: str
    decided_at: datetime | None
    rhi_outcome: RhiOutcome | None
    rhi_interviewer: str
    rhi_done_at: datetime | None
    rhi_findings: str
    restricted: bool
    projection: list[ProjectedField]


class SharedItemSummaryOut(Schema):
    id: UUID
    kind: ItemKind
    reference: str
    subject_summary: str
    shared_at: datetime
    acknowledged_at: datetime | None
    decision: AgencyDecision | None
    rhi_outcome: RhiOutcome | None
