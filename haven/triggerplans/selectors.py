"""Every read of trigger plans. Reads that show personal data take the user, go through the case
need-to-know queryset (``case_visible_to``) and are logged in the s62 log as consultations.

For haven.missing (the report and episode pages): :func:`current_plan`, :func:`plan_status`,
:func:`plan_actions` and :func:`exploitation_review_prompt`. For the DMM board:
:func:`repeat_missing_without_plan` and :func:`plans_past_review`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from haven.audit.choices import JustificationKind, Operation
from haven.cases.choices import CaseKind, CaseState
from haven.cases.selectors import case_get, case_read_record, case_visible_to
from haven.core import clock
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.deadlines.selectors import deadline_named
from haven.triggerplans import rules, s62
from haven.triggerplans.models import PlanAction, PlanVersion, RepeatMissingFlag, TriggerPlan

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    from haven.accounts.models import User
    from haven.people.models import Person

    class CurrentReviewDate(TypedDict):
        current_review_date: date


def today() -> date:
    """Today in Europe/London, from Haven's clock: review dates are calendar dates there."""
    return timezone.localdate(clock.now())


def _current_versions() -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(superseded_at__isnull=True).prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.select_related("person").order_by("position"))
    )


def _with_current(plans: list[TriggerPlan]) -> list[TriggerPlan]:
    """Set ``plan.current`` (the current version with its actions) on each plan."""
    versions = {v.plan_id: v for v in _current_versions().filter(plan__in=plans).select_related("author")}
    for plan in plans:
        plan.current = versions.get(plan.pk)
    return plans


def plans_visible_to(user: User) -> QuerySet[TriggerPlan]:
    """Trigger plans whose case ``user`` may see (need-to-know: haven.core.access POLICY)."""
    if not user.is_authenticated or not user.has_perm(Perm.MISSING_EPISODE_VIEW):
        return TriggerPlan.objects.none()
    return TriggerPlan.objects.filter(case__in=case_visible_to(user)).select_related(
        "case", "case__subject", "case__owner", "case__owner__rank", "case__team", "case__pending_owner"
    )


def _plan_of_child(child: Person) -> TriggerPlan | None:
    """The child's open plan, whoever may see it (internal: never shown without a user check)."""
    return (
        TriggerPlan.objects.filter(case__subject=child, case__kind=CaseKind.TRIGGER_PLAN, case__state=CaseState.OPEN)
        .select_related("case", "case__subject", "case__owner", "case__team")
        .order_by("-created_at", "-id")
        .first()
    )


def plan_of_child(*, user: User, child: Person, log: bool = True) -> TriggerPlan | None:
    """The child's open plan (with ``.current``) if ``user`` may see it, else None. Logged when found."""
    plan = plans_visible_to(user).filter(case__subject=child, case__state=CaseState.OPEN).order_by("-id").first()
    if plan is None:
        return None
    _with_current([plan])
    if log:
        case_read_record(user=user, cases=[plan.case])
    return plan


def current_plan(*, user: User, child: Person, log: bool = True) -> TriggerPlan | None:
    """The child's plan whose current (latest non-superseded) version exists, need-to-know scoped.

    The returned plan carries ``.current`` (PlanVersion: number, review_date, agencies, thresholds,
    ``.actions``) and the conveniences ``.owner``, ``.child``, ``.review_date``, ``.number``. None
    when the child has no plan, it has no version yet, or ``user`` may not see it. Logged (s62).
    """
    plan = plan_of_child(user=user, child=child, log=False)
    if plan is None or plan.current is None:
        return None
    if log:
        case_read_record(user=user, cases=[plan.case])
    return plan


LOCATING = "Locating a missing person"
"""The purpose logged when a plan is read for the episode of a missing child (s62)."""


def current_plan_for_episode(
    *, user: User, child: Person, episode_case: Any, log: bool = True, locating: bool = False
) -> TriggerPlan | None:
    """The child's current plan for whoever works a missing episode of theirs (M-15: the plan is shown
    to the first responder and the supervisor, and whoever owns the episode).

    ``episode_case`` is the open missing case of ``child`` that ``user`` may see: then the plan is
    answered even when its own case is beyond ``user``'s reach (a plan written by another team), and
    that read is logged under s62 with the purpose "locating a missing person". A restricted plan stays
    with those who may see it. Otherwise this is :func:`current_plan`.

    ``locating``: the caller (haven.missing) has found that ``user`` may read the briefing of the child
    missing now to help find them without working the case: any operational officer, so the plan's
    actions reach whoever finds the child.
    """
    plan = current_plan(user=user, child=child, log=log)
    if plan is not None:
        return plan
    works_episode = (
        episode_case is not None
        and episode_case.subject_id == child.pk
        and episode_case.kind == CaseKind.MISSING
        and episode_case.state == CaseState.OPEN
        and user.is_authenticated
        and user.has_perm(Perm.MISSING_EPISODE_VIEW)
        and (
            (locating and user.has_perm(Perm.MISSING_SIGHTING_RECORD) and not episode_case.is_restricted)
            or case_visible_to(user).filter(pk=episode_case.pk).exists()
        )
    )
    if not works_episode:
        return None
    plan = _plan_of_child(child)
    if plan is None or plan.case.is_restricted:
        return None
    _with_current([plan])
    if plan.current is None:
        return None
    if log:
        s62.record(
            actor=user,
            operation=Operation.CONSULTATION,
            cases=[plan.case],
            justification=f"{LOCATING}: the trigger plan of the child missing in {episode_case.reference}.",
            justification_kind=JustificationKind.LOCATING,
            detail={"purpose": LOCATING, "episode_case": str(episode_case.public_id)},
        )
    return plan


def status_of(plan: TriggerPlan | None) -> str:
    """ "none" | "current" | "out_of_date" for a plan already read (with ``.current``)."""
    current = getattr(plan, "current", None) if plan is not None else None
    review = current.review_date if current is not None else None
    return str(rules.status_for(review, today=today()))


def plan_status(*, user: User, child: Person) -> str:
    """ "none" | "current" | "out_of_date" (past its review date) for the plan ``user`` may see."""
    plan = plan_of_child(user=user, child=child, log=False)
    review = plan.current.review_date if plan is not None and plan.current is not None else None
    return str(rules.status_for(review, today=today()))


def plan_actions(*, user: User, child: Person, log: bool = True) -> list[PlanAction]:
    """The directive actions of the child's current plan, in order: each has ``.kind``, ``.names``,
    ``.enquiry_type`` (a haven.missing EnquiryType value, or "") and ``.text`` (one line). Logged."""
    plan = current_plan(user=user, child=child, log=log)
    return list(plan.current.actions.all()) if plan is not None and plan.current is not None else []


def plan_get(*, user: User, public_id: object, log: bool = True) -> TriggerPlan:
    """The plan with this public id if ``user`` may see it (its case), else NotFound. Logged."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None
    plan = TriggerPlan.objects.select_related("case").filter(public_id=key).first()
    if plan is None or not user.has_perm(Perm.MISSING_EPISODE_VIEW):
        raise NotFound("Not found.")
    case = case_get(user=user, public_id=plan.case.public_id, log=log)  # logs a denied attempt too
    plan.case = case
    _with_current([plan])
    return plan


def plan_versions(*, plan: TriggerPlan) -> list[PlanVersion]:
    """Every version of ``plan``, newest first, with their actions (the caller has logged the read)."""
    return list(
        plan.versions.select_related("author", "author__rank", "superseded_by")
        .prefetch_related(Prefetch("actions", queryset=PlanAction.objects.select_related("person")))
        .order_by("-number")
    )


def plan_version(*, plan: TriggerPlan, number: int) -> PlanVersion:
    version = next((v for v in plan_versions(plan=plan) if v.number == number), None)
    if version is None:
        raise NotFound("Not found.")
    return version


# --- Repeat missing (M-14) and the DMM lists --------------------------------------------------------


def repeat_missing_flag(*, child: Person) -> RepeatMissingFlag | None:
    """The child's active repeat-missing flag (M-14), or None. Internal: shown only beside the child."""
    return RepeatMissingFlag.objects.filter(child=child, ended_at__isnull=True).first()


def _has_current_plan() -> Exists:
    return Exists(
        PlanVersion.objects.filter(
            plan__case__subject_id=OuterRef("child_id"),
            plan__case__state=CaseState.OPEN,
            superseded_at__isnull=True,
        )
    )


@dataclass
class RepeatRow:
    flag: RepeatMissingFlag
    child: Person
    due_at: Any = None


def repeat_missing_without_plan(*, user: User) -> list[RepeatRow]:
    """M-14: children flagged repeat missing who have no current trigger plan, longest waiting first.

    For the daily management meeting: ``user`` needs the DMM board permission and sees only people
    they may see. Listing them is logged as one consultation.
    """
    if not user.is_authenticated or not user.has_perm(Perm.DMM_BOARD_VIEW):
        return []
    from haven.people.selectors import person_visible_to

    flags = list(
        RepeatMissingFlag.objects.filter(ended_at__isnull=True, child__in=person_visible_to(user))
        .exclude(_has_current_plan())
        .select_related("child", "deadline_case")
        .order_by("raised_at", "id")
    )
    rows = [RepeatRow(flag=f, child=f.child, due_at=_due_at(f)) for f in flags]
    if rows:
        s62.record_people(
            actor=user,
            operation=Operation.CONSULTATION,
            person_ids=[r.child.public_id for r in rows],
            justification="Repeat missing children without a trigger plan, listed for the DMM.",
            justification_kind=JustificationKind.STATED,
            detail={"view": "repeat_missing_without_plan"},
        )
    return rows


def _due_at(flag: RepeatMissingFlag) -> Any:
    """When the child's trigger plan is due (M-14): its "plan required" deadline's due time, else (a flag
    raised without one) the force's time for a plan after the flag was raised."""
    if flag.deadline_case_id is not None and flag.deadline_key:
        deadline = deadline_named(case_id=flag.deadline_case_id, key=flag.deadline_key).order_by("-id").first()
        if deadline is not None:
            return deadline.due_at
    return flag.raised_at + plan_within()


def plan_within() -> Any:
    """The force's time to put a trigger plan in place once a child is flagged repeat missing (M-14)."""
    from haven.policy.selectors import policy_value
    from haven.triggerplans.policy import PLAN_WITHIN

    return policy_value(PLAN_WITHIN)


def plans_past_review(*, user: User) -> list[TriggerPlan]:
    """M-15: open plans ``user`` may see whose current version is past its review date, oldest date first.

    For the DMM board (permission required). Logged as one consultation of the plans listed.
    """
    if not user.is_authenticated or not user.has_perm(Perm.DMM_BOARD_VIEW):
        return []
    late = PlanVersion.objects.filter(plan_id=OuterRef("pk"), superseded_at__isnull=True, review_date__lt=today())
    plans = list(plans_visible_to(user).filter(case__state=CaseState.OPEN).filter(Exists(late)))
    _with_current(plans)
    plans.sort(key=lambda p: (p.current.review_date if p.current else today(), p.pk))
    case_read_record(user=user, cases=[p.case for p in plans])
    return plans


def plans_current(*, user: User, limit: int = 50) -> list[TriggerPlan]:
    """Open plans ``user`` may see with a current version, next review first. Logged."""
    now_plans = list(
        plans_visible_to(user)
        .filter(case__state=CaseState.OPEN)
        .filter(Exists(PlanVersion.objects.filter(plan_id=OuterRef("pk"), superseded_at__isnull=True)))[:limit]
    )
    _with_current(now_plans)
    now_plans.sort(key=lambda p: (p.current.review_date if p.current else today(), p.pk))
    case_read_record(user=user, cases=[p.case for p in now_plans])
    return now_plans


# --- M-16 -------------------------------------------------------------------------------------------


def exploitation_review_prompt(*, child: Person) -> str | None:
    """M-16 (SOFT): the prompt to show on a new episode of a child with a current exploitation-risk
    flag (consider an exploitation review / NRM), or None. Shows no data itself: the caller's page
    is already logged, so this does not log."""
    from haven.people.choices import FlagKind

    flags = [f for f in child.flags.filter(kind=FlagKind.EXPLOITATION_RISK) if f.is_current]
    if not flags:
        return None
    return rules.exploitation_prompt_text([f.note for f in flags])


# --- For the DMM board's sections (haven.dmm.sections) --------------------------------------------
# Unscoped on purpose: the board narrows every one to the cases its reader may see (its access
# compiled once per build), and logs what it shows.


def current_versions_on_open_cases() -> QuerySet[PlanVersion]:
    """The current version of every plan on an open case."""
    return PlanVersion.objects.filter(superseded_at__isnull=True, plan__case__state=CaseState.OPEN)


def child_plan_statuses(*, child_ids: list[int], narrow: Q) -> dict[int, str]:
    """The trigger-plan status ("none", "current", "out_of_date") of each child, from the current plans
    on open cases that ``narrow`` (a filter on ``plan__case_id``) lets through: one query for them all."""
    if not child_ids:
        return {}
    versions = current_versions_on_open_cases().filter(narrow, plan__case__subject_id__in=child_ids)
    reviews = dict(versions.values_list("plan__case__subject_id", "review_date"))
    on = today()
    return {child: str(rules.status_for(reviews.get(child), today=on)) for child in child_ids}


def repeat_flags_raised() -> QuerySet[RepeatMissingFlag]:
    """Every repeat-missing flag still raised (M-14)."""
    return RepeatMissingFlag.objects.filter(ended_at__isnull=True)


def plans_on_open_cases_past_review() -> QuerySet[WithAnnotations[TriggerPlan, CurrentReviewDate]]:
    """M-15: the plans on open cases whose current version is past its review date, with
    ``current_review_date`` (driven by index ``triggerplans_current_review``: a plan has one current
    version at most, so the join adds no row)."""
    return TriggerPlan.objects.filter(
        versions__superseded_at__isnull=True,
        versions__review_date__lt=today(),
        case__state=CaseState.OPEN,
    ).annotate(current_review_date=F("versions__review_date"))
