"""The trigger-plan routes of the JSON API (mounted by config/api.py at /api/v1/trigger-plans).

Reads go through the plan case's need-to-know (``case_visible_to``) and are logged (s62
consultation); a plan or child the caller may not see answers 404, like one that does not exist.
Writes are built from their declarations in ``haven.triggerplans.operations`` (M-15: information-only
plans are refused, 422).
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
from haven.people.selectors import person_get
from haven.triggerplans import operations, selectors
from haven.triggerplans.schemas import (
    ChildPlanOut,
    RepeatMissingChildOut,
    TriggerPlanDetailOut,
    TriggerPlanOut,
    TriggerPlanVersionOut,
)

router = Router(tags=["trigger plans"])


@router.get(
    "/repeat-missing",
    auth=needs(Perm.DMM_BOARD_VIEW),
    response={200: list[RepeatMissingChildOut], **errors()},
    summary="Repeat missing children without a current trigger plan (M-14, for the DMM)",
)
def repeat_missing(request: HttpRequest) -> object:
    user = actor(request)
    return list(selectors.repeat_missing_without_plan(user=user))


@router.get(
    "/past-review",
    auth=needs(Perm.DMM_BOARD_VIEW),
    response={200: list[TriggerPlanOut], **errors()},
    summary="Trigger plans past their review date (M-15)",
)
def past_review(request: HttpRequest) -> object:
    user = actor(request)
    return list(selectors.plans_past_review(user=user))


@router.get(
    "/children/{person_id}",
    auth=needs(Perm.MISSING_EPISODE_VIEW),
    response={200: ChildPlanOut, **errors(404, 422)},
    summary="A child's trigger-plan status, repeat-missing flag and plan (null when there is none)",
)
def child_plan(request: HttpRequest, person_id: UUID) -> dict[str, Any]:
    user = actor(request)
    child = person_get(user=user, public_id=person_id, log=False)
    plan = selectors.plan_of_child(user=user, child=child)  # logged when there is one
    if plan is None:
        person_get(user=user, public_id=person_id)  # the answer names the child: log the consultation
    return {
        "child": child,
        "status": selectors.plan_status(user=user, child=child),
        "repeat_missing": selectors.repeat_missing_flag(child=child),
        "exploitation_prompt": selectors.exploitation_review_prompt(child=child),
        "plan": plan,
    }


@router.get(
    "/{plan_id}",
    auth=needs(Perm.MISSING_EPISODE_VIEW),
    response={200: TriggerPlanDetailOut, **errors(404, 422)},
    summary="One trigger plan",
)
def plan_get(request: HttpRequest, plan_id: UUID) -> object:
    user = actor(request)
    return selectors.plan_get(user=user, public_id=plan_id)


@router.get(
    "/{plan_id}/versions/{number}",
    auth=needs(Perm.MISSING_EPISODE_VIEW),
    response={200: TriggerPlanVersionOut, **errors(404, 422)},
    summary="One version of a trigger plan (superseded versions are read-only)",
)
def version_get(request: HttpRequest, plan_id: UUID, number: int) -> object:
    user = actor(request)
    plan = selectors.plan_get(user=user, public_id=plan_id)
    return selectors.plan_version(plan=plan, number=number)


mount(
    router,
    operations.plan_create,
    operations.plan_revise,
    operations.plan_review,
    operations.repeat_missing_flag_end,
)
