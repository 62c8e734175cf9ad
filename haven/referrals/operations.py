"""Every write to child concern referrals and strategy discussions, declared once."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from haven.accounts.models import User
from haven.core.operations import Api, declare
from haven.core.permissions import Perm
from haven.referrals import selectors, services
from haven.referrals.models import ChildConcernReferral
from haven.referrals.schemas import (
    AllocateIn,
    ApproveIn,
    CorrectionIn,
    DecideIn,
    PersonAddIn,
    RateIn,
    ReferralDraftIn,
    ReferralOut,
    ReferralStartIn,
    ReferralSubmitIn,
    ResearchNoteIn,
    ReviewIn,
    StrategyIn,
    StrategyOut,
)


def _referral(actor: User, referral_id: UUID) -> ChildConcernReferral:
    return selectors.referral_get(user=actor, public_id=referral_id, log=False)


def referral_out(referral: ChildConcernReferral) -> dict[str, Any]:
    """A referral as the API shows it (never its restricted research)."""
    return {
        "id": referral.public_id,
        "reference": referral.reference,
        "state": referral.state,
        "raised_by": referral.raised_by.username,
        "case": referral.case.public_id if referral.case else None,
        "categories": referral.categories,
        "narrative": referral.narrative,
        "perpetrator_description": referral.perpetrator_description,
        "child_seen": referral.child_seen,
        "child_spoken_to": referral.child_spoken_to,
        "child_words": referral.child_words,
        "child_demeanour": referral.child_demeanour,
        "child_not_seen_reason": referral.child_not_seen_reason,
        "officer_grade": referral.officer_grade or None,
        "immediate_actions": referral.immediate_actions,
        "submitted_at": referral.submitted_at,
        "allocated_to": referral.allocated_to.username if referral.allocated_to else None,
        "rag": referral.rag or None,
        "share_by": referral.share_by,
        "reviewed_at": referral.reviewed_at,
        "decided_at": referral.decided_at,
        "shared_at": referral.shared_at,
        "people": [
            {"person": link.person.public_id, "name": link.person.full_name, "role": link.role}
            for link in referral.people.all()
        ],
        "entries": [
            {"kind": e.kind, "at": e.at, "author": e.author.username if e.author else None, "text": e.text}
            for e in referral.entries.select_related("author")
        ],
    }


def _answer(actor: User, result: Any) -> dict[str, Any]:
    """The referral after the write, as the writer now sees it (the write itself was logged)."""
    referral = result if isinstance(result, ChildConcernReferral) else result.referral
    return referral_out(selectors.referral_get(user=actor, public_id=referral.public_id, log=False))


def strategy_out(discussion: Any) -> dict[str, Any]:
    return {
        "id": discussion.public_id,
        "held_on": discussion.held_on,
        "attendees": discussion.attendees,
        "agencies": discussion.agencies,
        "outcome": discussion.outcome,
        "decision": discussion.decision,
        "icpc": discussion.icpc,
        "icpc_due": discussion.icpc_due,
        "referrals": [r.reference for r in discussion.referrals.all()],
    }


def _api(path: str, summary: str, *, status: int = 201) -> Api:
    return Api(
        "POST",
        f"/{{referral_id}}/{path}",
        out=ReferralOut,
        load=_referral,
        answer=_answer,
        status=status,
        errors=(404, 409),
        summary=summary,
    )


referral_start = declare(
    "referrals.referral_start",
    input=ReferralStartIn,
    perm=Perm.REFERRALS_REFERRAL_CREATE,
    service=services.referral_start,
    api=Api(
        "POST",
        "",
        out=ReferralOut,
        answer=_answer,
        errors=(),
        summary="Start a draft child concern referral about a child (from a case or missing episode, or alone)",
    ),
    page="referrals:start",
)

referral_update = declare(
    "referrals.referral_update",
    input=ReferralDraftIn,
    perm=Perm.REFERRALS_REFERRAL_CREATE,
    service=services.referral_update,
    target="referral",
    api=Api(
        "PUT",
        "/{referral_id}",
        out=ReferralOut,
        load=_referral,
        answer=_answer,
        status=200,
        errors=(404, 409),
        summary="Save a draft referral (only its officer, only while it is a draft)",
    ),
    page="referrals:edit",
)

person_add = declare(
    "referrals.person_add",
    input=PersonAddIn,
    perm=Perm.REFERRALS_REFERRAL_CREATE,
    service=services.person_add,
    target="referral",
    api=_api("people", "Add a child, household member or alleged perpetrator from the register to a draft"),
    page="referrals:people",
)

person_remove = declare(
    "referrals.person_remove",
    input=PersonAddIn,
    perm=Perm.REFERRALS_REFERRAL_CREATE,
    service=services.person_remove,
    target="referral",
    api=_api("people/removals", "Take a person off a draft referral", status=200),
    page="referrals:person-remove",
)

referral_submit = declare(
    "referrals.referral_submit",
    input=ReferralSubmitIn,
    perm=Perm.REFERRALS_REFERRAL_CREATE,
    service=services.referral_submit,
    target="referral",
    api=Api(
        "POST",
        "/{referral_id}/submissions",
        out=ReferralOut,
        load=_referral,
        answer=_answer,
        status=200,
        errors=(404, 409, 422),
        summary="Send a draft to the CRSU: not without the voice of the child (S-01); starts its deadlines (S-02)",
    ),
    page="referrals:submit",
)

referral_correct = declare(
    "referrals.referral_correct",
    input=CorrectionIn,
    perm=Perm.REFERRALS_REFERRAL_CREATE,
    service=services.referral_correct,
    target="referral",
    api=_api("corrections", "Correct a submitted referral: a new entry (what was submitted never changes)"),
    page="referrals:correct",
)

referral_allocate = declare(
    "referrals.referral_allocate",
    input=AllocateIn,
    perm=Perm.REFERRALS_REFERRAL_REVIEW,
    service=services.referral_allocate,
    target="referral",
    api=_api("allocations", "Allocate a referral to a CRSU officer"),
    page="referrals:allocate",
)

research_add = declare(
    "referrals.research_add",
    input=ResearchNoteIn,
    perm=Perm.REFERRALS_REFERRAL_SHARE,
    service=services.research_add,
    target="referral",
    api=_api("research", "Add a restricted research note (DP-06)"),
    page="referrals:research",
)

referral_rate = declare(
    "referrals.referral_rate",
    input=RateIn,
    perm=Perm.REFERRALS_REFERRAL_SHARE,
    service=services.referral_rate,
    target="referral",
    api=_api("ratings", "Rate a referral red, amber or green: its share deadline follows force policy"),
    page="referrals:rate",
)

referral_review = declare(
    "referrals.referral_review",
    input=ReviewIn,
    perm=Perm.REFERRALS_REFERRAL_REVIEW,
    service=services.referral_review,
    target="referral",
    api=_api("reviews", "A supervisor's review of a referral (S-02)"),
    page="referrals:review",
)

referral_decide = declare(
    "referrals.referral_decide",
    input=DecideIn,
    perm=Perm.REFERRALS_REFERRAL_SHARE,
    service=services.referral_decide,
    target="referral",
    api=_api("decisions", "Decide to share or not, with the lawful basis and reason (S-04; T-01's gate)"),
    page="referrals:decide",
)

decision_approve = declare(
    "referrals.decision_approve",
    input=ApproveIn,
    perm=Perm.REFERRALS_REFERRAL_REVIEW,
    service=services.decision_approve,
    target="referral",
    api=_api("approvals", "Approve a decision made by an officer in training (a signed-off colleague)"),
    page="referrals:approve",
)

strategy_record = declare(
    "referrals.strategy_record",
    input=StrategyIn,
    perm=Perm.REFERRALS_STRATEGY_RECORD,
    service=services.strategy_record,
    api=Api(
        "POST",
        "/strategy-discussions",
        out=StrategyOut,
        answer=lambda actor, result: strategy_out(result),
        errors=(),
        summary="Record a strategy discussion; with a conference to follow, its due date is shown (S-03)",
    ),
    page="referrals:strategy-new",
)
