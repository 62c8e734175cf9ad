"""Every write to trigger plans, declared once: input model, permission, service, API route, page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from haven.accounts.models import User
from haven.core.operations import Api, declare
from haven.core.permissions import Perm
from haven.people.selectors import person_get
from haven.triggerplans import selectors, services
from haven.triggerplans.models import TriggerPlan
from haven.triggerplans.schemas import (
    FlagEndIn,
    PlanCreateIn,
    PlanReviewIn,
    PlanReviseIn,
    RepeatMissingFlagOut,
    TriggerPlanDetailOut,
)


def _child(actor: User, person_id: UUID) -> Any:
    return person_get(user=actor, public_id=person_id, log=False)


def _plan(actor: User, plan_id: UUID) -> TriggerPlan:
    return selectors.plan_get(user=actor, public_id=plan_id, log=False)


def _reloaded(actor: User, result: Any) -> TriggerPlan:
    """The plan as the writer now sees it, with its new current version and history."""
    plan = result if isinstance(result, TriggerPlan) else result.plan
    return selectors.plan_get(user=actor, public_id=plan.public_id, log=False)


plan_create = declare(
    "triggerplans.plan_create",
    input=PlanCreateIn,
    perm=Perm.MISSING_ENQUIRY_RECORD,
    service=services.plan_create,
    target="child",
    api=Api(
        "POST",
        "/children/{person_id}",
        out=TriggerPlanDetailOut,
        load=_child,
        answer=_reloaded,
        summary="Write a child's trigger plan (M-15)",
    ),
    page="triggerplans:create",
)

plan_revise = declare(
    "triggerplans.plan_revise",
    input=PlanReviseIn,
    perm=Perm.MISSING_ENQUIRY_RECORD,
    service=services.plan_revise,
    target="plan",
    api=Api(
        "POST",
        "/{plan_id}/revisions",
        out=TriggerPlanDetailOut,
        load=_plan,
        answer=_reloaded,
        summary="Revise a trigger plan: a new version supersedes the current one (M-15)",
    ),
    page="triggerplans:revise",
)

plan_review = declare(
    "triggerplans.plan_review",
    input=PlanReviewIn,
    perm=Perm.MISSING_ENQUIRY_RECORD,
    service=services.plan_review,
    target="plan",
    api=Api(
        "POST",
        "/{plan_id}/reviews",
        out=TriggerPlanDetailOut,
        load=_plan,
        answer=_reloaded,
        summary="Record a review without change: a new version with a new review date (M-15)",
    ),
    page="triggerplans:review",
)

repeat_missing_flag_end = declare(
    "triggerplans.repeat_missing_flag_end",
    input=FlagEndIn,
    perm=Perm.MISSING_SUPERVISION_RECORD,
    service=services.repeat_missing_flag_end,
    target="child",
    api=Api(
        "POST",
        "/children/{person_id}/repeat-missing/end",
        out=RepeatMissingFlagOut,
        load=_child,
        status=200,
        errors=(),
        summary="End a child's repeat-missing flag, with the reason (M-14)",
    ),
)
