"""Every write to trigger plans and repeat-missing flags: keyword-only, with the actor, one
transaction, permission checked, logged in the s62 log (collection, alteration).

- :func:`repeat_missing_check` (M-14): called by haven.missing at the end of ``episode_report``.
- :func:`plan_create`, :func:`plan_revise`, :func:`plan_review` (M-15): each writes a whole new
  version; the previous one is superseded and read-only from then on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import transaction

from haven.audit.choices import JustificationKind, Operation
from haven.cases import services as case_services
from haven.cases.choices import CaseKind
from haven.cases.selectors import case_can, case_visible_to
from haven.core import clock
from haven.core.access import Action
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.deadlines import services as deadlines
from haven.deadlines.choices import LIVE_STATES
from haven.deadlines.selectors import deadline_named
from haven.missing.choices import ACTIVE_STATES, EpisodeState
from haven.missing.selectors import episodes_of_child
from haven.people.selectors import person_get
from haven.policy.selectors import policy_value
from haven.triggerplans import policy, rules, s62, selectors
from haven.triggerplans.choices import DEFAULT_ENQUIRY_TYPE, VersionKind
from haven.triggerplans.deadlines import REQUIRED, REVIEW, required_key, review_key
from haven.triggerplans.models import PlanAction, PlanVersion, RepeatMissingFlag, TriggerPlan
from haven.triggerplans.schemas import FlagEndIn, PlanActionIn, PlanContentIn, PlanCreateIn, PlanReviewIn, PlanReviseIn

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case
    from haven.people.models import Person

LONDON = ZoneInfo("Europe/London")


# --- M-14: repeat missing ---------------------------------------------------------------------------


def _counted_episodes(child: Person, since: datetime) -> int:
    """Episodes of ``child`` reported since ``since``; a report cancelled as "not missing" does not count."""
    return episodes_of_child(child=child, since=since).exclude(state=EpisodeState.CANCELLED).count()


def _latest_episode_case(child: Person) -> Case | None:
    episode = episodes_of_child(child=child).select_related("case", "case__owner", "case__team").first()
    return episode.case if episode is not None else None


def _deadline_live(case_id: int, key: str) -> bool:
    return deadline_named(case_id=case_id, key=key).filter(state__in=LIVE_STATES).exists()


def _deadline_open(case: Case, key: str, *, kind: str, what: str, due_at: datetime, actor: User | None) -> bool:
    """Start the deadline unless one is already live for (case, key). True if one was started."""
    try:
        deadlines.deadline_create(actor=actor, case=case, kind=kind, what=what, due_at=due_at, key=key)
    except Conflict:
        return False
    return True


@transaction.atomic
def repeat_missing_check(*, actor: User, child: Person) -> None:
    """M-14 (CONF): count the child's episodes in the rolling window (force policy, default 3 in 90 days).

    At or over the threshold: flag the child "repeat missing" (listed for the DMM) and start a
    "trigger plan needed" deadline, due within the policy time: on the child's trigger-plan case
    (to review it) when they have a current plan, else on their latest episode's case (to put one in
    place). Called at the end of ``episode_report``, in its transaction; idempotent while a deadline
    is live. The flag is logged as collection (first time) or alteration.
    """
    _tell_plan_owner(actor, child)
    threshold = policy_value(policy.REPEAT_EPISODES)
    window = policy_value(policy.REPEAT_WINDOW)
    now = clock.now()
    episodes = _counted_episodes(child, now - window)
    if not rules.repeat_threshold_crossed(episodes=episodes, threshold=threshold):
        return
    window_days = max(1, round(window.total_seconds() / 86400))
    flag = RepeatMissingFlag.objects.select_for_update().filter(child=child, ended_at__isnull=True).first()
    created = flag is None
    if flag is None:
        flag = RepeatMissingFlag(child=child, raised_at=now)
    flag.episodes, flag.threshold, flag.window_days, flag.last_checked_at = episodes, threshold, window_days, now

    plan = selectors._plan_of_child(child)
    has_current = plan is not None and plan.versions.filter(superseded_at__isnull=True).exists()
    due_at = now + policy_value(policy.PLAN_WITHIN)
    counted = f"{episodes} times in {window_days} days"
    if plan is not None and has_current:
        case: Case | None = plan.case
        what = f"Review the trigger plan: the child has been reported missing {counted}"
    else:
        case = plan.case if plan is not None else _latest_episode_case(child)
        what = f"Put a trigger plan in place: the child has been reported missing {counted}"
    key = required_key(child.public_id)
    if flag.deadline_case_id is not None and _deadline_live(flag.deadline_case_id, key):
        pass  # one "plan needed" deadline at a time: the one already running stands
    elif case is not None:
        _deadline_open(case, key, kind=REQUIRED.code, what=what, due_at=due_at, actor=actor)
        flag.deadline_case, flag.deadline_key = case, key
    flag.save()
    s62.record_people(
        actor=actor,
        operation=Operation.COLLECTION if created else Operation.ALTERATION,
        person_ids=[child.public_id],
        justification=f"Repeat-missing threshold crossed (M-14): {counted}.",
        justification_kind=JustificationKind.SYSTEM,
        detail={"repeat_missing": True, "episodes": episodes, "threshold": threshold, "window_days": window_days},
    )


def _tell_plan_owner(actor: User | None, child: Person) -> None:
    """M-15: the owner of the child's current plan is told the child is missing again (an inbox item,
    urgent; the e-mail names no child: only the references, the page behind the link says who)."""
    from django.urls import reverse

    from haven.notifications.services import notification_send

    plan = selectors._plan_of_child(child)
    if plan is None or not plan.versions.filter(superseded_at__isnull=True).exists():
        return
    owner = plan.case.owner
    episode = episodes_of_child(child=child).select_related("case").first()
    if owner is None or not owner.is_active or episode is None or episode.state not in ACTIVE_STATES:
        return
    if actor is not None and owner.pk == actor.pk:
        return  # the owner reported it: they know
    notification_send(
        recipient=owner,
        subject=f"Missing again: a child whose trigger plan you own ({plan.case.reference})",
        body=f"The child of trigger plan {plan.case.reference} has been reported missing again "
        f"({episode.case.reference}). Open the episode to see it and check the plan's actions are being "
        "worked.",
        case=plan.case,
        link=reverse("missing:detail", args=[episode.public_id]),
        severity="urgent",
    )


@transaction.atomic
def repeat_missing_flag_end(*, actor: User, child: Person, data: FlagEndIn) -> RepeatMissingFlag:
    """End a child's repeat-missing flag with a reason (e.g. agreed at the DMM). Supervisors and up."""
    flag = RepeatMissingFlag.objects.select_for_update().filter(child=child, ended_at__isnull=True).first()
    if flag is None:
        raise NotFound("Not found.")
    reason = data.reason.strip()
    flag.ended_at, flag.ended_by, flag.end_reason = clock.now(), actor, reason
    flag.save(update_fields=["ended_at", "ended_by", "end_reason"])
    s62.record_people(
        actor=actor,
        operation=Operation.ALTERATION,
        person_ids=[child.public_id],
        justification=reason,
        justification_kind=JustificationKind.STATED,
        detail={"repeat_missing": False},
    )
    return flag


# --- M-15: plans and versions -----------------------------------------------------------------------


def _actions(actor: User, actions: Iterable[PlanActionIn]) -> list[dict[str, Any]]:
    """The plan's actions as rows: the person each names looked up through the actor's view of the
    register (one they may not see is refused like one that does not exist); the usual enquiry type
    for the kind of action where none was chosen. M-15 (HARD): an information-only plan is refused."""
    rows: list[dict[str, Any]] = []
    problems: dict[str, list[str]] = {}
    for n, action in enumerate(actions):
        person = None
        if action.person is not None:
            try:
                person = person_get(user=actor, public_id=action.person, log=False)
            except NotFound:
                problems[f"actions.{n}.person"] = ["There is no person with this Haven id that you can see"]
        rows.append(
            {
                "kind": action.kind,
                "target": action.target.strip(),
                "person": person,
                "instructions": action.instructions.strip(),
                "enquiry_type": action.enquiry_type or DEFAULT_ENQUIRY_TYPE.get(action.kind, ""),
            }
        )
    if problems:
        raise ValidationFailed("Check the plan's actions.", fields=problems)
    if rules.plan_is_information_only(rows):
        raise ValidationFailed(rules.INFORMATION_ONLY, fields={"actions": [rules.INFORMATION_ONLY]})
    return rows


def _review_date(review_date: date) -> date:
    """The next review is in the future and no further off than force policy allows."""
    today = selectors.today()
    if review_date <= today:
        message = "The review date must be in the future"
        raise ValidationFailed(message, fields={"review_date": [message]})
    longest = policy_value(policy.LONGEST_REVIEW)
    latest = today + timedelta(days=max(1, longest.days))
    if review_date > latest:
        raise ValidationFailed(
            "The review date is too far ahead.",
            fields={"review_date": [f"Review the plan by {latest:%-d %B %Y} at the latest (force policy)"]},
        )
    return review_date


def _content(actor: User, data: PlanContentIn) -> dict[str, Any]:
    """A whole version's content; the review date and the actions' problems reported together."""
    errors: dict[str, list[str]] = {}
    content: dict[str, Any] = {
        "agencies": [a.strip() for a in data.agencies],
        "thresholds": [t.strip() for t in data.thresholds],
    }
    for name, check in (
        ("review_date", lambda: _review_date(data.review_date)),
        ("actions", lambda: _actions(actor, data.actions)),
    ):
        try:
            content[name] = check()
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first if len(errors) == 1 else "Check the trigger plan.", fields=errors)
    return content


def _due_at(review_date: date) -> datetime:
    """A review date falls due at the start of the next day in Europe/London (out of date from then)."""
    return datetime.combine(review_date + timedelta(days=1), time(0, 0), tzinfo=LONDON).astimezone(ZoneInfo("UTC"))


def _version_write(
    *,
    actor: User,
    plan: TriggerPlan,
    kind: str,
    content: dict[str, Any],
    note: str,
    previous: PlanVersion | None,
) -> PlanVersion:
    """Supersede ``previous`` (read-only from now) and write the new whole version with its actions."""
    now = clock.now()
    if previous is not None:
        PlanVersion.objects.filter(pk=previous.pk, superseded_at__isnull=True).update(superseded_at=now, updated_at=now)
    version = PlanVersion.objects.create(
        plan=plan,
        number=(previous.number + 1) if previous else 1,
        kind=kind,
        author=actor,
        at=now,
        agencies=content["agencies"],
        thresholds=content["thresholds"],
        review_date=content["review_date"],
        note=note,
        previous=previous,
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            version=version,
            position=n,
            kind=a["kind"],
            target=a["target"],
            person=a["person"],
            instructions=a["instructions"],
            enquiry_type=a["enquiry_type"],
        )
        for n, a in enumerate(content["actions"], start=1)
    )
    _deadlines_after_version(actor=actor, plan=plan, version=version)
    return version


def _deadlines_after_version(*, actor: User, plan: TriggerPlan, version: PlanVersion) -> None:
    """M-15: the review date becomes a deadline (the old one is met); M-14: "plan needed" deadlines are met."""
    case = plan.case
    how = f"Trigger plan version {version.number} ({version.get_kind_display().lower()})"
    deadlines.deadline_meet(actor=actor, case=case, key=review_key(plan.public_id), how=how)
    deadlines.deadline_create(
        actor=actor,
        case=case,
        kind=REVIEW.code,
        what=f"Review the trigger plan (version {version.number}) by {version.review_date:%-d %B %Y}",
        due_at=_due_at(version.review_date),
        key=review_key(plan.public_id),
    )
    child = case.subject
    key = required_key(child.public_id)
    places: dict[int, Case] = {case.pk: case}
    for flag in (
        RepeatMissingFlag.objects.filter(child=child).exclude(deadline_case=None).select_related("deadline_case")
    ):
        if flag.deadline_case is not None:
            places[flag.deadline_case.pk] = flag.deadline_case
    for where in places.values():
        deadlines.deadline_meet(actor=actor, case=where, key=key, how=how)


@transaction.atomic
def plan_create(*, actor: User, child: Person, data: PlanCreateIn) -> TriggerPlan:
    """M-15: open the child's trigger-plan case (owned by the actor) with its first version.

    Refused when the child already has an open plan (revise that one), and when no action names a
    place, person or contact ("information only"). Logged as collection; the review date becomes a
    deadline; any "trigger plan needed" deadline (M-14) is met.
    """
    if child.merged_into_id is not None:
        raise ValidationFailed(
            "This person's record was merged into another.", fields={"child": ["Use the other record."]}
        )
    if selectors._plan_of_child(child) is not None:
        raise Conflict(
            "This child already has a trigger plan: revise or review it instead.",
            fields={"child": ["This child already has a trigger plan."]},
        )
    content = _content(actor, data)
    case = case_services.case_open(actor=actor, subject=child, kind=CaseKind.TRIGGER_PLAN, summary="Trigger plan")
    plan = TriggerPlan.objects.create(case=case)
    version = _version_write(
        actor=actor, plan=plan, kind=VersionKind.CREATED, content=content, note=data.note.strip(), previous=None
    )
    s62.record(
        actor=actor,
        operation=Operation.COLLECTION,
        cases=[case],
        person_ids=[a.person.public_id for a in version.actions.select_related("person") if a.person is not None],
        justification="Wrote the trigger plan.",
        justification_kind=JustificationKind.ALLOCATED,
        detail={"trigger_plan": str(plan.public_id), "version": version.number},
    )
    plan.current = version
    return plan


def _current_locked(*, actor: User, plan: TriggerPlan, version: int) -> tuple[TriggerPlan, PlanVersion]:
    """Lock the plan, check the actor may edit its case, and that ``version`` is still the current number."""
    if not case_visible_to(actor).filter(pk=plan.case_id).exists():
        raise NotFound("Not found.")
    plan = TriggerPlan.objects.select_for_update().select_related("case", "case__subject").get(pk=plan.pk)
    if not case_can(user=actor, case=plan.case, action=Action.EDIT):
        raise Forbidden("You can see this trigger plan but may not change it.")
    current = PlanVersion.objects.filter(plan=plan, superseded_at__isnull=True).first()
    if current is None:  # pragma: no cover - plans are created with their first version
        raise Conflict("This trigger plan has no current version.")
    if current.number != version:
        raise Conflict(
            f"Someone else changed this trigger plan (it is now at version {current.number}). "
            "Check their version, then make your change again.",
            fields={"version": ["The plan has changed since you opened it."]},
        )
    return plan, current


@transaction.atomic
def plan_revise(*, actor: User, plan: TriggerPlan, data: PlanReviseIn) -> PlanVersion:
    """M-15: write a new whole version that supersedes the current one (``data.version``: the number
    the actor saw; an older one is a Conflict). The note says what changed and why. Logged as alteration."""
    plan, current = _current_locked(actor=actor, plan=plan, version=data.version)
    content = _content(actor, data)
    new = _version_write(
        actor=actor, plan=plan, kind=VersionKind.REVISED, content=content, note=data.note.strip(), previous=current
    )
    _log_alteration(actor, plan, new)
    return new


@transaction.atomic
def plan_review(*, actor: User, plan: TriggerPlan, data: PlanReviewIn) -> PlanVersion:
    """M-15: record a review that changes nothing but the next review date: a new version with the
    same content (the reviewed one is superseded, read-only). Logged as alteration."""
    plan, current = _current_locked(actor=actor, plan=plan, version=data.version)
    content = {
        "agencies": current.agencies,
        "thresholds": current.thresholds,
        "review_date": _review_date(data.review_date),
        "actions": [
            {
                "kind": a.kind,
                "target": a.target,
                "person": a.person,
                "instructions": a.instructions,
                "enquiry_type": a.enquiry_type,
            }
            for a in current.actions.select_related("person").order_by("position")
        ],
    }
    new = _version_write(
        actor=actor, plan=plan, kind=VersionKind.REVIEWED, content=content, note=data.note.strip(), previous=current
    )
    _log_alteration(actor, plan, new)
    return new


def _log_alteration(actor: User, plan: TriggerPlan, version: PlanVersion) -> None:
    kind, why = s62.justification_for(actor, plan.case)
    s62.record(
        actor=actor,
        operation=Operation.ALTERATION,
        cases=[plan.case],
        justification=why or f"Trigger plan {version.get_kind_display().lower()}.",
        justification_kind=kind or JustificationKind.STATED,
        detail={"trigger_plan": str(plan.public_id), "version": version.number, "kind": version.kind},
    )
    plan.current = version
