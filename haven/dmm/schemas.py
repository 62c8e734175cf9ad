"""The daily management meeting's input models (every field rule of its writes: start, decide, act,
close) and the API's output schemas, which read from the meeting's objects (``from_attributes``).

People are named by username; the service finds them (and says so if it cannot). D-02's rule that
every action has what is to be done, an owner and a due time is the action's required fields here;
that the owner can see the case and the time is still to come are the service's checks.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, Schema

from haven.core.operations import Input
from haven.core.types import Line, Moment, Says, Text, Username
from haven.dmm.choices import ActionState, MeetingState

TEXT_MAX = 5_000
WHAT_MAX = 200
MAX_ACTIONS = 10

# --- Input ----------------------------------------------------------------------------------------


class MeetingStartIn(Input):
    held_on: Annotated[date | None, Says("the date of the meeting")] = Field(
        default=None, description="The day of the meeting; today if left out."
    )
    chair: Annotated[Username | None, Says("who chairs the meeting", required="Choose who chairs the meeting")] = Field(
        default=None, description="The chair's username; you if left out."
    )
    attendees: Annotated[list[Username], Says("the attendees")] = Field(
        default_factory=list, max_length=200, description="The usernames of the Haven users present."
    )
    other_attendees: Annotated[str, Text(TEXT_MAX), Says("the other attendees")] = Field(
        default="", description="Partners and others present who do not use Haven, one a line."
    )


class ActionIn(Input):
    """One action a decision gives (D-02): what, who and by when."""

    what: Annotated[str, Line(WHAT_MAX, min_length=1), Says("what is to be done")]
    owner: Annotated[Username, Says("who owns the action", required="Choose who owns the action")] = Field(
        description="The owner's username: someone who can see the case."
    )
    due_at: Annotated[Moment, Says("when the action is due")] = Field(description="In the future, with a time zone.")
    meets: Annotated[str, Line(200), Says("the obligation the action meets")] = Field(
        default="",
        description="The key of one of the case's open obligations that the action meets when done "
        "(GET /api/v1/dmm/cases/{case_id}/obligations), e.g. the UK Missing Persons Unit notification of a "
        "high-risk episode; empty for an action of its own.",
    )


class DecisionIn(Input):
    case: Annotated[UUID, Says("the case")] = Field(description="The public id of the board row's case.")
    section: Annotated[str, Line(32), Says("the board section")] = Field(
        default="", description="The key of the board section the row was in."
    )
    text: Annotated[str, Text(TEXT_MAX, min_length=1), Says("the decision")]
    actions: Annotated[list[ActionIn], Says("the actions")] = Field(
        default_factory=list, max_length=MAX_ACTIONS, description="Each becomes a deadline for its owner (D-02)."
    )


class ActionDoneIn(Input):
    outcome: Annotated[str, Text(TEXT_MAX, min_length=1), Says("what was done", required="Say what was done")]


class ActionCancelIn(Input):
    reason: Annotated[
        str,
        Text(TEXT_MAX, min_length=1),
        Says("why the action no longer applies", required="Say why the action no longer applies"),
    ]


class ObligationOut(Schema):
    """An obligation of a case still to be met, that a DMM action may name (``ActionIn.meets``)."""

    key: str
    label: str


class MeetingCloseIn(Input):
    """Nothing to say: closing keeps the record as it stands (the close button)."""


# --- Output ---------------------------------------------------------------------------------------


class UserRef(Schema):
    username: str
    name: str = Field(alias="rank_and_name")


class MeetingOut(Schema):
    """A meeting (a ``Meeting``)."""

    id: UUID = Field(alias="public_id")
    held_on: date
    chair: UserRef
    state: MeetingState
    started_at: datetime
    closed_at: datetime | None


class ActionOut(Schema):
    """An action (an ``Action``); on a meeting's agenda, ``AgendaItemOut`` says how it stood there."""

    id: UUID = Field(alias="public_id")
    case_id: UUID = Field(alias="case.public_id")
    case_reference: str = Field(alias="case.reference")
    what: str
    owner: UserRef
    due_at: datetime
    state: ActionState
    carried: bool = Field(default=False, description="Carried forward into this meeting from an earlier one (D-02).")
    state_at_close: ActionState | None = None
    outcome: str
    meets: str = Field(alias="meets_label", description="The case obligation the action meets when done, if any.")
    meets_key: str = Field(description="That obligation's deadline key.")


class AgendaItemOut(Schema):
    """An action on a meeting's agenda (a ``MeetingAction``): the same fields as ``ActionOut``."""

    id: UUID = Field(alias="action.public_id")
    case_id: UUID = Field(alias="action.case.public_id")
    case_reference: str = Field(alias="action.case.reference")
    what: str = Field(alias="action.what")
    owner: UserRef = Field(alias="action.owner")
    due_at: datetime = Field(alias="action.due_at")
    state: ActionState = Field(alias="action.state")
    carried: bool = Field(description="Carried forward into this meeting from an earlier one (D-02).")
    state_at_close: ActionState | None
    outcome: str = Field(alias="action.outcome")

    @staticmethod
    def resolve_state_at_close(item: Any) -> str | None:
        return item.state_at_close or None


class DecisionOut(Schema):
    id: UUID = Field(alias="public_id")
    case_id: UUID = Field(alias="case.public_id")
    case_reference: str = Field(alias="case.reference")
    section: str
    text: str
    recorded_at: datetime
    recorded_by: UserRef
    actions: list[UUID]

    @staticmethod
    def resolve_actions(decision: Any) -> list[UUID]:
        return [action.public_id for action in decision.actions.all()]


class MeetingDetailOut(Schema):
    """A meeting's record as the reader may see it (a ``selectors.MeetingRecord``)."""

    id: UUID = Field(alias="meeting.public_id")
    held_on: date = Field(alias="meeting.held_on")
    chair: UserRef = Field(alias="meeting.chair")
    state: MeetingState = Field(alias="meeting.state")
    started_at: datetime = Field(alias="meeting.started_at")
    closed_at: datetime | None = Field(alias="meeting.closed_at")
    attendees: list[UserRef]
    other_attendees: str = Field(alias="meeting.other_attendees")
    decisions: list[DecisionOut]
    actions: list[AgendaItemOut]

    @staticmethod
    def resolve_actions(record: Any) -> list[Any]:
        return [*record.raised, *record.carried]


SECTION_KEYS = """The section: `missing` (1, children currently missing), `returned` (2, returned in the last 24
hours without a prevention interview or return home interview request), `protection` (3, children in police
protection), `custody` (4, children in custody), `referrals` (5, child concern referrals not yet reviewed or
shared), `repeat` (6, repeat missing without a current trigger plan, and plans past review), `overdue` (7,
every deadline past its due time), `beyond` (8, officers working beyond their competence: an inspector's
override of the training gate in force, T-01). Sections 3 and 4 have `available: false` and no rows until their
records are in Haven."""

ROW_DETAILS = "\n\n".join(
    (
        "The row's own fields, by section (times are ISO 8601 in UTC).",
        "`missing`: `grade` (`high`, `medium`, `low`, `very_low` or `ungraded`), `missing_minutes` (since last "
        "seen), `last_review_at` (the latest supervisor review or grading, or null), `next_review_due` (or null), "
        "`review_overdue` (true/false), `overdue_enquiries` (a number), `owner` (username), `acknowledged` (false "
        "while a handover awaits the new owner, M-10), `trigger_plan` (`none`, `current`, `out_of_date`, or null "
        "when not available).",
        "`returned`: `found_at`, `prevention_interview` (`done`, `waived` or `outstanding`, M-11), "
        "`rhi_requested` (true/false, M-12), `owner` (username).",
        "`repeat`: `problem` (`no_plan`: repeat missing without a current trigger plan, M-14; `past_review`: the "
        "plan's review date has passed, M-15), `flagged_at` (or null), `episodes` (how many, or null), "
        "`plan_due_at` (the plan-required deadline, or null), `review_date` (a date, or null).",
        "`overdue`: `deadline` (its id), `kind` (e.g. `missing.review`), `rule_id`, `what`, `due_at`, "
        "`overdue_minutes`, `responsible` (username, or null for a team's).",
        "`protection`: `expires_at` (when the 72 hours run out), `hours_left` (whole hours, 0 once they have), "
        "`notifications_done` (how many of the checklist, PP-05/PP-06), `notifications_missing` (those still to "
        "record, in words, or null), `designated_officer` (rank and name).",
        "`custody`: `custody_reference` (the custody system's), `state` (in words), `relevant_time`, `limit_at` "
        "(the detention time limit while detained, C-05, or null), `next_review_due` (C-04, or null), "
        "`appropriate_adult` (in words), `transfer` (the request for local authority accommodation after "
        "charge, in words), `certificate` (the s38(6) certificate, in words).",
        "`referrals`: `referral` (its reference), `waiting_for` (in words: the CRSU's decision, approval of the "
        "decision, or a supervisor's review, S-02), `colour` (`red`, `amber`, `green`, or null until rated), "
        "`submitted_at`, `share_by` (or null), `share_overdue` (true/false), `team` (code, or null).",
        "`beyond`: `officer` (rank and name), `work` (the activity the override allows), `until` (when it ends).",
    )
)


class CountOut(Schema):
    key: str = Field(
        description="`missing` (missing now), `missing_high`, `missing_medium`, `missing_low`, `missing_very_low`, "
        "`missing_ungraded` (missing now by grade), `protection` (children in police protection now), `custody` "
        "(children in custody now), `overdue`, "
        "`referrals` (child concern referrals not yet reviewed or shared), "
        "`beyond` (officers working under an override of the training gate)."
    )
    label: str
    value: int | None = Field(description="None: not available yet (the records are not in Haven yet).")


class RowOut(Schema):
    case_id: UUID | None
    case_reference: str | None
    person_id: UUID | None
    person_name: str | None
    details: dict[str, Any] = Field(description=ROW_DETAILS)

    @staticmethod
    def resolve_case_id(row: Any) -> UUID | None:
        return row.case.public_id if row.case else None

    @staticmethod
    def resolve_case_reference(row: Any) -> str | None:
        return row.case.reference if row.case else None

    @staticmethod
    def resolve_person_id(row: Any) -> UUID | None:
        return row.person.public_id if row.person else None

    @staticmethod
    def resolve_person_name(row: Any) -> str | None:
        return str(row.person) if row.person else None


class SectionOut(Schema):
    key: str = Field(description=SECTION_KEYS)
    title: str
    order: int = Field(description="Its place on the board, from 1 (D-01's order).")
    available: bool = Field(description="False for a section whose records are not in Haven yet (3 to 5).")
    total: int = Field(description="How many rows the section has in all (``rows`` may list only the worst).")
    rows: list[RowOut]


class BoardOut(Schema):
    updated_at: datetime
    sweep_running: bool = Field(
        alias="sweep.alive", description="False when the deadline sweep has not run lately: escalations are behind."
    )
    counts: list[CountOut]
    sections: list[SectionOut]
