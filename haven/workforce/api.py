"""The workforce routes of the JSON API (mounted by config/api.py at /api/v1/workforce).

Reading another officer's training record is an s62 consultation; an officer the caller may not see
answers 404. Writes are built from their declarations in ``haven.workforce.operations``.
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
from haven.workforce import operations, selectors
from haven.workforce.schemas import OfficerRecordOut

router = Router(tags=["workforce"])


@router.get(
    "/officers/{officer_id}",
    auth=needs(Perm.WORKFORCE_RECORD_VIEW),
    response={200: OfficerRecordOut, **errors(404, 422)},
    summary="An officer's training record and what the gate answers for each activity (T-01)",
)
def officer_record(request: HttpRequest, officer_id: UUID) -> dict[str, Any]:
    user = actor(request)
    officer = selectors.officer_get(user=user, public_id=officer_id)
    return operations.record_out(selectors.officer_record(user=user, officer=officer))


mount(
    router,
    operations.qualification_record,
    operations.competence_start,
    operations.competence_assess,
    operations.competence_sign_off,
    operations.competence_withdraw,
    operations.override_grant,
    operations.qualifications_import,
)
