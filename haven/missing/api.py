"""The missing routes of the JSON API (registered in config/api.py at /api/v1/missing).

Every step of the episode journey: report (with an idempotency key, so a call-handling system can
retry safely), risk assessment, obligations, enquiries, supervisor review, found, prevention
interview, return home interview, exploitation prompt, close, cancel, escalate, found deceased.
Handover (M-10) is on the episode's case: ``POST /api/v1/cases/{case_id}/handover``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema, Status
from pydantic import StringConstraints

from haven.accounts.models import User
from haven.api.auth import require
from haven.api.errors import errors
from haven.core.types import Moment
from haven.core.errors import NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.missing import selectors, services
from haven.missing.choices import (
    CraDecision,
    EnquiryPriority,
    EnquiryStatus,
    EnquiryType,
    EpisodeState,
    ExploitationOutcome,
    InterviewMode,
    MissingFrom,
    Obligation,
    ReasonMissing,
    RhiStatus,
    RiskGrade,
    WhereFound,
)
from haven.missing.models import Enquiry, Episode, ReturnHomeInterview, RiskAssessment, SupervisorReview

router = Router(tags=["missing"])

Line = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$")]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")]
Username = Annotated[str, StringConstraints(pattern=r"^[\w.@+-]{1,150}$")]
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,100}")
Key = Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]{1,100}$")]


class UserRef(Schema):
    username: str
    name: str


def _user(user: User | None) -> dict[str, str] | None:
    return {"username": user.username, "name": user.rank_and_name} if user is not None else None


class SourceOut(Schema):
    information: str
    provider_name: str
    provider_contact: str
    obtained_at: datetime


class AssessmentOut(Schema):
    id: UUID
    grade: RiskGrade
    vocabulary_version: str = Field(description="M-01: the risk vocabulary the grade was chosen from.")
    rationale: str
    assessed_by: UserRef
    assessed_at: datetime
    next_review_due: datetime
    agreed_actions: str
    floor_override_reason: str
    sources: list[SourceOut]


class EnquiryOut(Schema):
    id: UUID
    episode: UUID
    type: EnquiryType
    description: str
    priority: EnquiryPriority
    status: EnquiryStatus
    raised_by: UserRef
    raised_at: datetime
    allocated_to: UserRef | None
    due_at: datetime
    overdue: bool
    result: str
    completed_by: UserRef | None
    completed_at: datetime | None
    cancel_reason: str
    from_plan: bool


class ReviewOut(Schema):
    id: UUID
    reviewer: UserRef
    reviewed_at: datetime
    grade_confirmed: bool
    decision: str
    next_review_due: datetime


class PreventionOut(Schema):
    done_at: datetime
    done_by: UserRef
    mode: InterviewMode
    why_went: str
    what_happened: str
    harm_or_crime: str
    with_whom: str
    safeguarding_referrals: str


class RhiOut(Schema):
    authority: str
    recipient: str
    channel: str
    requested_at: datetime
    due_at: datetime
    status: RhiStatus
    offered_at: datetime | None
    completed_at: datetime | None
    interviewer: str
    reason: str
    themes: str


class EpisodeOut(Schema):
    id: UUID
    case_id: UUID = Field(description="The episode's case: handover (M-10) and notes are on /api/v1/cases.")
    reference: str
    child: dict[str, Any] = Field(description="id and name of the child")
    state: EpisodeState
    grade: RiskGrade | None
    reported_at: datetime
    last_seen_at: datetime
    last_seen_where: str
    missing_from: MissingFrom
    next_review_due: datetime | None
    found_at: datetime | None
    owner: UserRef


class EpisodeDetailOut(EpisodeOut):
    informant_name: str
    informant_relationship: str
    informant_contact: str
    last_seen_by: str
    circumstances: str
    out_of_character: bool | None
    looked_after: bool
    responsible_authority: str
    host_authority: str
    philomena_exists: bool | None
    philomena_obtained_at: datetime | None
    pnc_circulated_at: datetime | None
    ukmpu_notified_at: datetime | None
    childrens_services_notified_at: datetime | None
    senior_manager_involved_at: datetime | None
    investigating_officer: UserRef | None
    media_strategy: str
    cra_decision: CraDecision | None
    cra_reason: str
    outstanding_obligations: list[Obligation] = Field(description="M-07: what a high-risk episode still lacks.")
    found_where: str
    found_where_code: WhereFound | None
    found_by: str
    found_condition: str
    exploitation_prompt: str = Field(description="M-16: why an exploitation review is prompted (empty: none).")
    exploitation_outcome: ExploitationOutcome | None
    prevention_waived_reason: str
    reason_missing: ReasonMissing | None
    end_reason: str
    crime_reference: str
    close_blockers: list[str] = Field(description="Why the episode cannot close yet (M-11).")
    assessments: list[AssessmentOut]
    enquiries: list[EnquiryOut]
    reviews: list[ReviewOut]
    prevention_interview: PreventionOut | None
    return_interview: RhiOut | None


def _episode(e: Episode) -> dict[str, Any]:
    return {
        "id": e.public_id,
        "case_id": e.case.public_id,
        "reference": e.case.reference,
        "child": {"id": str(e.child.public_id), "name": e.child.full_name},
        "state": e.state,
        "grade": e.grade or None,
        "reported_at": e.reported_at,
        "last_seen_at": e.last_seen_at,
        "last_seen_where": e.last_seen_where,
        "missing_from": e.missing_from,
        "next_review_due": e.next_review_due,
        "found_at": e.found_at,
        "owner": _user(e.case.owner),
    }


def _assessment(a: RiskAssessment) -> dict[str, Any]:
    return {
        "id": a.public_id,
        "grade": a.grade,
        "vocabulary_version": a.vocabulary_version,
        "rationale": a.rationale,
        "assessed_by": _user(a.assessed_by),
        "assessed_at": a.assessed_at,
        "next_review_due": a.next_review_due,
        "agreed_actions": a.agreed_actions,
        "floor_override_reason": a.floor_override_reason,
        "sources": [
            {
                "information": s.information,
                "provider_name": s.provider_name,
                "provider_contact": s.provider_contact,
                "obtained_at": s.obtained_at,
            }
            for s in a.sources.all()
        ],
    }


def _enquiry(q: Enquiry) -> dict[str, Any]:
    return {
        "id": q.public_id,
        "episode": q.episode.public_id,
        "type": q.type,
        "description": q.description,
        "priority": q.priority,
        "status": q.status,
        "raised_by": _user(q.raised_by),
        "raised_at": q.raised_at,
        "allocated_to": _user(q.allocated_to),
        "due_at": q.due_at,
        "overdue": q.is_overdue,
        "result": q.result,
        "completed_by": _user(q.completed_by),
        "completed_at": q.completed_at,
        "cancel_reason": q.cancel_reason,
        "from_plan": q.from_plan,
    }


def _review(r: SupervisorReview) -> dict[str, Any]:
    return {
        "id": r.public_id,
        "reviewer": _user(r.reviewer),
        "reviewed_at": r.reviewed_at,
        "grade_confirmed": r.grade_confirmed,
        "decision": r.decision,
        "next_review_due": r.next_review_due,
    }


def _rhi(r: ReturnHomeInterview | None) -> dict[str, Any] | None:
    if r is None:
        return None
    names = ["authority", "recipient", "channel", "requested_at", "due_at", "status", "offered_at", "completed_at"]
    return {n: getattr(r, n) for n in [*names, "interviewer", "reason", "themes"]}


def _detail(user: User, e: Episode) -> dict[str, Any]:
    from haven.missing import rules
    from haven.missing.models import PreventionInterview

    out = _episode(e)
    for name in (
        "informant_name",
        "informant_relationship",
        "informant_contact",
        "last_seen_by",
        "circumstances",
        "out_of_character",
        "looked_after",
        "responsible_authority",
        "host_authority",
        "philomena_exists",
        "philomena_obtained_at",
        "pnc_circulated_at",
        "ukmpu_notified_at",
        "childrens_services_notified_at",
        "senior_manager_involved_at",
        "media_strategy",
        "cra_reason",
        "found_where",
        "found_by",
        "found_condition",
        "exploitation_prompt",
        "prevention_waived_reason",
        "end_reason",
        "crime_reference",
    ):
        out[name] = getattr(e, name)
    for name in ("cra_decision", "found_where_code", "exploitation_outcome", "reason_missing"):
        out[name] = getattr(e, name) or None
    out["investigating_officer"] = _user(e.investigating_officer)
    out["outstanding_obligations"] = [o.value for o in rules.outstanding_obligations(e)]
    out["close_blockers"] = rules.close_blockers(e) if e.state == EpisodeState.FOUND else []
    out["assessments"] = [
        _assessment(a) for a in e.assessments.select_related("assessed_by").prefetch_related("sources")
    ]
    out["enquiries"] = [
        _enquiry(q) for q in e.enquiries.select_related("episode", "raised_by", "allocated_to", "completed_by")
    ]
    out["reviews"] = [_review(r) for r in e.reviews.select_related("reviewer")]
    interview = PreventionInterview.objects.filter(episode=e).select_related("done_by").first()
    out["prevention_interview"] = (
        {
            "done_at": interview.done_at,
            "done_by": _user(interview.done_by),
            "mode": interview.mode,
            "why_went": interview.why_went,
            "what_happened": interview.what_happened,
            "harm_or_crime": interview.harm_or_crime,
            "with_whom": interview.with_whom,
            "safeguarding_referrals": interview.safeguarding_referrals,
        }
        if interview
        else None
    )
    out["return_interview"] = _rhi(ReturnHomeInterview.objects.filter(episode=e).first())
    return out


def _get(user: User, episode_id: UUID, *, log: bool = False) -> Episode:
    return selectors.episode_get(user=user, public_id=episode_id, log=log)


def _reread(user: User, episode_id: UUID) -> dict[str, Any]:
    return _detail(user, _get(user, episode_id))


def _username(name: str | None, field: str) -> User | None:
    if not name:
        return None
    user = User.objects.filter(username=name).first()
    if user is None:
        raise ValidationFailed("There is no such user.", fields={field: ["There is no user with this username."]})
    return user


# --- Schemas in ---------------------------------------------------------------------------------


class ReportIn(Schema):
    child: UUID = Field(description="The public id of the child (find or create them with /api/v1/people).")
    informant_name: Line = Field(min_length=1, max_length=200)
    informant_relationship: Line = Field("", max_length=100)
    informant_contact: Line = Field("", max_length=200)
    last_seen_at: Moment
    last_seen_where: Line = Field(min_length=1, max_length=300)
    last_seen_by: Line = Field("", max_length=200)
    missing_from: MissingFrom
    circumstances: Text = Field(min_length=1, max_length=10_000)
    out_of_character: bool | None = None
    clothing: Text = Field("", max_length=10_000)
    looked_after: bool | None = Field(None, description="Omit to take it from the child's current flags (M-13).")
    responsible_authority: Line = Field("", max_length=200)
    host_authority: Line = Field("", max_length=200)
    philomena_exists: bool | None = None
    source_reference: Line = Field("", max_length=64)
    idempotency_key: Key | None = Field(
        None, description="Or the Idempotency-Key header: a retry returns the same episode."
    )


class SourceIn(Schema):
    information: Text = Field(min_length=1, max_length=10_000)
    provider_name: Line = Field(min_length=1, max_length=200)
    provider_contact: Line = Field(min_length=1, max_length=200)
    obtained_at: Moment


class AssessmentIn(Schema):
    grade: RiskGrade
    rationale: Text = Field(min_length=1, max_length=10_000)
    sources: list[SourceIn] = Field(max_length=50, description="M-02: at least one.")
    next_review_due: Moment | None = None
    agreed_actions: Text = Field("", max_length=10_000)
    floor_override_reason: Text = Field("", max_length=10_000)
    cra_decision: CraDecision | None = None
    cra_reason: Text = Field("", max_length=10_000)


class ObligationIn(Schema):
    obligation: Obligation
    at: Moment | None = None
    officer: Username | None = Field(None, description="Senior manager or investigating officer (username).")
    note: Text = Field("", max_length=10_000, description="The media strategy decision.")


class CraIn(Schema):
    decision: CraDecision
    reason: Text = Field(min_length=1, max_length=10_000)


class EnquiryIn(Schema):
    type: EnquiryType
    description: Text = Field(min_length=1, max_length=10_000)
    due_at: Moment | None = None
    priority: EnquiryPriority = EnquiryPriority.ROUTINE
    allocated_to: Username | None = None


class AllocateIn(Schema):
    to_user: Username


class ResultIn(Schema):
    result: Text = Field(min_length=1, max_length=10_000)


class ReasonIn(Schema):
    reason: Text = Field(min_length=1, max_length=2_000)


class ReviewIn(Schema):
    decision: Text = Field(min_length=1, max_length=10_000)
    grade_confirmed: bool = True
    next_review_due: Moment | None = None


class FoundIn(Schema):
    found_at: Moment
    found_where: Line = Field(min_length=1, max_length=300)
    found_where_code: WhereFound
    found_by: Line = Field(min_length=1, max_length=200)
    condition: Text = Field(min_length=1, max_length=10_000)
    far_from_home: bool = False
    with_adults_of_concern: bool = False
    rhi_authority: Line = Field("", max_length=200, description="M-12: defaults to the responsible authority.")
    rhi_recipient: Line = Field("", max_length=254, description="M-12: who at the authority is told.")
    rhi_channel: Line = Field("secure e-mail", max_length=32)


class PreventionIn(Schema):
    done_at: Moment
    mode: InterviewMode
    why_went: Text = Field(min_length=1, max_length=10_000)
    what_happened: Text = Field(min_length=1, max_length=10_000)
    harm_or_crime: Text = Field("", max_length=10_000)
    with_whom: Text = Field("", max_length=10_000)
    safeguarding_referrals: Text = Field("", max_length=10_000)


class RhiIn(Schema):
    status: RhiStatus
    offered_at: Moment | None = None
    completed_at: Moment | None = None
    interviewer: Line = Field("", max_length=200)
    reason: Text = Field("", max_length=10_000)
    themes: Text = Field("", max_length=10_000)


class ExploitationIn(Schema):
    outcome: ExploitationOutcome
    note: Text = Field(min_length=1, max_length=10_000)


class CloseIn(Schema):
    reason_missing: ReasonMissing
    reason: Text = Field(min_length=1, max_length=2_000)


class EscalateIn(Schema):
    crime_reference: Line = Field(min_length=1, max_length=64)
    reason: Text = Field(min_length=1, max_length=2_000)


class DeceasedIn(Schema):
    found_at: Moment
    found_where: Line = Field(min_length=1, max_length=300)
    reason: Text = Field(min_length=1, max_length=2_000)


# --- Routes -------------------------------------------------------------------------------------

EPISODE = "/episodes/{episode_id}"


@router.get("/episodes", response={200: list[EpisodeOut], **errors(422)}, summary="Missing episodes you can see")
def episode_list(request: HttpRequest, active: bool = True) -> object:
    user = require(request, Perm.MISSING_EPISODE_VIEW)
    return [_episode(e) for e in selectors.episode_list(user=user, active=active, query=request.GET.urlencode())]


@router.post(
    "/episodes",
    response={200: EpisodeDetailOut, 201: EpisodeDetailOut, **errors(400, 409, 422)},
    summary="Report a missing child (201; 200 when the idempotency key was already used)",
)
def episode_report(
    request: HttpRequest,
    payload: ReportIn,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Status:
    from haven.people.selectors import person_get

    user = require(request, Perm.MISSING_EPISODE_CREATE)
    key = payload.idempotency_key or idempotency_key
    if key is not None and not KEY_PATTERN.fullmatch(key):
        raise ValidationFailed(
            "The idempotency key is not valid.",
            fields={"idempotency_key": ["Use 1 to 100 printable characters without spaces."]},
        )
    existing = Episode.objects.filter(reported_by=user, idempotency_key=key).first() if key else None
    if existing is not None:
        return Status(200, _detail(user, _get(user, existing.public_id, log=True)))
    try:
        child = person_get(user=user, public_id=payload.child, log=False)
    except NotFound:
        raise ValidationFailed(
            "The report could not be made.", fields={"child": ["There is no person with this id that you can see."]}
        ) from None
    data = payload.dict(exclude={"child", "idempotency_key"})
    episode = services.episode_report(actor=user, child=child, idempotency_key=key, **data)
    return Status(201, _detail(user, _get(user, episode.public_id)))


@router.get(EPISODE, response={200: EpisodeDetailOut, **errors(404, 422)}, summary="One missing episode")
def episode_get(request: HttpRequest, episode_id: UUID) -> object:
    user = require(request, Perm.MISSING_EPISODE_VIEW)
    return _detail(user, _get(user, episode_id, log=True))


@router.post(
    EPISODE + "/assessments",
    response={201: AssessmentOut, **errors(400, 404, 409, 422)},
    summary="Grade or re-grade the risk (M-01..M-08; append-only)",
)
def assess(request: HttpRequest, episode_id: UUID, payload: AssessmentIn) -> Status:
    user = require(request, Perm.MISSING_RISK_GRADE)
    episode = _get(user, episode_id)
    assessment = services.risk_assess(
        actor=user,
        episode=episode,
        grade=payload.grade,
        rationale=payload.rationale,
        sources=[services.Source(**s.dict()) for s in payload.sources],
        next_review_due=payload.next_review_due,
        agreed_actions=payload.agreed_actions,
        floor_override_reason=payload.floor_override_reason,
        cra_decision=payload.cra_decision or "",
        cra_reason=payload.cra_reason,
    )
    return Status(201, _assessment(assessment))


@router.post(
    EPISODE + "/obligations",
    response={200: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="Record PNC circulation (M-09) or a high-risk obligation (M-07)",
)
def obligation(request: HttpRequest, episode_id: UUID, payload: ObligationIn) -> object:
    user = require(request, Perm.MISSING_EPISODE_VIEW)
    episode = _get(user, episode_id)
    services.obligation_record(
        actor=user,
        episode=episode,
        obligation=payload.obligation,
        at=payload.at,
        officer=_username(payload.officer, "officer"),
        note=payload.note,
    )
    return _reread(user, episode_id)


@router.post(
    EPISODE + "/child-rescue-alert",
    response={200: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="Record the Child Rescue Alert consideration (M-08)",
)
def cra(request: HttpRequest, episode_id: UUID, payload: CraIn) -> object:
    user = require(request, Perm.MISSING_RISK_GRADE)
    services.cra_record(actor=user, episode=_get(user, episode_id), decision=payload.decision, reason=payload.reason)
    return _reread(user, episode_id)


@router.post(
    EPISODE + "/enquiries",
    response={201: EnquiryOut, **errors(400, 404, 409, 422)},
    summary="Raise an enquiry",
)
def enquiry_raise(request: HttpRequest, episode_id: UUID, payload: EnquiryIn) -> Status:
    user = require(request, Perm.MISSING_ENQUIRY_RECORD)
    enquiry = services.enquiry_raise(
        actor=user,
        episode=_get(user, episode_id),
        type=payload.type,
        description=payload.description,
        due_at=payload.due_at,
        priority=payload.priority,
        allocated_to=_username(payload.allocated_to, "allocated_to"),
    )
    return Status(201, _enquiry(enquiry))


def _enquiry_get(user: User, enquiry_id: UUID) -> Enquiry:
    return selectors.enquiry_get(user=user, public_id=enquiry_id, log=False)


def _enquiry_reread(user: User, enquiry_id: UUID) -> dict[str, Any]:
    return _enquiry(selectors.enquiry_get(user=user, public_id=enquiry_id, log=False))


@router.post(
    "/enquiries/{enquiry_id}/allocate",
    response={200: EnquiryOut, **errors(400, 404, 409, 422)},
    summary="Allocate an enquiry",
)
def enquiry_allocate(request: HttpRequest, enquiry_id: UUID, payload: AllocateIn) -> object:
    user = require(request, Perm.MISSING_ENQUIRY_RECORD)
    to_user = _username(payload.to_user, "to_user")
    assert to_user is not None
    services.enquiry_allocate(actor=user, enquiry=_enquiry_get(user, enquiry_id), to_user=to_user)
    return _enquiry_reread(user, enquiry_id)


@router.post(
    "/enquiries/{enquiry_id}/result",
    response={200: EnquiryOut, **errors(400, 404, 409, 422)},
    summary="Record an enquiry's result",
)
def enquiry_result(request: HttpRequest, enquiry_id: UUID, payload: ResultIn) -> object:
    user = require(request, Perm.MISSING_ENQUIRY_RECORD)
    services.enquiry_complete(actor=user, enquiry=_enquiry_get(user, enquiry_id), result=payload.result)
    return _enquiry_reread(user, enquiry_id)


@router.post(
    "/enquiries/{enquiry_id}/cancel",
    response={200: EnquiryOut, **errors(400, 404, 409, 422)},
    summary="Cancel an enquiry, giving a reason",
)
def enquiry_cancel(request: HttpRequest, enquiry_id: UUID, payload: ReasonIn) -> object:
    user = require(request, Perm.MISSING_ENQUIRY_RECORD)
    services.enquiry_cancel(actor=user, enquiry=_enquiry_get(user, enquiry_id), reason=payload.reason)
    return _enquiry_reread(user, enquiry_id)


@router.post(
    EPISODE + "/reviews",
    response={201: ReviewOut, **errors(400, 404, 409, 422)},
    summary="Record a supervisor review (M-04)",
)
def review(request: HttpRequest, episode_id: UUID, payload: ReviewIn) -> Status:
    user = require(request, Perm.MISSING_SUPERVISION_RECORD)
    r = services.review_record(
        actor=user,
        episode=_get(user, episode_id),
        decision=payload.decision,
        grade_confirmed=payload.grade_confirmed,
        next_review_due=payload.next_review_due,
    )
    return Status(201, _review(r))


@router.post(
    EPISODE + "/found",
    response={200: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="Record that the child is found (starts M-11 and M-12)",
)
def found(request: HttpRequest, episode_id: UUID, payload: FoundIn) -> object:
    user = require(request, Perm.MISSING_EPISODE_VIEW)
    services.episode_found(actor=user, episode=_get(user, episode_id), **payload.dict())
    return _reread(user, episode_id)


@router.post(
    EPISODE + "/prevention-interview",
    response={201: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="Record the prevention interview / safe and well check (M-11)",
)
def prevention(request: HttpRequest, episode_id: UUID, payload: PreventionIn) -> Status:
    user = require(request, Perm.MISSING_EPISODE_VIEW)
    services.prevention_interview_record(actor=user, episode=_get(user, episode_id), **payload.dict())
    return Status(201, _reread(user, episode_id))


@router.post(
    EPISODE + "/prevention-waiver",
    response={200: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="A supervisor records why no prevention interview was possible (M-11)",
)
def prevention_waiver(request: HttpRequest, episode_id: UUID, payload: ReasonIn) -> object:
    user = require(request, Perm.MISSING_SUPERVISION_RECORD)
    services.prevention_waive(actor=user, episode=_get(user, episode_id), reason=payload.reason)
    return _reread(user, episode_id)


@router.post(
    EPISODE + "/return-interview",
    response={200: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="Record the return home interview: offered, completed, declined or not done (M-12)",
)
def return_interview(request: HttpRequest, episode_id: UUID, payload: RhiIn) -> object:
    user = require(request, Perm.MISSING_EPISODE_VIEW)
    services.rhi_update(actor=user, episode=_get(user, episode_id), **payload.dict())
    return _reread(user, episode_id)


@router.post(
    EPISODE + "/exploitation",
    response={200: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="Record what was done about the exploitation prompt (M-16)",
)
def exploitation(request: HttpRequest, episode_id: UUID, payload: ExploitationIn) -> object:
    user = require(request, Perm.MISSING_EPISODE_VIEW)
    services.exploitation_record(actor=user, episode=_get(user, episode_id), outcome=payload.outcome, note=payload.note)
    return _reread(user, episode_id)


@router.post(
    EPISODE + "/close",
    response={200: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="Close the episode (supervisor; refused until M-11 is met or waived)",
)
def close(request: HttpRequest, episode_id: UUID, payload: CloseIn) -> object:
    user = require(request, Perm.MISSING_SUPERVISION_RECORD)
    services.episode_close(
        actor=user, episode=_get(user, episode_id), reason_missing=payload.reason_missing, reason=payload.reason
    )
    return _reread(user, episode_id)


@router.post(
    EPISODE + "/cancel",
    response={200: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="Cancel: not missing after all, with a reason",
)
def cancel(request: HttpRequest, episode_id: UUID, payload: ReasonIn) -> object:
    user = require(request, Perm.MISSING_EPISODE_VIEW)
    services.episode_cancel(actor=user, episode=_get(user, episode_id), reason=payload.reason)
    return _reread(user, episode_id)


@router.post(
    EPISODE + "/escalate",
    response={200: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="Escalate to a crime investigation",
)
def escalate(request: HttpRequest, episode_id: UUID, payload: EscalateIn) -> object:
    user = require(request, Perm.MISSING_SUPERVISION_RECORD)
    services.episode_escalate(
        actor=user, episode=_get(user, episode_id), crime_reference=payload.crime_reference, reason=payload.reason
    )
    return _reread(user, episode_id)


@router.post(
    EPISODE + "/deceased",
    response={200: EpisodeDetailOut, **errors(400, 404, 409, 422)},
    summary="Record that the child was found deceased",
)
def deceased(request: HttpRequest, episode_id: UUID, payload: DeceasedIn) -> object:
    user = require(request, Perm.MISSING_SUPERVISION_RECORD)
    services.episode_found_deceased(actor=user, episode=_get(user, episode_id), **payload.dict())
    return _reread(user, episode_id)
