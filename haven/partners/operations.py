"""Every partners write, declared once: the agencies and their users (administrators) and what a
partner user sends back on what was shared with their agency (acknowledgement, decision, the outcome
of a return home interview). Sharing itself is not an operation here: referrals' and missing's own
operations call :func:`haven.partners.services.share`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from haven.accounts.models import User
from haven.core.operations import Api, declare
from haven.core.permissions import Perm
from haven.partners import selectors, services
from haven.partners.models import Agency, SharedItem
from haven.partners.schemas import (
    AcknowledgeIn,
    AgencyDecisionIn,
    AgencyIn,
    AgencyOut,
    MemberAddIn,
    MemberRemoveIn,
    RhiOutcomeIn,
    SharedItemOut,
)


def _item(actor: User, item_id: UUID) -> SharedItem:
    return selectors.item_for_partner(user=actor, public_id=item_id, log=False)


def _agency(actor: User, agency_id: UUID) -> Agency:
    return selectors.agency_get(user=actor, public_id=agency_id)


def item_out(item: SharedItem) -> dict[str, Any]:
    """A shared item as the API shows it to its agency."""
    return {
        "id": item.public_id,
        "kind": item.kind,
        "reference": item.reference,
        "subject_summary": item.subject_summary,
        "agency": item.agency.name,
        "shared_at": item.shared_at,
        "acknowledge_due_at": item.acknowledge_due_at,
        "acknowledged_at": item.acknowledged_at,
        "acknowledged_by": item.acknowledged_by.display_name if item.acknowledged_by else None,
        "decision": item.decision or None,
        "decision_notes": item.decision_notes,
        "decided_at": item.decided_at,
        "rhi_outcome": item.rhi_outcome or None,
        "rhi_interviewer": item.rhi_interviewer,
        "rhi_done_at": item.rhi_done_at,
        "rhi_findings": item.rhi_findings,
        "restricted": item.restricted,
        "projection": [{"field": p.field, "label": p.label, "value": p.value} for p in selectors.projected(item)],
    }


def agency_out(agency: Agency) -> dict[str, Any]:
    return {
        "public_id": agency.public_id,
        "name": agency.name,
        "kind": agency.kind,
        "local_authority": agency.local_authority,
        "notice_email": agency.notice_email,
        "phone": agency.phone,
        "projection": list(agency.projection),
        "is_active": agency.is_active,
        "members": sorted(m.user.username for m in agency.members.select_related("user")),
    }


def _item_answer(actor: User, result: SharedItem) -> dict[str, Any]:
    return item_out(result)


def _agency_answer(actor: User, result: Agency) -> dict[str, Any]:
    return agency_out(result)


def _item_api(path: str, summary: str) -> Api:
    return Api(
        "POST",
        f"/items/{{item_id}}/{path}",
        out=SharedItemOut,
        load=_item,
        answer=_item_answer,
        errors=(404, 409),
        summary=summary,
    )


agency_create = declare(
    "partners.agency_create",
    input=AgencyIn,
    perm=Perm.PARTNER_AGENCY_MANAGE,
    service=services.agency_create,
    api=Api("POST", "/agencies", out=AgencyOut, answer=_agency_answer, summary="Add a partner agency"),
    page="partners:agency-create",
)

agency_update = declare(
    "partners.agency_update",
    input=AgencyIn,
    perm=Perm.PARTNER_AGENCY_MANAGE,
    service=services.agency_update,
    target="agency",
    api=Api(
        "PUT",
        "/agencies/{agency_id}",
        out=AgencyOut,
        load=_agency,
        answer=_agency_answer,
        status=200,
        errors=(404, 409),
        summary="Change a partner agency: its contact routes and the fields it receives",
    ),
    page="partners:agency-edit",
)

member_add = declare(
    "partners.member_add",
    input=MemberAddIn,
    perm=Perm.PARTNER_AGENCY_MANAGE,
    service=services.member_add,
    target="agency",
    api=Api(
        "POST",
        "/agencies/{agency_id}/members",
        out=AgencyOut,
        load=_agency,
        answer=_agency_answer,
        errors=(404, 409),
        summary="Make a partner agency user a member of the agency (a user belongs to one agency)",
    ),
    page="partners:member-add",
)

member_remove = declare(
    "partners.member_remove",
    input=MemberRemoveIn,
    perm=Perm.PARTNER_AGENCY_MANAGE,
    service=services.member_remove,
    target="agency",
    api=Api(
        "POST",
        "/agencies/{agency_id}/member-removals",
        out=AgencyOut,
        load=_agency,
        answer=_agency_answer,
        status=200,
        errors=(404,),
        summary="Remove a user from a partner agency",
    ),
    page="partners:agency",
)

item_acknowledge = declare(
    "partners.item_acknowledge",
    input=AcknowledgeIn,
    perm=Perm.PARTNER_SHARED_RESPOND,
    service=services.item_acknowledge,
    target="item",
    api=_item_api("acknowledgement", "Acknowledge receipt of what was shared with your agency (S-02)"),
    page="partners:item",
)

item_decide = declare(
    "partners.item_decide",
    input=AgencyDecisionIn,
    perm=Perm.PARTNER_SHARED_RESPOND,
    service=services.item_decide,
    target="item",
    api=_item_api("decision", "Record your agency's decision on a referral, with notes"),
    page="partners:decide",
)

item_rhi_outcome = declare(
    "partners.item_rhi_outcome",
    input=RhiOutcomeIn,
    perm=Perm.PARTNER_SHARED_RESPOND,
    service=services.item_rhi_outcome,
    target="item",
    api=_item_api("rhi-outcome", "Send back a return home interview's outcome and findings (M-12)"),
    page="partners:rhi-outcome",
)

ALL = (agency_create, agency_update, member_add, member_remove, item_acknowledge, item_decide, item_rhi_outcome)
