"""The cases routes of the JSON API (registered in config/api.py at /api/v1/cases).

Every read goes through ``selectors.case_visible_to`` and is logged (s62 consultation); a case the
caller may not see answers 404, exactly like one that does not exist. The writes are the routes of
haven/cases/operations.py.
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.params import functions as params

from haven.api.auth import actor, needs
from haven.api.errors import errors
from haven.api.operations import mount
from haven.cases import operations, selectors
from haven.cases.choices import CaseState
from haven.cases.schemas import CaseDetailOut, CaseOut, QueuedCaseOut
from haven.core.permissions import Perm

router = Router(tags=["cases"])


class CasePage(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get(
    "", auth=needs(Perm.CASES_CASE_VIEW), response={200: list[CaseOut], **errors(422)}, summary="Cases you can see"
)
def case_list(
    request: HttpRequest,
    page: Query[CasePage],
    state: CaseState | None = None,
    mine: bool = params.Query(False, description="Only cases you own or are asked to accept."),
) -> object:
    user = actor(request)
    cases = list(selectors.case_list(user=user, state=state or "", mine=mine)[page.offset : page.offset + page.limit])
    selectors.case_read_record(user=user, cases=cases, query=request.GET.urlencode())
    return cases


@router.get(
    "/queue",
    auth=needs(Perm.CASES_CASE_VIEW),
    response={200: list[QueuedCaseOut], **errors(422)},
    summary="A team's queue of work to allocate",
)
def case_queue(
    request: HttpRequest,
    team: str = params.Query("", max_length=16, description="A team's code; your own team when left out."),
) -> object:
    user = actor(request)
    cases = list(selectors.case_queue(user=user, team_id=selectors.team_id_of(team) if team else None)[:500])
    selectors.case_read_record(user=user, cases=cases, query=request.GET.urlencode())
    return cases


@router.get(
    "/{case_id}",
    auth=needs(Perm.CASES_CASE_VIEW),
    response={200: CaseDetailOut, **errors(404, 422)},
    summary="One case",
)
def case_get(request: HttpRequest, case_id: UUID) -> object:
    user = actor(request)
    return selectors.case_get(user=user, public_id=case_id)


mount(
    router,
    operations.case_open,
    operations.case_update,
    operations.case_note_add,
    operations.case_handover,
    operations.case_allocate,
    operations.case_handover_acknowledge,
    operations.case_break_glass,
    operations.members_set,
    operations.case_close,
    operations.case_reopen,
)
