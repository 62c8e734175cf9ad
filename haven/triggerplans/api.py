"""The trigger-plan routes of the JSON API (registered in config/api.py at /api/v1/trigger-plans).

Reads go through the plan case's need-to-know (``case_visible_to``) and are logged (s62
consultation); a plan or child the caller may not see answers 404, like one that does not exist.
Writes go through the same services as the pages (M-15: information-only plans are refused, 422).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from haven.accounts.models import User
from haven.api.auth import require
from haven.api.errors import errors
from haven.core.errors import NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.triggerplans import selectors, services
from haven.triggerplans.choices import ActionKind, PlanStatus, VersionKind
from haven.triggerplans.models import PlanAction, PlanVersion, TriggerPlan

router = Router(tags=["trigger plans"])

PlainText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$")]
NoteText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")]
Agency = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$", max_length=200)]
Threshold = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$", max_length=500)]
EnquiryCode = Annotated[str, StringConstraints(pattern=r"^[a-z_]{0,32}$")]


class TriggerPlanPerson(Schema):
    id: UUID
    name: str


class TriggerPlanUser(Schema):
    username: str
    name: str


class TriggerPlanActionOut(Schema):
    position: int
    kind: ActionKind
    target: str = Field(description="The address, place, person, number, account or who to tell.")
    person: TriggerPlanPerson | None = Field(description="The named person's register record, if linked.")
    instructions: str
    enquiry_type: str = Field(description="The haven.missing enquiry type it is offered as ('' for none).")
    text: str = Field(description="One line, as offered as an enquiry.")


class TriggerPlanVersionOut(Schema):
    number: int
    kind: VersionKind
    at: datetime
    author: TriggerPlanUser
    agencies: list[str]
    thresholds: list[str]
    review_date: date
    note: str
    current: bool
    superseded_at: datetime | None
    actions: list[TriggerPlanActionOut]


class TriggerPlanVersionSummary(Schema):
    number: int
    kind: VersionKind
    at: datetime
    author: TriggerPlanUser
    review_date: date
    superseded_at: datetime | None


class TriggerPlanOut(Schema):
    id: UUID
    case_id: UUID
    case_reference: str
    child: TriggerPlanPerson
    owner: TriggerPlanUser
    status: PlanStatus
    current: TriggerPlanVersionOut | None


class TriggerPlanDetailOut(TriggerPlanOut):
    versions: list[TriggerPlanVersionSummary]


class RepeatMissingFlagOut(Schema):
    raised_at: datetime
    episodes: int
    threshold: int
    window_days: int


class ChildPlanOut(Schema):
    child: TriggerPlanPerson
    status: PlanStatus = Field(description="none, current or out_of_date (past the review date).")
    repeat_missing: RepeatMissingFlagOut | None = Field(description="The child's repeat-missing flag (M-14).")
    exploitation_prompt: str | None = Field(description="M-16: prompt to consider an exploitation review / NRM.")
    plan: TriggerPlanDetailOut | None = Field(description="The plan, if there is one the caller may see.")


class RepeatMissingChildOut(Schema):
    child: TriggerPlanPerson
    raised_at: datetime
    episodes: int
    threshold: int
    window_days: int
    plan_due_at: datetime | None


class TriggerPlanActionIn(Schema):
    kind: ActionKind
    target: PlainText = Field("", max_length=500)
    person: UUID | None = Field(None, description="The public id of the person the action names, if recorded.")
    instructions: NoteText = Field("", max_length=2_000)
    enquiry_type: EnquiryCode = Field("", description="A haven.missing EnquiryType value; '' for the usual one.")


class TriggerPlanIn(Schema):
    agencies: list[Agency] = Field(max_length=30, description="The agencies involved (at least one).")
    thresholds: list[Threshold] = Field(default_factory=list, max_length=30)
    review_date: date
    actions: list[TriggerPlanActionIn] = Field(
        max_length=50, description="Directive actions: at least one must name a place, person or contact (M-15)."
    )
    note: NoteText = Field("", max_length=5_000)


class TriggerPlanRevisionIn(TriggerPlanIn):
    version: int = Field(ge=1, le=2_147_483_647, description="The current version number you read.")
    note: NoteText = Field(min_length=1, max_length=5_000, description="What changed and why.")


class TriggerPlanReviewIn(Schema):
    version: int = Field(ge=1, le=2_147_483_647, description="The current version number you read.")
    review_date: date
    note: NoteText = Field(min_length=1, max_length=5_000, description="What the review found.")


def _user(user: Any) -> dict[str, str]:
    return {"username": user.username, "name": user.rank_and_name}


def _person(person: Any) -> dict[str, Any] | None:
    return {"id": person.public_id, "name": str(person)} if person is not None else None


def _action(action: PlanAction) -> dict[str, Any]:
    return {
        "position": action.position,
        "kind": action.kind,
        "target": action.target,
        "person": _person(action.person),
        "instructions": action.instructions,
        "enquiry_type": action.enquiry_type,
        "text": action.text,
    }


def _version(version: PlanVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "kind": version.kind,
        "at": version.at,
        "author": _user(version.author),
        "agencies": version.agencies,
        "thresholds": version.thresholds,
        "review_date": version.review_date,
        "note": version.note,
        "current": version.is_current,
        "superseded_at": version.superseded_at,
        "actions": [_action(a) for a in version.actions.all()],
    }


def _plan(plan: TriggerPlan) -> dict[str, Any]:
    review = plan.current.review_date if plan.current else None
    return {
        "id": plan.public_id,
        "case_id": plan.case.public_id,
        "case_reference": plan.case.reference,
        "child": _person(plan.case.subject),
        "owner": _user(plan.case.owner),
        "status": selectors.rules.status_for(review, today=selectors.today()),
        "current": _version(plan.current) if plan.current else None,
    }


def _detail(plan: TriggerPlan) -> dict[str, Any]:
    out = _plan(plan)
    out["versions"] = [
        {
            "number": v.number,
            "kind": v.kind,
            "at": v.at,
            "author": _user(v.author),
            "review_date": v.review_date,
            "superseded_at": v.superseded_at,
        }
        for v in selectors.plan_versions(plan=plan)
    ]
    return out


def _child(user: User, person_id: UUID) -> Any:
    from haven.people.selectors import person_get

    return person_get(user=user, public_id=person_id, log=False)


def _actions(user: User, actions: list[TriggerPlanActionIn]) -> list[dict[str, Any]]:
    from haven.people.selectors import person_get

    out = []
    for n, action in enumerate(actions):
        row = action.model_dump()
        if action.person is not None:
            try:
                row["person"] = person_get(user=user, public_id=action.person, log=False)
            except NotFound:
                raise ValidationFailed(
                    "The plan could not be saved.",
                    fields={f"actions.{n}.person": ["There is no person with this id that you can see."]},
                ) from None
        out.append(row)
    return out


def _reload(user: User, plan: TriggerPlan) -> dict[str, Any]:
    return _detail(selectors.plan_get(user=user, public_id=plan.public_id, log=False))


@router.get(
    "/repeat-missing",
    response={200: list[RepeatMissingChildOut], **errors()},
    summary="Repeat missing children without a current trigger plan (M-14, for the DMM)",
)
def repeat_missing(request: HttpRequest) -> object:
    user = require(request, Perm.DMM_BOARD_VIEW)
    return [
        {
            "child": _person(row.child),
            "raised_at": row.flag.raised_at,
            "episodes": row.flag.episodes,
            "threshold": row.flag.threshold,
            "window_days": row.flag.window_days,
            "plan_due_at": row.due_at,
        }
        for row in selectors.repeat_missing_without_plan(user=user)
    ]


@router.get(
    "/past-review",
    response={200: list[TriggerPlanOut], **errors()},
    summary="Trigger plans past their review date (M-15)",
)
def past_review(request: HttpRequest) -> object:
    user = require(request, Perm.DMM_BOARD_VIEW)
    return [_plan(p) for p in selectors.plans_past_review(user=user)]


@router.get(
    "/children/{person_id}",
    response={200: ChildPlanOut, **errors(404, 422)},
    summary="A child's trigger-plan status, repeat-missing flag and plan (null when there is none)",
)
def child_plan(request: HttpRequest, person_id: UUID) -> object:
    from haven.people.selectors import person_get

    user = require(request, Perm.MISSING_EPISODE_VIEW)
    child = _child(user, person_id)
    plan = selectors.plan_of_child(user=user, child=child)  # logged when there is one
    if plan is None:
        person_get(user=user, public_id=person_id)  # the answer names the child: log the consultation
    flag = selectors.repeat_missing_flag(child=child)
    return {
        "child": _person(child),
        "status": selectors.plan_status(user=user, child=child),
        "repeat_missing": (
            {
                "raised_at": flag.raised_at,
                "episodes": flag.episodes,
                "threshold": flag.threshold,
                "window_days": flag.window_days,
            }
            if flag is not None
            else None
        ),
        "exploitation_prompt": selectors.exploitation_review_prompt(child=child),
        "plan": _detail(plan) if plan is not None else None,
    }


@router.post(
    "/children/{person_id}",
    response={201: TriggerPlanDetailOut, **errors(400, 404, 409, 422)},
    summary="Write a child's trigger plan (M-15)",
)
def plan_create(request: HttpRequest, person_id: UUID, payload: TriggerPlanIn) -> Status:
    user = require(request, Perm.MISSING_ENQUIRY_RECORD)
    child = _child(user, person_id)
    plan = services.plan_create(
        actor=user,
        child=child,
        agencies=payload.agencies,
        thresholds=payload.thresholds,
        review_date=payload.review_date,
        actions=_actions(user, payload.actions),
        note=payload.note,
    )
    return Status(201, _reload(user, plan))


@router.get("/{plan_id}", response={200: TriggerPlanDetailOut, **errors(404, 422)}, summary="One trigger plan")
def plan_get(request: HttpRequest, plan_id: UUID) -> object:
    user = require(request, Perm.MISSING_EPISODE_VIEW)
    return _detail(selectors.plan_get(user=user, public_id=plan_id))


@router.get(
    "/{plan_id}/versions/{number}",
    response={200: TriggerPlanVersionOut, **errors(404, 422)},
    summary="One version of a trigger plan (superseded versions are read-only)",
)
def version_get(request: HttpRequest, plan_id: UUID, number: int) -> object:
    user = require(request, Perm.MISSING_EPISODE_VIEW)
    plan = selectors.plan_get(user=user, public_id=plan_id)
    return _version(selectors.plan_version(plan=plan, number=number))


@router.post(
    "/{plan_id}/revisions",
    response={201: TriggerPlanDetailOut, **errors(400, 404, 409, 422)},
    summary="Revise a trigger plan: a new version supersedes the current one (M-15)",
)
def plan_revise(request: HttpRequest, plan_id: UUID, payload: TriggerPlanRevisionIn) -> Status:
    user = require(request, Perm.MISSING_ENQUIRY_RECORD)
    plan = selectors.plan_get(user=user, public_id=plan_id, log=False)
    services.plan_revise(
        actor=user,
        plan=plan,
        version=payload.version,
        agencies=payload.agencies,
        thresholds=payload.thresholds,
        review_date=payload.review_date,
        actions=_actions(user, payload.actions),
        note=payload.note,
    )
    return Status(201, _reload(user, plan))


@router.post(
    "/{plan_id}/reviews",
    response={201: TriggerPlanDetailOut, **errors(400, 404, 409, 422)},
    summary="Record a review without change: a new version with a new review date (M-15)",
)
def plan_review(request: HttpRequest, plan_id: UUID, payload: TriggerPlanReviewIn) -> Status:
    user = require(request, Perm.MISSING_ENQUIRY_RECORD)
    plan = selectors.plan_get(user=user, public_id=plan_id, log=False)
    services.plan_review(
        actor=user, plan=plan, version=payload.version, review_date=payload.review_date, note=payload.note
    )
    return Status(201, _reload(user, plan))
