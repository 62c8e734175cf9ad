"""Cases' input models (every field rule of the case writes) and the API's output schemas, which read
from the case objects themselves (``from_attributes``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema

from haven.cases import selectors
from haven.cases.choices import CaseKind, CaseState, EntryKind, Sensitivity
from haven.core.operations import Input
from haven.core.types import Line, Says, Text, Username

SUMMARY_MAX = 200
NOTE_MAX = 10_000
REASON_MAX = 2_000
MEMBERS_MAX = 500

Summary = Annotated[str, Line(SUMMARY_MAX), Says("the summary")]
Reason = Annotated[str, Text(REASON_MAX, min_length=1)]  # typed in a text area: several lines


# --- Input ----------------------------------------------------------------------------------------------


class CaseOpenIn(Input):
    subject: Annotated[
        UUID,
        Says(
            "the Haven id of the child",
            required="Enter the Haven id of the child the case is about",
            invalid="There is no person with this Haven id",
        ),
    ] = Field(description="The public id of the person (the child) the case is about.")
    kind: Annotated[CaseKind, Says("the kind of case")] = CaseKind.GENERAL
    summary: Summary = ""
    sensitivity: Annotated[Sensitivity, Says("the sensitivity")] = Sensitivity.NORMAL


class CaseUpdateIn(Input):
    version: Annotated[int, Says("the version")] = Field(
        ge=1, le=2_147_483_647, description="The version you last read."
    )
    summary: Summary | None = Field(None, description="The new summary ('' for none); left out, it stays as it is.")
    sensitivity: Annotated[Sensitivity, Says("the sensitivity")]


class NoteIn(Input):
    kind: Annotated[
        Literal[EntryKind.FACT, EntryKind.ASSESSMENT],
        Says(
            "whether the note records fact or assessment",
            required="Say whether the note records fact or assessment",
            invalid="Say whether the note records fact or assessment",
        ),
    ] = Field(description="fact or assessment (DPA 2018 s38(2)).")
    text: Annotated[str, Text(NOTE_MAX, min_length=1), Says("the note")]


class HandoverIn(Input):
    to_user: Annotated[Username, Says("the new owner's username")] = Field(description="The new owner's username.")
    reason: Annotated[Reason, Says("the reason for the handover")]


class CaseAllocateIn(Input):
    to_user: Annotated[str, Line(200, min_length=1), Says("who to allocate the case to")] = Field(
        description="The officer: their username, or their name as the user picker shows it."
    )
    note: Annotated[str, Text(REASON_MAX), Says("the note for the officer")] = Field(
        default="", description="Anything the officer should know first (kept on the case's timeline)."
    )


class HandoverAcknowledgeIn(Input):
    """Nothing to say: only the person the case was handed to may acknowledge it (M-10)."""


class BreakGlassIn(Input):
    reason: Annotated[Reason, Says("why you need to see this case")]


class MembersIn(Input):
    members: Annotated[list[Username], Says("the members")] = Field(
        max_length=MEMBERS_MAX, description="The usernames of everyone who may see the case besides its owner."
    )


class CaseCloseIn(Input):
    reason: Annotated[Reason, Says("the reason for closing the case")]


class CaseReopenIn(Input):
    reason: Annotated[Reason, Says("the reason for reopening the case")]


# --- Output ---------------------------------------------------------------------------------------------


class PersonRef(Schema):
    id: UUID = Field(alias="public_id")
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


class UserRef(Schema):
    username: str
    name: str = Field(alias="rank_and_name")


class CaseOut(Schema):
    id: UUID = Field(alias="public_id")
    reference: str
    kind: CaseKind
    summary: str
    subject: PersonRef
    owner: UserRef
    team: str | None = Field(description="The owning team's code.")
    state: CaseState
    sensitivity: Sensitivity
    opened_at: datetime
    closed_at: datetime | None
    version: int = Field(description="Send it back when changing the case; an older version is a 409 conflict.")
    awaiting_acknowledgement: bool
    pending_owner: UserRef | None = Field(description="Who the case was handed to, until they acknowledge (M-10).")
    area: str = Field(description="The policing area the work belongs to ('' for none).")
    queued_at: datetime | None = Field(
        description="Since when the case waits in its team's queue for allocation; null once allocated."
    )

    @staticmethod
    def resolve_team(obj: Any) -> str | None:
        return obj.team.code if obj.team is not None else None


class QueuedCaseOut(CaseOut):
    waiting_minutes: int = Field(description="How long the case has waited in the queue, in whole minutes.")

    @staticmethod
    def resolve_waiting_minutes(obj: Any) -> int:
        from haven.core import clock

        return max(0, int((clock.now() - obj.queued_at).total_seconds() // 60)) if obj.queued_at else 0


class InvolvementOut(Schema):
    person: PersonRef
    role: str


class EntryOut(Schema):
    id: UUID = Field(alias="public_id")
    at: datetime
    kind: EntryKind
    text: str
    author: UserRef | None


class HandoverOut(Schema):
    id: UUID = Field(alias="public_id")
    case: str = Field(alias="case.reference", description="The case reference.")
    from_user: UserRef
    to_user: UserRef
    by: UserRef
    reason: str
    at: datetime
    acknowledged_at: datetime | None
    superseded_at: datetime | None


class CaseDetailOut(CaseOut):
    members: list[UserRef] = Field(description="Who besides the owner may see the case, if it is restricted.")
    involvements: list[InvolvementOut]
    timeline: list[EntryOut]
    handovers: list[HandoverOut]

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return list(obj.members.select_related("rank").order_by("username"))

    @staticmethod
    def resolve_involvements(obj: Any) -> list[Any]:
        return list(obj.involvements.select_related("person"))

    @staticmethod
    def resolve_timeline(obj: Any) -> list[Any]:
        return list(obj.timeline.select_related("author", "author__rank"))

    @staticmethod
    def resolve_handovers(obj: Any) -> list[Any]:
        return list(selectors.case_handovers(case=obj).select_related("case"))
