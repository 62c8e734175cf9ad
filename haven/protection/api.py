"""The protection routes of the JSON API (mounted by config/api.py at /api/v1/protection).

Reading a police protection (or the list of children in it) is an s62 consultation; one the caller may
not see answers 404. Writes are built from their declarations in ``haven.protection.operations``.
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
from haven.protection import operations, selectors
from haven.protection.schemas import ProtectionOut, ProtectionRowOut

router = Router(tags=["protection"])


@router.get(
    "",
    auth=needs(Perm.PROTECTION_CASE_VIEW),
    response={200: list[ProtectionRowOut], **errors()},
    summary="Children in police protection now that the caller may see: the fewest hours left first",
)
def open_list(request: HttpRequest) -> list[dict[str, Any]]:
    rows = []
    for p in selectors.open_protections(user=actor(request)):
        missing = selectors.missing(p)
        rows.append(
            {
                "id": p.public_id,
                "case_reference": p.case.reference,
                "child": p.child.public_id,
                "child_name": p.child.full_name,
                "started_at": p.started_at,
                "expires_at": p.expires_at,
                "hours_left": p.hours_left(),
                "designated_officer": p.designated_officer.username,
                "notifications_done": 6 - len(missing),
                "notifications_missing": missing,
            }
        )
    return rows


@router.get(
    "/{protection_id}",
    auth=needs(Perm.PROTECTION_CASE_VIEW),
    response={200: ProtectionOut, **errors(404, 422)},
    summary="A police protection, with its notifications, contact decisions and EPO applications (a refuge's "
    "address is withheld)",
)
def protection(request: HttpRequest, protection_id: UUID) -> dict[str, Any]:
    return operations.protection_out(selectors.protection_get(user=actor(request), public_id=protection_id))


mount(
    router,
    operations.protection_start,
    operations.designated_officer_appoint,
    operations.accommodation_record,
    operations.notification_record,
    operations.inquiry_record,
    operations.contact_record,
    operations.epo_record,
    operations.epo_decide,
    operations.strategy_link,
    operations.protection_end,
)
