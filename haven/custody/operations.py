"""Every write to a child's detention, declared once: the pages and the events API feed the same input
models and services. Each event the custody system sends may carry an ``Idempotency-Key``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ninja import Status

from haven.accounts.models import User
from haven.core.operations import Api, Operation, declare
from haven.core.permissions import Perm
from haven.custody import selectors, services
from haven.custody.choices import DetentionState
from haven.custody.models import Detention
from haven.custody.rules import NO_BED_FLAG
from haven.custody.schemas import (
    AppropriateAdultIn,
    CustodyCellIn,
    CustodyChargeIn,
    CustodyInterviewIn,
    CustodyWelfareIn,
    DetentionEndIn,
    DetentionExtensionIn,
    DetentionOut,
    DetentionRecordIn,
    LaRequestIn,
    LaResponseIn,
    PaceReviewIn,
    S38CertificateIn,
    S38CertificateReviewIn,
)

KEY_HEADER = {"idempotency_key": "Idempotency-Key"}


def _detention(actor: User, detention_id: UUID) -> Detention:
    return selectors.detention_get(user=actor, public_id=detention_id, log=False)


def warnings(d: Detention) -> list[str]:
    out = [w for w in (d.aa_warning, d.la_warning) if w]
    cert = getattr(d, "certificate", None)
    if cert is not None and cert.flagged and cert.flag_reviewed_at is None:
        out.append(NO_BED_FLAG)
    return out


def detention_out(d: Detention) -> dict[str, Any]:
    cert = getattr(d, "certificate", None)
    return {
        "id": d.public_id,
        "case": d.case.public_id,
        "child": d.child.public_id,
        "custody_reference": d.custody_reference,
        "state": d.state,
        "juvenile": d.juvenile,
        "age_basis": d.age_basis,
        "arrested_at": d.arrested_at,
        "relevant_time": d.relevant_time,
        "authorised_at": d.authorised_at,
        "limit_at": d.limit_at,
        "next_review_due": d.next_review_due if d.state == DetentionState.DETAINED else None,
        "offences": d.offences,
        "solicitor_requested": d.solicitor_requested,
        "aa": {
            "requested_at": d.aa_requested_at,
            "type": d.aa_type or None,
            "name": d.aa_name,
            "occupation": d.aa_occupation or None,
            "connected_with_offence": d.aa_connected,
            "arrived_at": d.aa_arrived_at,
        },
        "welfare_person": d.welfare_person,
        "welfare_informed_at": d.welfare_informed_at,
        "cell": d.cell,
        "cell_occupants": d.cell_occupants,
        "charged_at": d.charged_at,
        "charges": d.charges,
        "bail_decision": d.bail_decision,
        "court_at": d.court_at,
        "la_request": None
        if d.la_requested_at is None
        else {
            "requested_at": d.la_requested_at,
            "authority": d.la_authority,
            "type": d.la_type,
            "serious_harm_rationale": d.serious_harm_rationale,
            "response": d.la_response or None,
            "response_at": d.la_response_at,
            "transferred_at": d.transferred_at,
        },
        "certificate": None
        if cert is None
        else {
            "reason": cert.reason,
            "circumstances": cert.circumstances,
            "details": cert.details,
            "certified_by": cert.certified_by.username,
            "certified_at": cert.certified_at,
            "monitoring_inspector": cert.monitoring_inspector.username,
            "for_court": cert.for_court,
            "flagged": cert.flagged,
            "flag_reviewed_at": cert.flag_reviewed_at,
        },
        "warnings": warnings(d),
        "ended_at": d.ended_at,
        "reviews": [
            {
                "due_at": r.due_at,
                "done_at": r.done_at,
                "reviewed_by": r.reviewed_by.username,
                "continued": r.continued,
                "aa_present": r.aa_present,
            }
            for r in d.reviews.all()
        ],
        "extensions": [
            {
                "kind": e.kind,
                "at": e.at,
                "until": e.until,
                "authorised_by": e.authorised_by.username,
                "warrant_reference": e.warrant_reference,
            }
            for e in d.extensions.all()
        ],
        "interviews": [
            {
                "started_at": i.started_at,
                "ended_at": i.ended_at,
                "aa_present": i.aa_present,
                "urgent_authorised_by": i.urgent_authorised_by.username if i.urgent_authorised_by else None,
            }
            for i in d.interviews.all()
        ],
    }


def _answer(actor: User, result: Detention) -> Status[dict[str, Any]]:
    """The detention after the event, as the writer now sees it: 200 for a retry already done."""
    shown = selectors.detention_get(user=actor, public_id=result.public_id, log=False)
    replayed = getattr(result, "replayed", False)
    return Status(200 if replayed else 201, detention_out(shown))


def _event(
    name: str,
    *,
    input: type[Any],
    service: Any,
    path: str,
    summary: str,
    page: str,
    perm: Perm = Perm.CUSTODY_DETENTION_RECORD,  # noqa: A002
) -> Operation:
    return declare(
        f"custody.{name}",
        input=input,
        perm=perm,
        service=service,
        target="detention",
        api=Api(
            "POST",
            f"/detentions/{{detention_id}}/{path}",
            out=DetentionOut,
            load=_detention,
            answer=_answer,
            statuses=(200,),
            headers=KEY_HEADER,
            errors=(403, 404, 409),
            summary=summary,
        ),
        page=page,
    )


detention_record = declare(
    "custody.detention_record",
    input=DetentionRecordIn,
    perm=Perm.CUSTODY_DETENTION_RECORD,
    service=services.detention_record,
    api=Api(
        "POST",
        "/detentions",
        out=DetentionOut,
        answer=_answer,
        statuses=(200,),
        headers=KEY_HEADER,
        errors=(403, 409),
        summary="A child booked into custody (C-01, C-02): 201; 200 when the idempotency key was already used",
    ),
    page="custody:new",
)

aa_record = _event(
    "aa_record",
    input=AppropriateAdultIn,
    service=services.aa_record,
    path="appropriate-adult",
    summary="The appropriate adult: who, and when they arrived (C-02)",
    page="custody:aa",
)
welfare_record = _event(
    "welfare_record",
    input=CustodyWelfareIn,
    service=services.welfare_record,
    path="welfare",
    summary="The person responsible for the child's welfare told of the arrest (Code C 3.13)",
    page="custody:welfare",
)
cell_record = _event(
    "cell_record",
    input=CustodyCellIn,
    service=services.cell_record,
    path="cell",
    summary="Where the child is held: never with an adult detainee (C-11)",
    page="custody:cell",
)
interview_record = _event(
    "interview_record",
    input=CustodyInterviewIn,
    service=services.interview_record,
    path="interviews",
    summary="An interview: the appropriate adult present, or a superintendent's urgent-interview authority (C-03)",
    page="custody:interview",
)
review_record = _event(
    "review_record",
    input=PaceReviewIn,
    service=services.review_record,
    path="reviews",
    summary="A PACE review by an inspector (C-04): the next is due 9 hours later",
    page="custody:review",
    perm=Perm.CUSTODY_REVIEW_RECORD,
)
extension_record = _event(
    "extension_record",
    input=DetentionExtensionIn,
    service=services.extension_record,
    path="extensions",
    summary="A superintendent's extension (to 36 h, after the second review) or a warrant (to 96 h) (C-05)",
    page="custody:extension",
    perm=Perm.CUSTODY_EXTENSION_AUTHORISE,
)
charge_record = _event(
    "charge_record",
    input=CustodyChargeIn,
    service=services.charge_record,
    path="charge",
    summary="Charge and the bail decision: bail refused starts the transfer clock (C-06)",
    page="custody:charge",
)
la_request_record = _event(
    "la_request_record",
    input=LaRequestIn,
    service=services.la_request_record,
    path="accommodation-requests",
    summary="The request for local authority accommodation after charge (s38(6), C-06, C-09)",
    page="custody:la-request",
)
la_response_record = _event(
    "la_response_record",
    input=LaResponseIn,
    service=services.la_response_record,
    path="accommodation-responses",
    summary="The local authority's response, and the transfer",
    page="custody:la-response",
)
certificate_record = _event(
    "certificate_record",
    input=S38CertificateIn,
    service=services.certificate_record,
    path="certificate",
    summary="The s38(6) certificate that the child stays at the police station (C-06, C-07, C-08)",
    page="custody:certificate",
)
certificate_review = _event(
    "certificate_review",
    input=S38CertificateReviewIn,
    service=services.certificate_review,
    path="certificate/reviews",
    summary="An inspector's review of a certificate that cites only a lack of beds (C-07)",
    page="custody:certificate-review",
    perm=Perm.CUSTODY_REVIEW_RECORD,
)
detention_end = _event(
    "detention_end",
    input=DetentionEndIn,
    service=services.detention_end,
    path="end",
    summary="The child leaves custody: after charge only with a request or a certificate (C-06)",
    page="custody:end",
)
