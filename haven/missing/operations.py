"""Every write to missing-child episodes, declared once: input model, permission, service, API route
and page. The routes are mounted by ``haven.missing.api`` at /api/v1/missing; handover (M-10) is on
the episode's case (``POST /api/v1/cases/{case_id}/handover``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from ninja import Status

from haven.accounts.models import User
from haven.core.operations import Api, Operation, declare
from haven.core.permissions import Perm
from haven.missing import rules, selectors, services
from haven.missing.models import Enquiry, Episode
from haven.missing.schemas import (
    AssessmentOut,
    CraRecordIn,
    EnquiriesRaiseIn,
    EnquiryAllocateIn,
    EnquiryCancelIn,
    EnquiryOut,
    EnquiryRaiseIn,
    EnquiryResultIn,
    EpisodeCancelIn,
    EpisodeCloseIn,
    EpisodeDetailOut,
    EpisodeEscalateIn,
    EpisodeFoundIn,
    EpisodeReportIn,
    ExploitationRecordIn,
    FoundDeceasedIn,
    ObligationRecordIn,
    PlanActionsRaiseIn,
    PreventionInterviewIn,
    PreventionWaiveIn,
    ReturnInterviewIn,
    ReviewOut,
    RiskAssessmentIn,
    SightingIn,
    SightingOut,
    SightingReceivedOut,
    SightingReportIn,
    SupervisorReviewIn,
)

EPISODE = "/episodes/{episode_id}"
ENQUIRY = "/enquiries/{enquiry_id}"


def _episode(actor: User, episode_id: UUID) -> Episode:
    return selectors.episode_get(user=actor, public_id=episode_id, log=False)


def _locatable(actor: User, episode_id: UUID) -> Episode:
    """An episode the caller works, else one whose briefing they may read to help find the child (else 404)."""
    return selectors.episode_for_locating(user=actor, public_id=episode_id, log=False)


def _enquiry(actor: User, enquiry_id: UUID) -> Enquiry:
    return selectors.enquiry_get(user=actor, public_id=enquiry_id, log=False)


def _episode_now(actor: User, result: Any) -> Episode:
    """The whole episode as the writer now sees it (the answer of most steps)."""
    episode = result if isinstance(result, Episode) else result.episode
    return selectors.episode_get(user=actor, public_id=episode.public_id, log=False)


def _reported(actor: User, episode: Episode) -> Status[Episode]:
    """201 with the new episode; 200 with the one a retry (same idempotency key) already made."""
    shown = selectors.episode_get(user=actor, public_id=episode.public_id, log=episode.replayed)
    return Status(200 if episode.replayed else 201, shown)


def _step(
    name: str,
    *,
    input: type[Any],  # noqa: A002 - the declaration's word
    perm: Perm,
    service: Callable[..., Any],
    path: str,
    summary: str,
    page: str | None,
    status: int = 200,
) -> Operation:
    """A step of the episode's journey: acts on the episode and answers with the whole episode."""
    api = Api(
        "POST", EPISODE + path, out=EpisodeDetailOut, status=status, load=_episode, answer=_episode_now, summary=summary
    )
    return declare(name, input=input, perm=perm, service=service, target="episode", api=api, page=page)


# --- Report and risk ------------------------------------------------------------------------------------

episode_report = declare(
    "missing.episode_report",
    input=EpisodeReportIn,
    perm=Perm.MISSING_EPISODE_CREATE,
    service=services.episode_report,
    api=Api(
        "POST",
        "/episodes",
        out=EpisodeDetailOut,
        statuses=(200,),
        headers={"idempotency_key": "Idempotency-Key"},
        answer=_reported,
        summary="Report a missing child (201; 200 when the idempotency key was already used)",
    ),
    page="missing:report-child",
)

risk_assess = declare(
    "missing.risk_assess",
    input=RiskAssessmentIn,
    perm=Perm.MISSING_RISK_GRADE,
    service=services.risk_assess,
    target="episode",
    api=Api(
        "POST",
        EPISODE + "/assessments",
        out=AssessmentOut,
        load=_episode,
        summary="Grade or re-grade the risk (M-01..M-08; append-only)",
    ),
    page="missing:grade",
)

obligation_record = _step(
    "missing.obligation_record",
    service=services.obligation_record,
    input=ObligationRecordIn,
    perm=Perm.MISSING_EPISODE_RECORD,
    path="/obligations",
    summary="Record PNC circulation (M-09) or a high-risk obligation (M-07)",
    page="missing:obligation",
)

cra_record = _step(
    "missing.cra_record",
    service=services.cra_record,
    input=CraRecordIn,
    perm=Perm.MISSING_RISK_GRADE,
    path="/child-rescue-alert",
    summary="Record the Child Rescue Alert consideration (M-08)",
    page=None,  # the grading page records it with the grade
)

# --- Enquiries ------------------------------------------------------------------------------------------

enquiry_raise = declare(
    "missing.enquiry_raise",
    input=EnquiryRaiseIn,
    perm=Perm.MISSING_ENQUIRY_RECORD,
    service=services.enquiry_raise,
    target="episode",
    api=Api(
        "POST",
        EPISODE + "/enquiries",
        out=EnquiryOut,
        load=_episode,
        summary="Raise an enquiry (due after its priority's time unless due_at is given)",
    ),
    page=None,  # the page raises one or several: enquiries_raise
)

enquiries_raise = declare(
    "missing.enquiries_raise",
    input=EnquiriesRaiseIn,
    perm=Perm.MISSING_ENQUIRY_RECORD,
    service=services.enquiries_raise,
    target="episode",
    api=Api(
        "POST",
        EPISODE + "/enquiries/batch",
        out=list[EnquiryOut],
        load=_episode,
        summary="Raise several enquiries at once: all of them, or none when any is refused",
    ),
    page="missing:enquiry-new",
)

plan_actions_raise = declare(
    "missing.plan_actions_raise",
    input=PlanActionsRaiseIn,
    perm=Perm.MISSING_ENQUIRY_RECORD,
    service=services.plan_actions_raise,
    target="episode",
    api=Api(
        "POST",
        EPISODE + "/plan-actions",
        out=list[EnquiryOut],
        load=_episode,
        summary="Raise the child's trigger-plan actions as urgent enquiries (M-15 hand-off)",
    ),
    page="missing:plan-actions",
)


def _enquiry_step(
    name: str,
    *,
    input: type[Any],  # noqa: A002 - the declaration's word
    service: Callable[..., Any],
    path: str,
    summary: str,
    page: str,
) -> Operation:
    """A step on one enquiry: answers with the enquiry."""
    api = Api("POST", ENQUIRY + path, out=EnquiryOut, status=200, load=_enquiry, summary=summary)
    return declare(
        name, input=input, perm=Perm.MISSING_ENQUIRY_RECORD, service=service, target="enquiry", api=api, page=page
    )


enquiry_allocate = _enquiry_step(
    "missing.enquiry_allocate",
    service=services.enquiry_allocate,
    input=EnquiryAllocateIn,
    path="/allocate",
    summary="Allocate an enquiry",
    page="missing:enquiry-allocate",
)
enquiry_complete = _enquiry_step(
    "missing.enquiry_complete",
    service=services.enquiry_complete,
    input=EnquiryResultIn,
    path="/result",
    summary="Record an enquiry's result",
    page="missing:enquiry-result",
)
enquiry_cancel = _enquiry_step(
    "missing.enquiry_cancel",
    service=services.enquiry_cancel,
    input=EnquiryCancelIn,
    path="/cancel",
    summary="Cancel an enquiry, giving a reason",
    page="missing:enquiry-cancel",
)

# --- Supervision, found, interviews ---------------------------------------------------------------------

review_record = declare(
    "missing.review_record",
    input=SupervisorReviewIn,
    perm=Perm.MISSING_SUPERVISION_RECORD,
    service=services.review_record,
    target="episode",
    api=Api("POST", EPISODE + "/reviews", out=ReviewOut, load=_episode, summary="Record a supervisor review (M-04)"),
    page="missing:review",
)

episode_found = _step(
    "missing.episode_found",
    service=services.episode_found,
    input=EpisodeFoundIn,
    perm=Perm.MISSING_EPISODE_RECORD,
    path="/found",
    summary="Record that the child is found (starts M-11 and M-12)",
    page="missing:found",
)

prevention_interview_record = _step(
    "missing.prevention_interview_record",
    service=services.prevention_interview_record,
    input=PreventionInterviewIn,
    perm=Perm.MISSING_EPISODE_RECORD,
    path="/prevention-interview",
    status=201,
    summary="Record the prevention interview / safe and well check (M-11)",
    page="missing:prevention",
)

prevention_waive = _step(
    "missing.prevention_waive",
    service=services.prevention_waive,
    input=PreventionWaiveIn,
    perm=Perm.MISSING_SUPERVISION_RECORD,
    path="/prevention-waiver",
    summary="A supervisor records why no prevention interview was possible (M-11)",
    page="missing:waive",
)

rhi_update = _step(
    "missing.rhi_update",
    service=services.rhi_update,
    input=ReturnInterviewIn,
    perm=Perm.MISSING_EPISODE_RECORD,
    path="/return-interview",
    summary="Record the return home interview: offered, completed, declined or not done (M-12)",
    page="missing:rhi",
)

exploitation_record = _step(
    "missing.exploitation_record",
    service=services.exploitation_record,
    input=ExploitationRecordIn,
    perm=Perm.MISSING_EPISODE_RECORD,
    path="/exploitation",
    summary="Record what was done about the exploitation prompt (M-16)",
    page="missing:exploitation",
)

# --- Ending ---------------------------------------------------------------------------------------------

episode_close = _step(
    "missing.episode_close",
    service=services.episode_close,
    input=EpisodeCloseIn,
    perm=Perm.MISSING_SUPERVISION_RECORD,
    path="/close",
    summary="Close the episode (supervisor; refused until M-11 is met or waived, and while an M-16 review or "
    "the M-07 children's services notification is outstanding unless override_reason says why)",
    page="missing:close",
)

episode_cancel = _step(
    "missing.episode_cancel",
    service=services.episode_cancel,
    input=EpisodeCancelIn,
    perm=Perm.MISSING_EPISODE_RECORD,
    path="/cancel",
    summary="Cancel: not missing after all, with a reason",
    page="missing:cancel",
)

episode_escalate = _step(
    "missing.episode_escalate",
    service=services.episode_escalate,
    input=EpisodeEscalateIn,
    perm=Perm.MISSING_SUPERVISION_RECORD,
    path="/escalate",
    summary="Escalate to a crime investigation",
    page="missing:escalate",
)

episode_found_deceased = _step(
    "missing.episode_found_deceased",
    service=services.episode_found_deceased,
    input=FoundDeceasedIn,
    perm=Perm.MISSING_SUPERVISION_RECORD,
    path="/deceased",
    summary="Record that the child was found deceased",
    page="missing:deceased",
)

# --- Sightings ------------------------------------------------------------------------------------------

sighting_record = declare(
    "missing.sighting_record",
    input=SightingIn,
    perm=Perm.MISSING_SIGHTING_RECORD,
    service=services.sighting_record,
    target="episode",
    api=Api(
        "POST",
        EPISODE + "/sightings",
        out=SightingOut,
        load=_locatable,
        summary="Record a sighting of a child missing now (any operational officer; the owner is told)",
    ),
    page="missing:sighting",
)


def _received(actor: User, result: Any) -> dict[str, str]:
    """The same words whether the name matched or not: a restricted child's episode is never revealed."""
    return {"message": rules.SIGHTING_RECEIVED}


sighting_report = declare(
    "missing.sighting_report",
    input=SightingReportIn,
    perm=Perm.MISSING_SIGHTING_RECORD,
    service=services.sighting_report,
    api=Api(
        "POST",
        "/sightings",
        out=SightingReceivedOut,
        status=202,
        answer=_received,
        summary="Report a sighting of a child by name (matched to the child missing now, never revealed)",
    ),
    page="missing:sighting-report",
)


ALL = (
    episode_report,
    risk_assess,
    obligation_record,
    cra_record,
    enquiry_raise,
    enquiries_raise,
    plan_actions_raise,
    enquiry_allocate,
    enquiry_complete,
    enquiry_cancel,
    review_record,
    episode_found,
    prevention_interview_record,
    prevention_waive,
    rhi_update,
    exploitation_record,
    episode_close,
    episode_cancel,
    episode_escalate,
    episode_found_deceased,
    sighting_record,
    sighting_report,
)
"""Every missing write, in the order the API lists them."""
