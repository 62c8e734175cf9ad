"""Custody's input models (every field rule of its writes) and the API's output schemas.

Every event the custody system sends may carry an idempotency key (the body's ``idempotency_key`` or
the ``Idempotency-Key`` header): a retry answers with the record as it is, the same key with another
body is refused (409)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from ninja import Schema
from pydantic import Field, StringConstraints

from haven.core.operations import Input
from haven.core.types import Line, Moment, Says, Text, Username
from haven.custody.choices import (
    AaOccupation,
    AaType,
    AccommodationType,
    BailDecision,
    CellOccupants,
    CertificateReason,
    Circumstance,
    DetentionOutcome,
    ExtensionKind,
    LaResponse,
)

IdempotencyKey = Annotated[
    Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]{1,100}$")] | None,
    Says("the idempotency key", invalid="Use 1 to 100 printable characters without spaces"),
]
Note = Annotated[str, Text(5_000)]


class CustodyEvent(Input):
    idempotency_key: IdempotencyKey = Field(
        default=None, description="Or the Idempotency-Key header: a retry answers with the record as it is."
    )


class DetentionRecordIn(CustodyEvent):
    """A child booked into custody: who, the custody record, the times the clocks run from (C-01, C-02)."""

    child: Annotated[UUID, Says("the child", required="Choose the child who is detained")]
    custody_reference: Annotated[str, Line(40, min_length=1), Says("the custody record number")]
    arrested_at: Annotated[Moment, Says("the time of arrest")]
    # Not given: the time of arrest, the earliest either can be, so no clock ever runs late.
    relevant_time: Annotated[Moment | None, Says("the relevant time")] = None
    authorised_at: Annotated[Moment | None, Says("the time detention was authorised")] = None
    offences: Annotated[str, Text(2_000, min_length=1), Says("the offences")]
    solicitor_requested: Annotated[bool, Says("whether a solicitor was requested")] = False
    appears_under_18: Annotated[bool, Says("whether the child appears to be under 18")] = False
    clear_evidence_over_18: Annotated[bool, Says("whether there is clear evidence they are 18 or over")] = False
    aa_requested_at: Annotated[Moment | None, Says("the time the appropriate adult was requested")] = None


class AppropriateAdultIn(CustodyEvent):
    """The appropriate adult (C-02)."""

    aa_type: Annotated[AaType, Says("who the appropriate adult is")]
    aa_name: Annotated[str, Line(200, min_length=1), Says("the appropriate adult's name")]
    aa_occupation: Annotated[AaOccupation, Says("whether the appropriate adult is any of these")] = AaOccupation.NONE
    aa_connected: Annotated[bool, Says("whether they are a suspect, victim or witness")] = False
    aa_arrived_at: Annotated[Moment | None, Says("the time the appropriate adult arrived")] = None


class CustodyWelfareIn(CustodyEvent):
    """The person responsible for the child's welfare told of the arrest (Code C 3.13)."""

    welfare_person: Annotated[str, Line(200, min_length=1), Says("who was told")]
    welfare_informed_at: Annotated[Moment, Says("the time they were told")]


class CustodyCellIn(CustodyEvent):
    cell: Annotated[str, Line(40, min_length=1), Says("the cell or room")]
    cell_occupants: Annotated[CellOccupants, Says("who else is in the cell")]


class CustodyInterviewIn(CustodyEvent):
    """An interview (C-03)."""

    started_at: Annotated[Moment, Says("the time the interview started")]
    ended_at: Annotated[Moment | None, Says("the time the interview ended")] = None
    aa_present: Annotated[bool, Says("whether the appropriate adult was present")] = False
    urgent_authorised_by: Annotated[Username | None, Says("the superintendent who authorised an urgent interview")] = (
        None
    )
    urgent_reason: Note = ""


class PaceReviewIn(CustodyEvent):
    """A PACE review (C-04), by an inspector."""

    done_at: Annotated[Moment, Says("the time of the review")]
    # The review's decision, and whether the child had the appropriate adult with them: both asked every time
    # (left blank on a page, neither may be taken as "continues" or "not present").
    continued: Annotated[bool, Says("whether detention continues")]
    aa_present: Annotated[bool, Says("whether the appropriate adult was present")]
    note: Note = ""


class DetentionExtensionIn(CustodyEvent):
    """An extension of detention before charge (C-05): a superintendent's, or a warrant's."""

    kind: Annotated[ExtensionKind, Says("the kind of extension")]
    until: Annotated[Moment, Says("the time detention is extended to")]
    warrant_reference: Annotated[str, Line(60), Says("the warrant's reference")] = ""
    reason: Note = ""


class CustodyChargeIn(CustodyEvent):
    """Charge and the bail decision."""

    charged_at: Annotated[Moment, Says("the time of charge")]
    charges: Annotated[str, Text(2_000, min_length=1), Says("the charges")]
    bail_decision: Annotated[BailDecision, Says("the bail decision")]
    bail_refused_grounds: Note = ""
    court_at: Annotated[Moment | None, Says("the next court sitting")] = None


class LaRequestIn(CustodyEvent):
    """The request to the local authority for accommodation (s38(6), C-06, C-09)."""

    la_requested_at: Annotated[Moment, Says("the time of the request")]
    la_authority: Annotated[str, Line(200, min_length=1), Says("the local authority")]
    la_type: Annotated[AccommodationType, Says("the kind of accommodation requested")]
    serious_harm_rationale: Note = ""


class LaResponseIn(CustodyEvent):
    la_response: Annotated[LaResponse, Says("the local authority's response")]
    la_response_at: Annotated[Moment, Says("the time of the response")]
    transferred_at: Annotated[Moment | None, Says("the time the child was transferred")] = None


class S38CertificateIn(CustodyEvent):
    """The s38(6) certificate (C-06..C-08)."""

    reason: Annotated[CertificateReason, Says("the reason the child stays at the police station")]
    circumstances: Annotated[list[Circumstance], Says("the circumstances")] = Field(default_factory=list)
    details: Annotated[str, Text(5_000), Says("the details")] = ""
    monitoring_inspector: Annotated[
        Username, Says("the inspector who monitors the case", required="Enter the monitoring inspector's username")
    ]


class S38CertificateReviewIn(CustodyEvent):
    """An inspector's review of a certificate flagged because it cites only a lack of beds (C-07)."""

    note: Annotated[str, Text(5_000, min_length=1), Says("what you decided")]


class DetentionEndIn(CustodyEvent):
    outcome: Annotated[DetentionOutcome, Says("how the detention ended")]
    ended_at: Annotated[Moment, Says("the time the detention ended")]
    note: Note = ""


# --- Output --------------------------------------------------------------------------------------------


class PaceReviewOut(Schema):
    due_at: datetime
    done_at: datetime
    reviewed_by: str
    continued: bool
    aa_present: bool


class DetentionExtensionOut(Schema):
    kind: str
    at: datetime
    until: datetime
    authorised_by: str
    warrant_reference: str


class CustodyInterviewOut(Schema):
    started_at: datetime
    ended_at: datetime | None
    aa_present: bool
    urgent_authorised_by: str | None


class S38CertificateOut(Schema):
    reason: str
    circumstances: list[str]
    details: str
    certified_by: str
    certified_at: datetime
    monitoring_inspector: str
    for_court: bool
    flagged: bool
    flag_reviewed_at: datetime | None


class DetentionOut(Schema):
    id: UUID
    case: UUID
    child: UUID
    custody_reference: str
    state: str
    juvenile: bool
    age_basis: str
    arrested_at: datetime
    relevant_time: datetime
    authorised_at: datetime
    limit_at: datetime
    next_review_due: datetime | None
    offences: str
    solicitor_requested: bool
    aa: dict[str, Any]
    welfare_person: str
    welfare_informed_at: datetime | None
    cell: str
    cell_occupants: str
    charged_at: datetime | None
    charges: str
    bail_decision: str
    court_at: datetime | None
    la_request: dict[str, Any] | None
    certificate: S38CertificateOut | None
    warnings: list[str]
    ended_at: datetime | None
    reviews: list[PaceReviewOut]
    extensions: list[DetentionExtensionOut]
    interviews: list[CustodyInterviewOut]


class InCustodyRowOut(Schema):
    id: UUID
    custody_reference: str
    child: str
    state: str
    hours_detained: float
    next_review_due: datetime | None
    limit_at: datetime | None
    aa: str
    transfer: str
    certificate: str


class ConcordatMonthOut(Schema):
    month: date
    charged_and_detained: int
    transfers_requested: int
    transferred: int
    certificates: int
    certificates_by_reason: dict[str, int]
    certificates_flagged: int
    median_hours_charge_to_transfer: float | None
    children: list[dict[str, Any]]
