"""Every write to police protection, declared once (the page and the API route both feed it)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from haven.accounts.models import User
from haven.core.operations import Api, declare
from haven.core.permissions import Perm
from haven.protection import selectors, services
from haven.protection.models import PoliceProtection
from haven.protection.schemas import (
    ProtectionAccommodationIn,
    ProtectionAppointIn,
    ProtectionContactIn,
    ProtectionEndIn,
    ProtectionEpoDecisionIn,
    ProtectionEpoIn,
    ProtectionInquiryIn,
    ProtectionNotificationIn,
    ProtectionOut,
    ProtectionStartIn,
    ProtectionStrategyLinkIn,
)


def _protection(actor: User, protection_id: UUID) -> PoliceProtection:
    return selectors.protection_get(user=actor, public_id=protection_id, log=False)


def _who(user: Any) -> str:
    return user.username if user is not None else ""


def protection_out(protection: PoliceProtection) -> dict[str, Any]:
    """A police protection as the API shows it: a refuge's address is never in it (DP-06)."""
    notes = list(protection.notifications.all())
    return {
        "id": protection.public_id,
        "stage": protection.stage,
        "case": protection.case.public_id,
        "case_reference": protection.case.reference,
        "child": protection.child.public_id,
        "child_name": protection.child.full_name,
        "power": protection.power,
        "grounds": protection.grounds,
        "started_at": protection.started_at,
        "place": protection.place,
        "expires_at": protection.expires_at,
        "hours_left": protection.hours_left() if protection.is_open else 0,
        "initiating_officer": _who(protection.initiating_officer),
        "designated_officer": _who(protection.designated_officer),
        "designated_at": protection.designated_at,
        "accommodation": protection.accommodation or None,
        "accommodation_address": None if protection.is_refuge else protection.accommodation_address,
        "station_justification": protection.station_justification,
        "inquiry_summary": protection.inquiry_summary,
        "inquiry_at": protection.inquiry_at,
        "strategy_discussion": protection.strategy_discussion.public_id if protection.strategy_discussion else None,
        "ended_at": protection.ended_at,
        "outcome": protection.outcome or None,
        "outcome_reason": protection.outcome_reason,
        "decision": protection.decision,
        "ended_by": _who(protection.ended_by) or None,
        "checklist": [
            {"item": row.item, "label": row.label, "complete": row.complete} for row in selectors.checklist(protection)
        ],
        "notifications": [
            {
                "item": n.item,
                "done": n.done,
                "at": n.at,
                "by": n.by.username,
                "to_whom": n.to_whom,
                "reason": n.reason,
                "note": n.note,
            }
            for n in notes
        ],
        "contacts": [
            {"person": c.person, "decision": c.decision, "reason": c.reason, "by": c.by.username, "at": c.at}
            for c in protection.contacts.select_related("by")
        ],
        "epos": [
            {
                "id": e.public_id,
                "applicant": e.applicant,
                "court": e.court,
                "applied_at": e.applied_at,
                "outcome": e.outcome,
                "outcome_at": e.outcome_at,
            }
            for e in protection.epos.all()
        ],
    }


def _answer(actor: User, result: Any) -> dict[str, Any]:
    """The police protection after the write, as the writer now sees it (the write itself was logged)."""
    protection = result if isinstance(result, PoliceProtection) else result.protection
    return protection_out(selectors.protection_get(user=actor, public_id=protection.public_id, log=False))


def _api(path: str, summary: str, *, status: int = 201, errors: tuple[int, ...] = (404, 409)) -> Api:
    return Api(
        "POST",
        f"/{{protection_id}}/{path}",
        out=ProtectionOut,
        load=_protection,
        answer=_answer,
        status=status,
        errors=errors,
        summary=summary,
    )


protection_start = declare(
    "protection.protection_start",
    input=ProtectionStartIn,
    perm=Perm.PROTECTION_CASE_RECORD,
    service=services.protection_start,
    api=Api(
        "POST",
        "",
        out=ProtectionOut,
        answer=_answer,
        errors=(),
        summary="Record that a child was taken into police protection (s46): opens its case and starts the "
        "72-hour clock (PP-01, PP-02), the notifications (PP-05) and the strategy discussion (PP-09)",
    ),
    page="protection:start",
)

designated_officer_appoint = declare(
    "protection.designated_officer_appoint",
    input=ProtectionAppointIn,
    perm=Perm.PROTECTION_CASE_RECORD,
    service=services.designated_officer_appoint,
    target="protection",
    api=_api(
        "designated-officers",
        "Appoint a new designated officer: never the initiating officer (PP-03), "
        "of the rank force policy sets and allowed by the workforce gate (PP-04)",
    ),
    page="protection:appoint",
)

accommodation_record = declare(
    "protection.accommodation_record",
    input=ProtectionAccommodationIn,
    perm=Perm.PROTECTION_CASE_RECORD,
    service=services.accommodation_record,
    target="protection",
    api=_api(
        "accommodation",
        "Where the child is kept: a police station only with the exceptional "
        "circumstances, alerting the supervisor (PP-07); a refuge's address is withheld",
    ),
    page="protection:accommodation",
)

notification_record = declare(
    "protection.notification_record",
    input=ProtectionNotificationIn,
    perm=Perm.PROTECTION_CASE_RECORD,
    service=services.notification_record,
    target="protection",
    api=_api("notifications", "Record a notification of s46(3) or (4): when, by whom, to whom (PP-05, PP-06)"),
    page="protection:notification",
)

inquiry_record = declare(
    "protection.inquiry_record",
    input=ProtectionInquiryIn,
    perm=Perm.PROTECTION_DESIGNATED_OFFICER,
    service=services.inquiry_record,
    target="protection",
    api=_api("inquiries", "The designated officer's inquiry summary (s46(3)(e), s46(5))"),
    page="protection:inquiry",
)

contact_record = declare(
    "protection.contact_record",
    input=ProtectionContactIn,
    perm=Perm.PROTECTION_DESIGNATED_OFFICER,
    service=services.contact_record,
    target="protection",
    api=_api("contacts", "The designated officer's decision on contact with the child (s46(10))"),
    page="protection:contact",
)

epo_record = declare(
    "protection.epo_record",
    input=ProtectionEpoIn,
    perm=Perm.PROTECTION_CASE_RECORD,
    service=services.epo_record,
    target="protection",
    api=_api(
        "epo-applications",
        "An emergency protection order application: by the local authority or the designated officer, the "
        "court and the time",
    ),
    page="protection:epo",
)

epo_decide = declare(
    "protection.epo_decide",
    input=ProtectionEpoDecisionIn,
    perm=Perm.PROTECTION_CASE_RECORD,
    service=services.epo_decide,
    target="protection",
    api=_api("epo-decisions", "The court's decision on an emergency protection order application", status=200),
    page="protection:epo-decision",
)

strategy_link = declare(
    "protection.strategy_link",
    input=ProtectionStrategyLinkIn,
    perm=Perm.PROTECTION_CASE_RECORD,
    service=services.strategy_link,
    target="protection",
    api=_api("strategy-discussions", "Link the strategy discussion held about the child (PP-09)", status=200),
    page="protection:strategy",
)

protection_end = declare(
    "protection.protection_end",
    input=ProtectionEndIn,
    perm=Perm.PROTECTION_DESIGNATED_OFFICER,
    service=services.protection_end,
    target="protection",
    api=_api(
        "endings",
        "End police protection (the designated officer): within 72 hours (PP-01), every notification recorded "
        "(PP-05, PP-06), with the outcome and the designated officer's decision (PP-08)",
        status=200,
        errors=(404, 409, 422),
    ),
    page="protection:end",
)
