"""The partner portal's routes of the JSON API (mounted by config/api.py at /api/v1/partner).

A partner user's token reaches only what was shared with their own agency (their membership scopes
every read and write; anything else answers 404). Reads are s62 consultations. Writes are built from
their declarations in ``haven.partners.operations``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.core.permissions import Perm
from haven.partners import operations, selectors
from haven.partners.schemas import AgencyOut, SharedItemOut, SharedItemSummaryOut

router = Router(tags=["partner"])


@router.get(
    "/items",
    auth=needs(Perm.PARTNER_SHARED_VIEW),
    response={200: list[SharedItemSummaryOut], **errors()},
    summary="What was shared with your agency, newest first",
)
def items(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": i.public_id,
            "kind": i.kind,
            "reference": i.reference,
            "subject_summary": i.subject_summary,
            "shared_at": i.shared_at,
            "acknowledged_at": i.acknowledged_at,
            "decision": i.decision or None,
            "rhi_outcome": i.rhi_outcome or None,
        }
        for i in selectors.items_for_partner(user=actor(request))
    ]


@router.get(
    "/items/{item_id}",
    auth=needs(Perm.PARTNER_SHARED_VIEW),
    response={200: SharedItemOut, **errors(404, 422)},
    summary="One thing shared with your agency: exactly what was disclosed, and your agency's answers",
)
def item(request: HttpRequest, item_id: UUID) -> dict[str, Any]:
    return operations.item_out(selectors.item_for_partner(user=actor(request), public_id=item_id))


@router.get(
    "/agencies",
    auth=needs(Perm.PARTNER_AGENCY_MANAGE),
    response={200: list[AgencyOut], **errors()},
    summary="The partner agencies, their contact routes, the fields each receives and their users",
)
def agencies(request: HttpRequest) -> list[dict[str, Any]]:
    return [operations.agency_out(a) for a in selectors.agencies(user=actor(request))]


mount(router, *operations.ALL)
