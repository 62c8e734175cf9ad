"""The custody routes of the JSON API (mounted by config/api.py at /api/v1/custody).

The custody system stays master: its events arrive here, each with an idempotency key (a retry answers
200 with the record as it is; the key reused for another event 409; a bad event 4xx with nothing
written). Reads are s62 consultations; a detention the caller may not see answers 404. Writes are built
from their declarations in ``haven.custody.operations``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.permissions import Perm
from haven.custody import operations, selectors
from haven.custody.choices import DetentionState
from haven.custody.schemas import ConcordatMonthOut, DetentionOut, InCustodyRowOut

router = Router(tags=["custody"])


@router.get(
    "/detentions",
    auth=needs(Perm.CUSTODY_DETENTION_VIEW),
    response={200: list[InCustodyRowOut], **errors(404)},
    summary="Every child in custody now, worst first (charged with no transfer request first) (C-10)",
)
def in_custody(request: HttpRequest) -> list[dict[str, Any]]:
    rows, _ = selectors.in_custody(user=actor(request))
    return [
        {
            "id": r.detention.public_id,
            "custody_reference": r.detention.custody_reference,
            "child": r.detention.child.full_name,
            "state": r.detention.state,
            "hours_detained": selectors.hours_detained(r.detention),
            "next_review_due": r.detention.next_review_due if r.detention.state == DetentionState.DETAINED else None,
            "limit_at": r.detention.limit_at if r.detention.state == DetentionState.DETAINED else None,
            "aa": r.aa,
            "transfer": r.transfer,
            "certificate": r.certificate,
        }
        for r in rows
    ]


@router.get(
    "/detentions/{detention_id}",
    auth=needs(Perm.CUSTODY_DETENTION_VIEW),
    response={200: DetentionOut, **errors(404, 422)},
    summary="A child's detention",
)
def detention(request: HttpRequest, detention_id: UUID) -> dict[str, Any]:
    return operations.detention_out(selectors.detention_get(user=actor(request), public_id=detention_id))


@router.get(
    "/report",
    auth=needs(Perm.CUSTODY_REPORT_VIEW),
    response={200: list[ConcordatMonthOut], **errors(404, 422)},
    summary="The Concordat report (C-10): by month of charge, children charged and kept in custody, transfers "
    "requested and made, certificates by reason, median hours from charge to transfer (12 months to `month`)",
)
def report(request: HttpRequest, month: date | None = None) -> list[dict[str, Any]]:
    found = selectors.concordat_report(user=actor(request), month=month)
    return [
        {
            "month": f.month,
            "charged_and_detained": f.charged_and_detained,
            "transfers_requested": f.transfers_requested,
            "transferred": f.transferred,
            "certificates": f.certificates,
            "certificates_by_reason": f.by_reason,
            "certificates_flagged": f.flagged,
            "median_hours_charge_to_transfer": f.median_hours,
            "children": [
                {"detention": d.public_id, "custody_reference": d.custody_reference, "charged_at": d.charged_at}
                for d in f.children
            ],
        }
        for f in found.months
    ]


mount(
    router,
    operations.detention_record,
    operations.aa_record,
    operations.welfare_record,
    operations.cell_record,
    operations.interview_record,
    operations.review_record,
    operations.extension_record,
    operations.charge_record,
    operations.la_request_record,
    operations.la_response_record,
    operations.certificate_record,
    operations.certificate_review,
    operations.detention_end,
)
