"""Every write to cases, declared once: input model, permission, service, API route, page.

Each route loads its case through ``selectors.case_get`` (404 for a case the caller may not see, the
attempt logged) and answers with the case as the writer now sees it. What a role may do to a case it
sees (POLICY's EDIT, HANDOVER and REOPEN scopes, restricted cases) is the service's to say.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from haven.accounts.models import User
from haven.cases import selectors, services
from haven.cases.models import Case
from haven.cases.schemas import (
    BreakGlassIn,
    CaseAllocateIn,
    CaseCloseIn,
    CaseDetailOut,
    CaseOpenIn,
    CaseReopenIn,
    CaseUpdateIn,
    EntryOut,
    HandoverAcknowledgeIn,
    HandoverIn,
    HandoverOut,
    MembersIn,
    NoteIn,
)
from haven.core.errors import NotFound
from haven.core.operations import Api, declare
from haven.core.permissions import Perm


def _case(actor: User, case_id: UUID) -> Case:
    return selectors.case_get(user=actor, public_id=case_id, log=False)


def _glass(actor: User, case_id: UUID) -> Case:
    """A restricted case the caller may break the glass on, else 404 (as for any case they may not see)."""
    case = selectors.case_may_break_glass(user=actor, public_id=case_id)
    if case is None:
        raise NotFound("Not found.")
    return case


def _detail(actor: User, result: Any) -> Case:
    """The case as the writer now sees it (its timeline, members and handovers), read without a log row:
    the write itself was logged."""
    return selectors.case_get(user=actor, public_id=result.public_id, log=False)


case_open = declare(
    "cases.case_open",
    input=CaseOpenIn,
    perm=Perm.CASES_CASE_OPEN,
    service=services.case_open_by_id,
    api=Api("POST", "", out=CaseDetailOut, answer=_detail, summary="Open a case"),
    page="cases:open",
)

case_update = declare(
    "cases.case_update",
    input=CaseUpdateIn,
    perm=Perm.CASES_CASE_EDIT,
    service=services.case_update,
    target="case",
    api=Api("PATCH", "/{case_id}", out=CaseDetailOut, status=200, load=_case, answer=_detail, summary="Change a case"),
    page="cases:edit",
)

case_note_add = declare(
    "cases.case_note_add",
    input=NoteIn,
    perm=Perm.CASES_CASE_EDIT,
    service=services.case_note_add,
    target="case",
    api=Api("POST", "/{case_id}/notes", out=EntryOut, load=_case, summary="Add a note"),
    page="cases:note-add",
)

case_handover = declare(
    "cases.case_handover",
    input=HandoverIn,
    perm=Perm.CASES_CASE_HANDOVER,
    service=services.case_handover,
    target="case",
    api=Api(
        "POST",
        "/{case_id}/handover",
        out=HandoverOut,
        status=200,
        load=_case,
        summary="Hand a case over (M-10: the new owner must acknowledge)",
    ),
    page="cases:handover",
)

case_allocate = declare(
    "cases.case_allocate",
    input=CaseAllocateIn,
    perm=Perm.CASES_CASE_ALLOCATE,
    service=services.case_allocate,
    target="case",
    api=Api(
        "POST",
        "/{case_id}/allocate",
        out=CaseDetailOut,
        status=200,
        load=_case,
        answer=_detail,
        summary="Allocate a case to an officer (from the team queue, or reallocate it); they are asked to acknowledge",
    ),
    page="cases:allocate",
)

case_handover_acknowledge = declare(
    "cases.case_handover_acknowledge",
    input=HandoverAcknowledgeIn,
    perm=Perm.CASES_CASE_EDIT,
    service=services.case_handover_acknowledge,
    target="case",
    api=Api(
        "POST",
        "/{case_id}/acknowledge",
        out=HandoverOut,
        status=200,
        load=_case,
        summary="Acknowledge a case handed to you (M-10)",
    ),
    page="cases:acknowledge",
)

case_break_glass = declare(
    "cases.case_break_glass",
    input=BreakGlassIn,
    perm=Perm.CASES_CASE_VIEW,
    service=services.case_break_glass,
    target="case",
    api=Api(
        "POST",
        "/{case_id}/break-glass",
        out=CaseDetailOut,
        status=200,
        load=_glass,
        answer=_detail,
        errors=(),
        summary="Break the glass on a restricted case, giving a reason (logged; the owner is told)",
    ),
    page="cases:break-glass",
)

members_set = declare(
    "cases.members_set",
    input=MembersIn,
    perm=Perm.CASES_CASE_EDIT,
    service=services.members_set,
    target="case",
    api=Api(
        "PUT",
        "/{case_id}/members",
        out=CaseDetailOut,
        status=200,
        load=_case,
        answer=_detail,
        summary="Name who may see a restricted case besides its owner",
    ),
    page="cases:members",
)

case_close = declare(
    "cases.case_close",
    input=CaseCloseIn,
    perm=Perm.CASES_CASE_EDIT,
    service=services.case_close,
    target="case",
    api=Api(
        "POST",
        "/{case_id}/close",
        out=CaseDetailOut,
        status=200,
        load=_case,
        answer=_detail,
        summary="Close a case, giving a reason (refused, listing why, while it cannot close yet)",
    ),
    page="cases:close",
)

case_reopen = declare(
    "cases.case_reopen",
    input=CaseReopenIn,
    perm=Perm.CASES_CASE_REOPEN,
    service=services.case_reopen,
    target="case",
    api=Api(
        "POST",
        "/{case_id}/reopen",
        out=CaseDetailOut,
        status=200,
        load=_case,
        answer=_detail,
        summary="Reopen a closed case, giving a reason (supervisors)",
    ),
    page="cases:reopen",
)
