"""Every write to missing-child episodes: ``(*, actor, <target>, data)``, one transaction, s62 logged,
rules M-01..M-13 and M-16 enforced here (and by constraints where they can be).

Each write is declared once in ``haven.missing.operations``, which checks its permission before
calling it; its input model (``haven.missing.schemas``) has already checked every field on its own.
What is left here needs the database: the episode's state, the child, force policy, the numbered
rules, look-ups by username, the s62 row and the deadlines."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.selectors import user_by_reference
from haven.audit.choices import JustificationKind, Operation
from haven.cases import s62
from haven.cases.choices import CaseKind, CaseState
from haven.cases.schemas import CaseCloseIn
from haven.cases.selectors import case_can, case_visible_to
from haven.cases.services import case_event_record
from haven.core import clock
from haven.core.access import Action
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.deadlines.selectors import deadline_named
from haven.missing import deadlines as dl
from haven.missing import policy, rules
from haven.missing.choices import (
    ACTIVE_STATES,
    OPEN_ENQUIRY_STATUSES,
    RHI_ENDED,
    RISK_VOCABULARY_VERSION,
    EnquiryPriority,
    EnquiryStatus,
    EnquiryType,
    EpisodeState,
    Obligation,
    RhiStatus,
    RiskGrade,
    WhereFound,
)
from haven.missing.models import (
    Enquiry,
    Episode,
    InformationSource,
    PreventionInterview,
    ReturnHomeInterview,
    RiskAssessment,
    Sighting,
    SupervisorReview,
)
from haven.missing.schemas import (
    CraRecordIn,
    EnquiriesRaiseIn,
    EnquiryAllocateIn,
    EnquiryCancelIn,
    EnquiryRaiseIn,
    EnquiryResultIn,
    EpisodeCancelIn,
    EpisodeCloseIn,
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
    RiskAssessmentIn,
    SightingIn,
    SightingReportIn,
    SupervisorReviewIn,
)
from haven.partners import services as partners
from haven.partners.registry import RhiResult
from haven.people.selectors import people_named, person_get
from haven.policy.selectors import policy_value
from haven.triggerplans.selectors import LOCATING
from haven.triggerplans.services import repeat_missing_check
from haven.workforce.choices import Activity
from haven.workforce.selectors import may

if TYPE_CHECKING:
    from haven.cases.models import Case
    from haven.people.models import Person

log = logging.getLogger("haven.missing")


# --- Helpers ------------------------------------------------------------------------------------


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


class _Problems:
    """Collects field errors so a form shows all of them at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self, message: str = "Check the details you entered.") -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise ValidationFailed(first if len(self.fields) == 1 else message, fields=self.fields)


def _user_named(reference: str | None, field: str) -> User | None:
    """The Haven user ``reference`` names: a username, collar number, name or the user picker's label
    (None when none was given); a field error, in people's words, when nobody or several match."""
    if not reference:
        return None
    return user_by_reference(reference, field=field)


def _lock(actor: User, episode: Episode, *, action: Action = Action.EDIT, allow_allocated: bool = False) -> Episode:
    """The episode, locked, if ``actor`` may see its case (else NotFound) and act on it (else Forbidden)."""
    if not case_visible_to(actor).filter(pk=episode.case_id).exists():
        raise NotFound("Not found.")
    locked = (
        Episode.objects.select_for_update(of=("self",))
        .select_related("case", "case__subject", "case__owner", "child")
        .get(pk=episode.pk)
    )
    if not allow_allocated and not case_can(user=actor, case=locked.case, action=action):
        raise Forbidden("You can see this episode but may not change it.")
    return locked


def _require_state(episode: Episode, *states: str, doing: str) -> None:
    if episode.state not in states:
        raise Conflict(
            f"The episode is {episode.get_state_display().lower()}, so you cannot {doing}.",
            fields={"state": [f"The episode is {episode.get_state_display().lower()}."]},
        )


def _event(episode: Episode, actor: User | None, text: str) -> None:
    case_event_record(case=episode.case, author=actor, text=text)


def _log(
    actor: User,
    episode: Episode,
    operation: Operation,
    detail: dict[str, Any],
    *,
    justification: str = "",
    recipients: tuple[dict[str, str], ...] = (),
    channel: str = "",
    locating: bool = False,
) -> None:
    """The s62 row of a step on ``episode``: justified by the actor's access to its case, by what they
    stated, or (``locating``) by the purpose every officer shares of locating a missing person."""
    kind, why = s62.justification_for(actor, episode.case)
    if locating:
        kind, why = JustificationKind.LOCATING, LOCATING
    elif justification:
        kind, why = JustificationKind.STATED, justification
    s62.record(
        actor=actor,
        operation=operation,
        cases=[episode.case],
        justification=why or "Working the missing episode.",
        justification_kind=kind or JustificationKind.STATED,
        recipients=recipients,
        channel=channel,
        detail={"episode": str(episode.public_id), **detail},
    )


def _responsible(episode: Episode) -> User:
    return episode.case.owner


def _save(episode: Episode, *fields: str) -> None:
    episode.save(update_fields=list(fields))


# --- Obligations recorded: who else is told (the DMM registers from its ready()) ----------------

ObligationHook = Callable[..., None]
_obligation_hooks: list[ObligationHook] = []


def on_obligation_recorded(hook: ObligationHook) -> None:
    """Register ``hook(actor=, case=, key=, how=)``, called in the same transaction whenever an
    obligation of a missing episode (its deadline ``key``) is recorded: the DMM meets the open action
    that names it. Registering the same hook twice changes nothing."""
    if hook not in _obligation_hooks:
        _obligation_hooks.append(hook)


def _obligation_recorded(actor: User, episode: Episode, key: str, how: str) -> None:
    for hook in _obligation_hooks:
        hook(actor=actor, case=episode.case, key=key, how=how)


def obligation_meet(*, actor: User, case: Case, key: str, note: str) -> bool:
    """Record on the case's episode the obligation whose deadline is ``key`` (one of
    :func:`haven.missing.selectors.obligations_open`), as :func:`obligation_record` does: for a DMM
    action that names it, done. ``note`` is the media strategy decision where that is the obligation.
    False when ``key`` names no obligation of the episode or it is already recorded."""
    episode = Episode.objects.filter(case_id=case.pk).first()
    if episode is None:
        return False
    obligation = next((o for o in rules.RECORDABLE_ELSEWHERE if dl.obligation_key(episode, o) == key), None)
    if obligation is None or rules.obligation_done(episode, obligation):
        return False
    data = ObligationRecordIn(obligation=obligation, note=note)
    _record_obligation(actor, episode, data, allow_allocated=True)
    return True


# --- Report -------------------------------------------------------------------------------------


def episode_report(*, actor: User, data: EpisodeReportIn) -> Episode:
    """Record that a child is missing: opens a missing Case (owned by the actor) and its Episode.

    With an idempotency key, a retry by the same actor returns the episode already made (marked
    ``replayed``); the key reused for another child is refused (Conflict), never answered with the first
    child's episode. The child's looked-after status is taken from their current flags unless given (M-13).
    """
    key = data.idempotency_key
    if key is not None:
        existing = Episode.objects.filter(reported_by=actor, idempotency_key=key).select_related("child").first()
        if existing is not None:
            _same_child(existing, data)
            existing.replayed = True
            return existing
    # Looked up before the report's transaction, so a refused look-up of a restricted child stays logged.
    child = _child(actor, data.child)
    return _report(actor, child, data)


KEY_REUSED = "This idempotency key was already used for a report about another child: use a new key for a new report"


def _same_child(existing: Episode, data: EpisodeReportIn) -> None:
    """A retry must be the same report: an idempotency key already used for another child is refused."""
    if existing.child.public_id != data.child:
        raise Conflict(KEY_REUSED + ".", fields={"idempotency_key": [KEY_REUSED]})


def _child(actor: User, public_id: UUID) -> Person:
    try:
        return person_get(user=actor, public_id=public_id, log=False)
    except NotFound:
        raise ValidationFailed(
            "The report could not be made.", fields={"child": ["There is no person with this id that you can see"]}
        ) from None


@transaction.atomic
def _report(actor: User, child: Person, data: EpisodeReportIn) -> Episode:
    flags = rules.child_flags(child)
    status = rules.reported_status(flags, data)
    p = _Problems()
    # M-13 (HARD): a looked-after child's responsible authority, and whether a Philomena form exists.
    for field, messages in rules.report_problems(child, data).items():
        for message in messages:
            p.add(field, message)
    p.raise_if_any()
    if Episode.objects.filter(child=child, state__in=ACTIVE_STATES).exists():
        raise Conflict(
            f"{child.full_name} is already missing in an open episode: add to that one.",
            fields={"child": ["This child is already reported missing."]},
        )

    from haven.cases.services import case_open, case_queue_put

    where = data.last_seen_where[:120]
    case = case_open(actor=actor, subject=child, kind=CaseKind.MISSING, summary=f"Missing from {where}"[:200])
    # New work lands in the queue of the area's team, whose duty sergeant allocates it by name.
    case_queue_put(actor=actor, case=case, area=data.area)
    now = clock.now()
    key = data.idempotency_key
    try:
        with transaction.atomic():
            episode = Episode.objects.create(
                case=case,
                child=child,
                reported_by=actor,
                idempotency_key=key,
                reported_at=now,
                called_at=data.called_at or now,
                informant_name=data.informant_name,
                informant_relationship=data.informant_relationship,
                informant_contact=data.informant_contact,
                last_seen_at=data.last_seen_at,
                last_seen_where=data.last_seen_where,
                last_seen_by=data.last_seen_by,
                missing_from=data.missing_from,
                circumstances=data.circumstances,
                out_of_character=data.out_of_character,
                clothing=data.clothing,
                height=data.height,
                build=data.build,
                hair=data.hair,
                features=data.features,
                phone_numbers=data.phone_numbers,
                social_media=data.social_media,
                risks_to_finder=data.risks_to_finder,
                placement_address=data.placement_address if data.missing_from in rules.PLACEMENTS else "",
                looked_after=status.looked_after,
                responsible_authority=status.responsible_authority,
                host_authority=status.host_authority,
                philomena_exists=status.philomena_exists,
                source_reference=data.source_reference,
                state=EpisodeState.REPORTED,
            )
    except IntegrityError:
        # Another request with the same idempotency key won the race; the caller's transaction rolls
        # back the case it opened only if we raise, so answer with the winner instead.
        existing = Episode.objects.filter(reported_by=actor, idempotency_key=key).first() if key else None
        if existing is None:
            raise Conflict(f"{child.full_name} is already missing in an open episode.") from None
        if existing.child_id != child.pk:
            raise Conflict(KEY_REUSED + ".", fields={"idempotency_key": [KEY_REUSED]}) from None
        raise Conflict("This report was already made (same idempotency key).") from None
    # M-16: a child with exploitation flags prompts an exploitation review on every new episode.
    prompt = rules.exploitation_prompt(episode, flags)
    if prompt:
        episode.exploitation_prompt = prompt
        _save(episode, "exploitation_prompt")
    called = timezone.localtime(episode.called_at)
    _event(
        episode,
        actor,
        f"Reported missing by {data.informant_name} (called {called:%-d %b %H:%M}); last seen {data.last_seen_where}.",
    )
    _log(actor, episode, Operation.COLLECTION, {"step": "report"})
    kept = _keep_on_record(actor, child, data)
    if kept:
        _event(episode, actor, "The child's record was updated from the report: " + "; ".join(kept) + ".")
    # M-01: the first risk assessment is due at once; M-09: PNC circulation.
    dl.create(
        actor=actor,
        case=case,
        kind=dl.REVIEW,
        what="Grade the risk (first risk assessment)",
        due_at=now + timedelta(minutes=30),
        key=dl.review_key(episode),
        responsible=actor,
    )
    dl.create(
        actor=actor,
        case=case,
        kind=dl.PNC,
        what="Circulate the child on the PNC",
        due_at=now + policy_value(policy.PNC_CIRCULATION),
        key=dl.pnc_key(episode),
        responsible=actor,
    )
    repeat_missing_check(actor=actor, child=child)  # M-14 belongs to haven.triggerplans
    return episode


def _keep_on_record(actor: User, child: Person, data: EpisodeReportIn) -> list[str]:
    """What the report says of the child that their record keeps (haven.people: looked after, Philomena,
    the placement, phone numbers, accounts, a new photograph), through its services so each change is
    checked, logged and in the change history. In the report's transaction: a report refused keeps
    nothing, and a photograph never outlives the report it came with."""
    from haven.people.schemas import ChildStatusIn, PhotoIn
    from haven.people.selectors import person_can_edit
    from haven.people.services import child_status_record, person_photo_set

    if not person_can_edit(actor, child):
        if data.photo is not None:
            message = "Only the named members of this child's record may change its photograph: ask one of them"
            raise ValidationFailed(message, fields={"photo": [message]})
        return ["not updated: only its named members may change it"]
    placement = data.placement_address if data.missing_from in rules.PLACEMENTS else ""
    status = ChildStatusIn(
        looked_after=data.looked_after,
        responsible_authority=data.responsible_authority,
        host_authority=data.host_authority,
        philomena=data.philomena_exists,
        placement_address=placement,
        phone_numbers=data.phone_numbers,
        social_media=data.social_media,
    )
    kept = child_status_record(actor=actor, person=child, data=status)
    if data.photo is not None:
        person_photo_set(actor=actor, person=child, data=PhotoIn(photo=data.photo))
        kept.append("photograph from the report")
    return [k[:1].lower() + k[1:] for k in kept]


# --- Risk assessment (M-01..M-09) ---------------------------------------------------------------


@transaction.atomic
def risk_assess(*, actor: User, episode: Episode, data: RiskAssessmentIn) -> RiskAssessment:
    """Grade (or re-grade) the risk. Append-only (M-03): a new assessment, never an edit.

    The grade comes from the active vocabulary (M-01) and every source is complete (M-02): the input
    model says so. The rules that depend on the child and force policy are checked here."""
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="grade the risk")
    grade = RiskGrade(data.grade)
    p = _Problems()
    # M-05: very low needs actions agreed with the informant and a latest review time.
    if grade == RiskGrade.VERY_LOW:
        if not data.agreed_actions:
            p.add("agreed_actions", "Enter the actions agreed with the person reporting (very low risk)")
        if data.next_review_due is None:
            p.add("next_review_due", "Enter the latest review time (very low risk)")
    # M-06: a child below the force's floor needs a supervisor's override with a reason.
    below_floor = rules.below_child_floor(episode.child, grade)
    if below_floor:
        floor = RiskGrade(policy_value(policy.CHILD_GRADE_FLOOR)).label.lower()
        if not actor.has_perm(Perm.MISSING_RISK_OVERRIDE):
            p.add("grade", f"A child is graded {floor} or above unless a supervisor overrides it")
        elif not data.floor_override_reason:
            p.add("floor_override_reason", f"Give the reason for grading a child below {floor}")
    # M-08: a child at medium or high risk needs a recorded Child Rescue Alert consideration.
    if rules.needs_cra(episode.child, grade) and not episode.cra_decision:
        if data.cra_decision is None:
            p.add("cra_decision", "Record the Child Rescue Alert consideration (medium or high risk child)")
        elif not data.cra_reason:
            p.add("cra_reason", "Give the reason for the Child Rescue Alert decision")
    p.raise_if_any("The risk assessment cannot be saved yet.")

    now = clock.now()
    due = data.next_review_due or now + policy.review_interval(grade)
    previous = episode.grade
    assessment = RiskAssessment.objects.create(
        episode=episode,
        grade=grade,
        vocabulary_version=RISK_VOCABULARY_VERSION,
        rationale=data.rationale,
        assessed_by=actor,
        assessed_by_role=rules.role_of(actor),
        assessed_at=now,
        next_review_due=due,
        agreed_actions=data.agreed_actions,
        floor_override_by=actor if below_floor else None,
        floor_override_reason=data.floor_override_reason if below_floor else "",
    )
    InformationSource.objects.bulk_create(
        InformationSource(
            assessment=assessment,
            information=s.information,
            provider_name=s.provider_name,
            provider_contact=s.provider_contact,
            obtained_at=s.obtained_at,
        )
        for s in data.sources
    )
    episode.grade = grade
    episode.next_review_due = due
    episode.state = EpisodeState.OPEN
    fields = ["grade", "next_review_due", "state"]
    if data.cra_decision is not None and not episode.cra_decision:
        episode.cra_decision, episode.cra_reason, episode.cra_by, episode.cra_at = (
            data.cra_decision,
            data.cra_reason,
            actor,
            now,
        )
        fields += ["cra_decision", "cra_reason", "cra_by", "cra_at"]
    _save(episode, *fields)
    verb = "Risk graded" if not previous else f"Risk re-graded from {RiskGrade(previous).label.lower()}"
    _event(episode, actor, f"{verb} {assessment.get_grade_display().lower()} by {actor.rank_and_name}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "risk_assess", "grade": grade})
    if not previous:
        # M-01: grading meets the first risk assessment's deadline; the review (M-04) is a deadline of its own.
        dl.meet(actor=actor, case=episode.case, key=dl.review_key(episode), how=f"Graded {grade.label.lower()}.")
    # M-04: the next review is a deadline.
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.REVIEW,
        what=f"Review the risk ({assessment.get_grade_display().lower()})",
        due_at=due,
        key=dl.review_key(episode),
        responsible=_responsible(episode),
    )
    if grade in (RiskGrade.MEDIUM, RiskGrade.HIGH):
        _no_activity_deadline(actor, episode)
    if grade == RiskGrade.HIGH:
        _high_risk_deadlines(actor, episode)
    return assessment


def _no_activity_deadline(actor: User, episode: Episode) -> None:
    """Medium or high with no enquiry actioned within the policy time escalates ("no meaningful activity")."""
    if episode.enquiries.filter(status=EnquiryStatus.COMPLETED).exists():
        return
    if deadline_named(case_id=episode.case_id, key=dl.activity_key(episode)).exists():
        return
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.ACTIVITY,
        what="Action an enquiry (no meaningful activity yet)",
        due_at=clock.now() + policy_value(policy.NO_MEANINGFUL_ACTIVITY),
        key=dl.activity_key(episode),
        responsible=_responsible(episode),
    )


def _high_risk_deadlines(actor: User, episode: Episode) -> None:
    """M-07: each high-risk obligation not yet recorded becomes a deadline."""
    now = clock.now()
    within = policy_value(policy.HIGH_RISK_WITHIN)
    for obligation in Obligation:
        if obligation == Obligation.PNC or rules.obligation_done(episode, obligation):
            continue
        if obligation == Obligation.CHILDRENS_SERVICES:
            if not rules.is_child(episode.child):
                continue
            due = now + policy_value(policy.CHILDRENS_SERVICES_WITHIN)
        else:
            due = now + within
        dl.create(
            actor=actor,
            case=episode.case,
            kind=dl.HIGH_RISK,
            what=f"High risk: {obligation.label.lower()}",
            due_at=due,
            key=dl.high_risk_key(episode, obligation),
            responsible=_responsible(episode),
        )


@transaction.atomic
def obligation_record(*, actor: User, episode: Episode, data: ObligationRecordIn) -> Episode:
    """Record a high-risk obligation (M-07) or the PNC circulation (M-09), meeting its deadline."""
    return _record_obligation(actor, episode, data, allow_allocated=False)


def _record_obligation(actor: User, episode: Episode, data: ObligationRecordIn, *, allow_allocated: bool) -> Episode:
    """``allow_allocated``: the actor was given this obligation by name (a DMM action's owner), so may
    record it without the right to edit the case, as the officer allocated an enquiry records its result."""
    episode = _lock(actor, episode, allow_allocated=allow_allocated)
    ob = Obligation(data.obligation)
    officer = _user_named(data.officer, "officer")
    p = _Problems()
    # M-07: the media strategy is a decision written down; the senior manager and the investigating
    # officer are people in Haven.
    if ob == Obligation.MEDIA and not data.note:
        p.add("note", "Enter the media strategy decision")
    if ob in (Obligation.SENIOR_MANAGER, Obligation.INVESTIGATING_OFFICER) and officer is None:
        p.add("officer", "Enter the name or collar number of the officer")
    # T-01: a high-risk episode's investigating officer must be trained for it (force policy: PIP2).
    if ob == Obligation.INVESTIGATING_OFFICER and officer is not None and episode.grade == RiskGrade.HIGH:
        decision = may(officer, Activity.HIGH_RISK_MISSING_INVESTIGATION)
        if not decision.allowed:
            p.add("officer", f"{officer.display_name} cannot investigate a high-risk episode: {decision.reason}")
    p.raise_if_any()
    at = data.at or clock.now()
    if ob == Obligation.PNC:
        episode.pnc_circulated_at = at
        fields = ["pnc_circulated_at"]
    elif ob == Obligation.UKMPU:
        episode.ukmpu_notified_at = at
        fields = ["ukmpu_notified_at"]
    elif ob == Obligation.CHILDRENS_SERVICES:
        episode.childrens_services_notified_at = at
        fields = ["childrens_services_notified_at"]
    elif ob == Obligation.SENIOR_MANAGER:
        episode.senior_manager, episode.senior_manager_involved_at = officer, at
        fields = ["senior_manager", "senior_manager_involved_at"]
    elif ob == Obligation.INVESTIGATING_OFFICER:
        episode.investigating_officer = officer
        fields = ["investigating_officer"]
    else:
        episode.media_strategy, episode.media_strategy_at = data.note, at
        fields = ["media_strategy", "media_strategy_at"]
    _save(episode, *fields)
    who = f" ({officer.rank_and_name})" if officer is not None else ""
    _event(episode, actor, f"{ob.label}{who} recorded by {actor.rank_and_name}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "obligation", "obligation": ob.value})
    key = dl.obligation_key(episode, ob)
    dl.meet(actor=actor, case=episode.case, key=key, how=ob.label)
    _obligation_recorded(actor, episode, key, ob.label)
    return episode


@transaction.atomic
def cra_record(*, actor: User, episode: Episode, data: CraRecordIn) -> Episode:
    """M-08: record the Child Rescue Alert consideration."""
    episode = _lock(actor, episode)
    episode.cra_decision, episode.cra_reason, episode.cra_by, episode.cra_at = (
        data.decision,
        data.reason,
        actor,
        clock.now(),
    )
    _save(episode, "cra_decision", "cra_reason", "cra_by", "cra_at")
    _event(episode, actor, f"Child Rescue Alert: {episode.get_cra_decision_display().lower()}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "cra", "decision": data.decision})
    return episode


# --- Enquiries ----------------------------------------------------------------------------------


def _enquiry_lock(actor: User, enquiry: Enquiry, *, allow_allocated: bool = False) -> tuple[Episode, Enquiry]:
    episode = _lock(actor, enquiry.episode, allow_allocated=True)
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    allowed = case_can(user=actor, case=episode.case, action=Action.EDIT)
    if allow_allocated and enquiry.allocated_to_id == actor.pk:
        allowed = True
    if not allowed:
        raise Forbidden("You can see this enquiry but may not change it.")
    return episode, enquiry


@transaction.atomic
def enquiry_raise(*, actor: User, episode: Episode, data: EnquiryRaiseIn) -> Enquiry:
    """Raise an enquiry on an open episode. It is due at the time given, else after its priority's time
    (force policy: Immediate 1 h, Urgent 4 h, Routine 24 h by default); that time is a deadline."""
    return _raise_enquiry(actor, episode, data, from_plan=False)


@transaction.atomic
def enquiries_raise(*, actor: User, episode: Episode, data: EnquiriesRaiseIn) -> list[Enquiry]:
    """Raise several enquiries in one go: all of them, or none when any row is refused (its errors are
    ``enquiries.<n>.<field>``, so a page shows them on the row)."""
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="raise enquiries")
    p = _Problems()
    for number, row in enumerate(data.enquiries):
        try:
            _enquiry_allocatee(row.allocated_to, "allocated_to")
        except ValidationFailed as exc:
            for message in exc.fields.get("allocated_to", [exc.message]):
                p.add(f"enquiries.{number}.allocated_to", message)
    p.raise_if_any("Check the enquiries: none has been raised.")
    return [_raise_enquiry(actor, episode, row, from_plan=False) for row in data.enquiries]


def _enquiry_allocatee(username: str | None, field: str) -> User | None:
    allocated_to = _user_named(username, field)
    if allocated_to is not None and not rules.may_take_enquiries(allocated_to):
        raise _fail(field, "This person cannot be given missing-person enquiries")
    return allocated_to


def _raise_enquiry(actor: User, episode: Episode, data: EnquiryRaiseIn, *, from_plan: bool) -> Enquiry:
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="raise enquiries")
    allocated_to = _enquiry_allocatee(data.allocated_to, "allocated_to")
    now = clock.now()
    due_at = data.due_at or now + policy.enquiry_due_within(data.priority)
    enquiry = Enquiry.objects.create(
        episode=episode,
        type=data.type,
        description=data.description,
        priority=data.priority,
        raised_by=actor,
        raised_at=now,
        allocated_to=allocated_to,
        due_at=due_at,
        status=EnquiryStatus.ALLOCATED if allocated_to else EnquiryStatus.RAISED,
        from_plan=from_plan,
    )
    _event(episode, actor, f"Enquiry raised: {enquiry.get_type_display()}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "enquiry_raise", "enquiry": str(enquiry.public_id)})
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.ENQUIRY,
        what=f"Enquiry ({enquiry.get_priority_display().lower()}): {enquiry.get_type_display()}",
        due_at=due_at,
        key=dl.enquiry_key(enquiry),
        responsible=allocated_to or _responsible(episode),
    )
    return enquiry


@transaction.atomic
def enquiry_allocate(*, actor: User, enquiry: Enquiry, data: EnquiryAllocateIn) -> Enquiry:
    episode, enquiry = _enquiry_lock(actor, enquiry)
    if not enquiry.is_open:
        raise Conflict("This enquiry is finished.")
    to_user = _user_named(data.to_user, "to_user")
    if to_user is None or not rules.may_take_enquiries(to_user):
        raise _fail("to_user", "This person cannot be given missing-person enquiries")
    enquiry.allocated_to = to_user
    enquiry.status = EnquiryStatus.ALLOCATED
    enquiry.save(update_fields=["allocated_to", "status"])
    _event(episode, actor, f"Enquiry {enquiry.get_type_display()} allocated to {to_user.rank_and_name}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "enquiry_allocate", "enquiry": str(enquiry.public_id)})
    dl.cancel(actor=actor, case=episode.case, key=dl.enquiry_key(enquiry), reason="Reallocated")
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.ENQUIRY,
        what=f"Enquiry: {enquiry.get_type_display()}",
        due_at=max(enquiry.due_at, clock.now() + timedelta(minutes=15)),
        key=dl.enquiry_key(enquiry),
        responsible=to_user,
    )
    return enquiry


@transaction.atomic
def enquiry_complete(*, actor: User, enquiry: Enquiry, data: EnquiryResultIn) -> Enquiry:
    """Record an enquiry's result: the allocated officer or anyone who may edit the case."""
    episode, enquiry = _enquiry_lock(actor, enquiry, allow_allocated=True)
    if not enquiry.is_open:
        raise Conflict("This enquiry is already finished.")
    now = clock.now()
    enquiry.status, enquiry.result, enquiry.completed_by, enquiry.completed_at = (
        EnquiryStatus.COMPLETED,
        data.result,
        actor,
        now,
    )
    enquiry.save(update_fields=["status", "result", "completed_by", "completed_at"])
    if enquiry.type == EnquiryType.PHILOMENA and episode.philomena_obtained_at is None:
        episode.philomena_obtained_at = now
        _save(episode, "philomena_obtained_at")
    if enquiry.type == EnquiryType.PNC_CIRCULATION and episode.pnc_circulated_at is None:
        episode.pnc_circulated_at = now
        _save(episode, "pnc_circulated_at")
        dl.meet(actor=actor, case=episode.case, key=dl.pnc_key(episode), how="Circulated (enquiry)")
        _obligation_recorded(actor, episode, dl.pnc_key(episode), "Circulated (enquiry)")
    _event(episode, actor, f"Enquiry {enquiry.get_type_display()} completed by {actor.rank_and_name}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "enquiry_complete", "enquiry": str(enquiry.public_id)})
    dl.meet(actor=actor, case=episode.case, key=dl.enquiry_key(enquiry), how="Result recorded")
    dl.meet(actor=actor, case=episode.case, key=dl.activity_key(episode), how="An enquiry was actioned")
    return enquiry


@transaction.atomic
def enquiry_cancel(*, actor: User, enquiry: Enquiry, data: EnquiryCancelIn) -> Enquiry:
    episode, enquiry = _enquiry_lock(actor, enquiry)
    if not enquiry.is_open:
        raise Conflict("This enquiry is already finished.")
    enquiry.status, enquiry.cancel_reason = EnquiryStatus.CANCELLED, data.reason
    enquiry.save(update_fields=["status", "cancel_reason"])
    _event(episode, actor, f"Enquiry {enquiry.get_type_display()} cancelled: {data.reason}")
    _log(actor, episode, Operation.ALTERATION, {"step": "enquiry_cancel", "enquiry": str(enquiry.public_id)})
    dl.cancel(actor=actor, case=episode.case, key=dl.enquiry_key(enquiry), reason=data.reason)
    return enquiry


@transaction.atomic
def plan_actions_raise(*, actor: User, episode: Episode, data: PlanActionsRaiseIn) -> list[Enquiry]:
    """Offer the child's trigger-plan actions as enquiries in one click (M-15 hand-off)."""
    from haven.missing.selectors import trigger_plan_actions

    actions = trigger_plan_actions(user=actor, child=episode.child, episode=episode)
    chosen = [actions[i] for i in dict.fromkeys(data.actions) if 0 <= i < len(actions)]
    if not chosen:
        raise _fail("actions", "Select at least one of the child's current trigger-plan actions")
    raised = []
    for action in chosen:
        kind = action.enquiry_type if action.enquiry_type in EnquiryType.values else EnquiryType.OTHER
        enquiry = EnquiryRaiseIn(type=kind, description=action.text, priority=EnquiryPriority.URGENT)
        raised.append(_raise_enquiry(actor, episode, enquiry, from_plan=True))
    return raised


# --- Supervision --------------------------------------------------------------------------------


@transaction.atomic
def review_record(*, actor: User, episode: Episode, data: SupervisorReviewIn) -> SupervisorReview:
    """A supervisor's review (domain §2.4): decision and next review (M-04)."""
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="review it")
    if not episode.grade:
        raise Conflict("Grade the risk before reviewing it.", fields={"grade": ["No risk grade yet."]})
    now = clock.now()
    due = data.next_review_due or now + policy.review_interval(episode.grade)
    review = SupervisorReview.objects.create(
        episode=episode,
        reviewer=actor,
        reviewer_role=rules.role_of(actor),
        reviewed_at=now,
        grade_confirmed=data.grade_confirmed,
        decision=data.decision,
        next_review_due=due,
    )
    episode.next_review_due = due
    _save(episode, "next_review_due")
    confirmed = "grade confirmed" if data.grade_confirmed else "grade to be reassessed"
    _event(episode, actor, f"Supervisor review by {actor.rank_and_name} ({confirmed}).")
    _log(actor, episode, Operation.ALTERATION, {"step": "review"})
    dl.meet(actor=actor, case=episode.case, key=dl.review_key(episode), how="Reviewed")
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.REVIEW,
        what="Review the risk",
        due_at=due,
        key=dl.review_key(episode),
        responsible=_responsible(episode),
    )
    return review


# --- Found --------------------------------------------------------------------------------------


def _end_missing_deadlines(actor: User, episode: Episode, reason: str) -> None:
    keys = [
        dl.review_key(episode),
        dl.pnc_key(episode),
        dl.activity_key(episode),
        *(dl.high_risk_key(episode, o) for o in Obligation if o != Obligation.PNC),
    ]
    for key in keys:
        dl.cancel(actor=actor, case=episode.case, key=key, reason=reason)


@transaction.atomic
def episode_found(*, actor: User, episode: Episode, data: EpisodeFoundIn) -> Episode:
    """The child is found. Starts the prevention interview deadline (M-11) and, for a child, sends the
    return home interview notification to the responsible authority (M-12): a logged disclosure."""
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="record that the child is found")
    p = _Problems()
    if data.found_at < episode.last_seen_at:
        p.add("found_at", "The child cannot be found before they were last seen")
    child = rules.is_child(episode.child)
    rhi_authority = data.rhi_authority or episode.responsible_authority
    if child:
        # M-12: the return home interview notification goes to the responsible authority.
        if not rhi_authority:
            p.add("rhi_authority", "Enter the local authority responsible for the return home interview")
        if not data.rhi_recipient:
            p.add("rhi_recipient", "Enter who at the authority is told (team or secure e-mail address)")
    p.raise_if_any()
    code = WhereFound(data.found_where_code)
    episode.found_at, episode.found_where, episode.found_where_code = data.found_at, data.found_where, code
    episode.found_by, episode.found_condition = data.found_by, data.condition
    episode.found_far_from_home = data.far_from_home or code == WhereFound.OUT_OF_AREA
    episode.found_with_adults_of_concern = data.with_adults_of_concern or code == WhereFound.ADULT_OF_CONCERN
    episode.state = EpisodeState.FOUND
    fields = ["found_at", "found_where", "found_where_code", "found_by", "found_condition"]
    fields += ["found_far_from_home", "found_with_adults_of_concern", "state"]
    # M-16: found far from home or with adults of concern prompts an exploitation review.
    prompt = rules.exploitation_prompt(episode, rules.child_flags(episode.child))
    if prompt and prompt != episode.exploitation_prompt:
        episode.exploitation_prompt = prompt
        fields.append("exploitation_prompt")
    _save(episode, *fields)
    _event(episode, actor, f"Found at {data.found_where} by {data.found_by}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "found"})
    _end_missing_deadlines(actor, episode, "Child found")
    for enquiry in episode.enquiries.filter(status__in=OPEN_ENQUIRY_STATUSES):
        enquiry.status, enquiry.cancel_reason = EnquiryStatus.CANCELLED, "Child found"
        enquiry.save(update_fields=["status", "cancel_reason"])
        dl.cancel(actor=actor, case=episode.case, key=dl.enquiry_key(enquiry), reason="Child found")
    within = policy_value(
        policy.PREVENTION_WITHIN_HIGH if episode.grade == RiskGrade.HIGH else policy.PREVENTION_WITHIN
    )
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.PREVENTION,
        what="Prevention interview (safe and well check)",
        due_at=max(data.found_at, clock.now()) + within,
        key=dl.prevention_key(episode),
        responsible=_responsible(episode),
    )
    if child:
        channel = data.rhi_channel or "secure e-mail"
        _rhi_request(actor, episode, authority=rhi_authority, recipient=data.rhi_recipient, channel=channel)
    return episode


def _rhi_request(actor: User, episode: Episode, *, authority: str, recipient: str, channel: str) -> ReturnHomeInterview:
    """M-12: notify the responsible authority (a disclosure, logged with the recipient) and track the RHI."""
    assert episode.found_at is not None
    now = clock.now()
    rhi = ReturnHomeInterview.objects.create(
        episode=episode,
        authority=authority,
        recipient=recipient,
        channel=channel,
        requested_at=now,
        requested_by=actor,
        due_at=episode.found_at + policy_value(policy.RHI_WITHIN),
        status=RhiStatus.REQUESTED,
    )
    _event(episode, actor, f"Return home interview requested from {authority} ({recipient}).")
    _log(
        actor,
        episode,
        Operation.DISCLOSURE,
        {"step": "rhi_request", "authority": authority},
        justification="Return home interview notification to the responsible local authority (DfE 2014, M-12).",
        recipients=(
            {
                "name": recipient,
                "organisation": authority,
                "lawful_basis": "Children Act 2004 s11; DfE statutory guidance 2014 (return interviews)",
            },
        ),
        channel=rhi.channel,
    )
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.RHI,
        what=f"Return home interview by {authority}",
        due_at=rhi.due_at,
        key=dl.rhi_key(episode),
        responsible=_responsible(episode),
    )
    _rhi_to_partner_portal(actor, episode, rhi)
    return rhi


def _rhi_to_partner_portal(actor: User, episode: Episode, rhi: ReturnHomeInterview) -> None:
    """M-12: when the authority's children's services are a partner agency in Haven, the request also
    reaches their portal, from which the outcome comes back (:func:`rhi_outcome_from_partner`)."""
    child = episode.child
    born = f", born {child.date_of_birth:%-d %B %Y}" if child.date_of_birth else ""
    missing_from = episode.get_missing_from_display()
    if episode.placement_address:
        missing_from = f"{missing_from}: {episode.placement_address}"
    item = partners.rhi_request(
        actor=actor,
        authority=rhi.authority,
        reference=str(episode.public_id),
        subject_summary=f"{child.full_name}{born}",
        projection={
            "child": f"{child.full_name}{born}",
            "missing_from": missing_from,
            "found": f"{timezone.localtime(episode.found_at):%-d %B %Y, %H:%M} at {episode.found_where}"
            if episode.found_at
            else episode.found_where,
            "rhi_due": rhi.due_at,
            "officer": f"{actor.rank_and_name}{f', {actor.phone}' if actor.phone else ''}",
        },
        case=episode.case,
        person_ids=[child.public_id],
    )
    if item is not None:
        _event(episode, actor, f"Return home interview request sent to {item.agency.name} in the partner portal.")


@transaction.atomic
def rhi_outcome_from_partner(*, actor: User, result: RhiResult) -> None:
    """M-12: the local authority sent back the return home interview's outcome through the partner
    portal (haven.partners calls this, registered from MissingConfig.ready()). Recorded on the episode
    whose id the request carried; an ended outcome meets the RHI deadline, closing M-12's loop."""
    public_id = _uuid_or_none(result.reference)
    episode = Episode.objects.select_related("case").filter(public_id=public_id).first() if public_id else None
    if episode is None:
        return
    rhi = ReturnHomeInterview.objects.select_for_update().filter(episode=episode).first()
    if rhi is None or rhi.status in RHI_ENDED:
        return
    status = RhiStatus(result.outcome.value)
    rhi.status = status
    if status == RhiStatus.OFFERED:
        rhi.offered_at = rhi.offered_at or clock.now()
    if status == RhiStatus.COMPLETED:
        rhi.completed_at = result.done_at or clock.now()
        rhi.interviewer = result.interviewer
        rhi.themes = result.findings
    if status in (RhiStatus.DECLINED, RhiStatus.NOT_DONE):
        rhi.reason = result.findings
    rhi.recorded_by = actor
    rhi.save()
    _event(episode, actor, f"Return home interview: {rhi.get_status_display().lower()} ({result.agency}).")
    s62.record(
        actor=actor,
        operation=Operation.COLLECTION,
        cases=[episode.case],
        justification=f"Return home interview outcome sent back by {result.agency} (M-12).",
        justification_kind=JustificationKind.STATED,
        detail={"step": "rhi_outcome_from_partner", "status": status.value},
    )
    if status in RHI_ENDED:
        dl.meet(
            actor=actor, case=episode.case, key=dl.rhi_key(episode), how=f"{rhi.get_status_display()} ({result.agency})"
        )


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


@transaction.atomic
def rhi_update(*, actor: User, episode: Episode, data: ReturnInterviewIn) -> ReturnHomeInterview:
    """M-12: record the return home interview as offered, completed, declined or not done (+ reason)."""
    episode = _lock(actor, episode)
    rhi = ReturnHomeInterview.objects.select_for_update().filter(episode=episode).first()
    if rhi is None:
        raise Conflict("No return home interview was requested for this episode.")
    # M-12: closing the episode leaves the RHI tracked until it is completed, declined or not done.
    if episode.state != EpisodeState.FOUND and rhi.status in RHI_ENDED:
        raise Conflict(
            f"The episode is closed and the return home interview is already recorded "
            f"({rhi.get_status_display().lower()}).",
            fields={"status": ["The return home interview is already recorded."]},
        )
    status = RhiStatus(data.status)
    offered_at, completed_at = data.offered_at, data.completed_at
    now = clock.now()
    p = _Problems()
    if status in (RhiStatus.DECLINED, RhiStatus.NOT_DONE) and not data.reason:
        p.add("reason", "Enter why the return home interview was declined or not done")
    if status == RhiStatus.OFFERED:
        offered_at = offered_at or now
    if status == RhiStatus.COMPLETED:
        completed_at = completed_at or now
        if not data.interviewer:
            p.add("interviewer", "Enter who did the interview")
    p.raise_if_any()
    rhi.status = status
    if offered_at is not None:
        rhi.offered_at = offered_at
    if completed_at is not None:
        rhi.completed_at = completed_at
    rhi.interviewer, rhi.reason, rhi.themes, rhi.recorded_by = (
        data.interviewer or rhi.interviewer,
        data.reason,
        data.themes or rhi.themes,
        actor,
    )
    rhi.save()
    _event(episode, actor, f"Return home interview: {rhi.get_status_display().lower()}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "rhi_update", "status": status.value})
    if status in RHI_ENDED:
        dl.meet(actor=actor, case=episode.case, key=dl.rhi_key(episode), how=rhi.get_status_display())
        partners.rhi_answered_elsewhere(actor=actor, reference=str(episode.public_id))
    return rhi


@transaction.atomic
def prevention_interview_record(*, actor: User, episode: Episode, data: PreventionInterviewIn) -> PreventionInterview:
    """M-11: the prevention interview / safe and well check, after the child is found."""
    episode = _lock(actor, episode)
    _require_state(episode, EpisodeState.FOUND, doing="record a prevention interview")
    if PreventionInterview.objects.filter(episode=episode).exists():
        raise Conflict("A prevention interview is already recorded for this episode.")
    if episode.found_at and data.done_at < episode.found_at:
        raise _fail("done_at", "The interview cannot be before the child was found")
    interview = PreventionInterview.objects.create(
        episode=episode,
        done_at=data.done_at,
        done_by=actor,
        mode=data.mode,
        why_went=data.why_went,
        what_happened=data.what_happened,
        harm_or_crime=data.harm_or_crime,
        with_whom=data.with_whom,
        safeguarding_referrals=data.safeguarding_referrals,
    )
    _event(episode, actor, f"Prevention interview ({interview.get_mode_display().lower()}) by {actor.rank_and_name}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "prevention_interview"})
    dl.meet(actor=actor, case=episode.case, key=dl.prevention_key(episode), how="Interview recorded")
    return interview


@transaction.atomic
def prevention_waive(*, actor: User, episode: Episode, data: PreventionWaiveIn) -> Episode:
    """M-11: a supervisor approves why no prevention interview was possible."""
    episode = _lock(actor, episode)
    _require_state(episode, EpisodeState.FOUND, doing="waive the prevention interview")
    episode.prevention_waived_reason, episode.prevention_waived_by, episode.prevention_waived_at = (
        data.reason,
        actor,
        clock.now(),
    )
    _save(episode, "prevention_waived_reason", "prevention_waived_by", "prevention_waived_at")
    _event(episode, actor, f"Prevention interview waived by {actor.rank_and_name}: {data.reason}")
    _log(actor, episode, Operation.ALTERATION, {"step": "prevention_waive"})
    dl.cancel(actor=actor, case=episode.case, key=dl.prevention_key(episode), reason=data.reason)
    return episode


@transaction.atomic
def exploitation_record(*, actor: User, episode: Episode, data: ExploitationRecordIn) -> Episode:
    """M-16: what was done about the exploitation review prompt."""
    episode = _lock(actor, episode)
    episode.exploitation_outcome, episode.exploitation_note = data.outcome, data.note
    episode.exploitation_by, episode.exploitation_at = actor, clock.now()
    _save(episode, "exploitation_outcome", "exploitation_note", "exploitation_by", "exploitation_at")
    _event(episode, actor, f"Exploitation prompt: {episode.get_exploitation_outcome_display().lower()}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "exploitation", "outcome": data.outcome})
    return episode


# --- Ending -------------------------------------------------------------------------------------


def _close_case(actor: User, episode: Episode, reason: str) -> None:
    from haven.cases.services import case_close

    episode.case.refresh_from_db(fields=["state"])
    if episode.case.state == CaseState.OPEN:
        case_close(actor=actor, case=episode.case, data=CaseCloseIn(reason=reason))


@transaction.atomic
def episode_close(*, actor: User, episode: Episode, data: EpisodeCloseIn) -> Episode:
    """A supervisor closes the episode (and its case). Refused until the prevention interview is recorded
    or a supervisor waived it (M-11); and while the exploitation review the episode prompted (M-16) or the
    children's services notification of a high-risk child (M-07) is outstanding, unless a supervisor
    records why it may close all the same (kept on the episode with who and when).

    Closing never ends the return home interview's tracking (M-12): its deadline outlives the case, and
    :func:`rhi_update` still records it."""
    episode = _lock(actor, episode)
    _require_state(episode, EpisodeState.FOUND, doing="close it")
    p = _Problems()
    for problem in rules.close_blockers(episode, overriding=True):
        p.add("episode", problem)
    outstanding = rules.close_overridable(episode)
    override = data.override_reason.strip()
    if outstanding and not override:
        for problem in outstanding:
            p.add("episode", problem)
        if actor.has_perm(Perm.MISSING_SUPERVISION_RECORD):
            p.add("override_reason", "Record it first, or give the reason the episode may close without it")
    elif outstanding and not actor.has_perm(Perm.MISSING_SUPERVISION_RECORD):
        p.add("override_reason", "Only a supervisor can close the episode with this outstanding")
    p.raise_if_any("The episode cannot be closed yet.")
    now = clock.now()
    fields = ["reason_missing", "state", "ended_at", "ended_by", "end_reason"]
    if outstanding:
        episode.close_override_reason, episode.close_override_by, episode.close_override_at = override, actor, now
        fields += ["close_override_reason", "close_override_by", "close_override_at"]
    episode.reason_missing, episode.state, episode.ended_at, episode.ended_by, episode.end_reason = (
        data.reason_missing,
        EpisodeState.CLOSED,
        now,
        actor,
        data.reason,
    )
    _save(episode, *fields)
    if outstanding:
        _event(
            episode,
            actor,
            f"Closed by {actor.rank_and_name} with {_outstanding_words(episode)} outstanding: {override}",
        )
    detail: dict[str, Any] = {"step": "close", "reason_missing": data.reason_missing}
    if outstanding:
        detail["override"] = True
    _log(actor, episode, Operation.ALTERATION, detail)
    _close_case(actor, episode, data.reason)
    return episode


def _outstanding_words(episode: Episode) -> str:
    parts = []
    if episode.exploitation_prompt.strip() and not episode.exploitation_outcome:
        parts.append("the exploitation review")
    if Obligation.CHILDRENS_SERVICES in rules.outstanding_obligations(episode):
        parts.append("the children's services notification")
    return " and ".join(parts)


def _end(actor: User, episode: Episode, state: str, reason: str, **fields: Any) -> Episode:
    now = clock.now()
    episode.state, episode.ended_at, episode.ended_by, episode.end_reason = state, now, actor, reason
    for name, value in fields.items():
        setattr(episode, name, value)
    _save(episode, "state", "ended_at", "ended_by", "end_reason", *fields)
    _end_missing_deadlines(actor, episode, reason)
    for enquiry in episode.enquiries.filter(status__in=OPEN_ENQUIRY_STATUSES):
        enquiry.status, enquiry.cancel_reason = EnquiryStatus.CANCELLED, reason
        enquiry.save(update_fields=["status", "cancel_reason"])
        dl.cancel(actor=actor, case=episode.case, key=dl.enquiry_key(enquiry), reason=reason)
    return episode


@transaction.atomic
def episode_cancel(*, actor: User, episode: Episode, data: EpisodeCancelIn) -> Episode:
    """Not missing after all: ends the episode with a reason and closes its case."""
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="cancel it")
    reason = data.reason
    _end(actor, episode, EpisodeState.CANCELLED, reason)
    _event(episode, actor, f"Cancelled (not missing) by {actor.rank_and_name}: {reason}")
    _log(actor, episode, Operation.ALTERATION, {"step": "cancel"})
    _close_case(actor, episode, f"Not missing: {reason}"[:2000])
    return episode


@transaction.atomic
def episode_escalate(*, actor: User, episode: Episode, data: EpisodeEscalateIn) -> Episode:
    """The episode becomes a crime investigation (abduction, homicide…): the missing episode ends."""
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, EpisodeState.FOUND, doing="escalate it")
    crime_reference, reason = data.crime_reference, data.reason
    _end(actor, episode, EpisodeState.ESCALATED, reason, crime_reference=crime_reference)
    _event(episode, actor, f"Escalated to crime investigation {crime_reference}: {reason}")
    _log(actor, episode, Operation.ALTERATION, {"step": "escalate", "crime_reference": crime_reference})
    dl.cancel(actor=actor, case=episode.case, key=dl.prevention_key(episode), reason="Escalated to crime")
    _close_case(actor, episode, f"Escalated to crime investigation {crime_reference}: {reason}"[:2000])
    return episode


@transaction.atomic
def episode_found_deceased(*, actor: User, episode: Episode, data: FoundDeceasedIn) -> Episode:
    """The child was found deceased. No prevention or return home interview follows."""
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="record this")
    if data.found_at < episode.last_seen_at:  # as for found alive; the database refuses it too
        p = _Problems()
        p.add("found_at", "The child cannot be found before they were last seen")
        p.raise_if_any()
    _end(actor, episode, EpisodeState.DECEASED, data.reason, found_at=data.found_at, found_where=data.found_where)
    _event(episode, actor, f"Found deceased at {data.found_where}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "deceased"})
    _close_case(actor, episode, f"Found deceased: {data.reason}"[:2000])
    return episode


# --- Sightings: every operational officer helps find the child -----------------------------------


@transaction.atomic
def sighting_record(*, actor: User, episode: Episode, data: SightingIn) -> Sighting:
    """Record a sighting of a child missing now, or information about where they are. Any operational
    officer may (the operation's permission); the loader has checked they may read the briefing. The
    owner of the episode is told at once; the case's timeline shows it."""
    locked = (
        Episode.objects.select_for_update(of=("self",))
        .select_related("case", "case__owner", "case__pending_owner", "child")
        .get(pk=episode.pk)
    )
    _require_state(locked, *ACTIVE_STATES, doing="record a sighting: the child is no longer missing")
    return _sighting_on(actor, locked, data)


@transaction.atomic
def sighting_report(*, actor: User, data: SightingReportIn) -> Sighting:
    """A sighting of a child the officer names, for a child whose episode they cannot open (a restricted
    child stays hidden) or did not find. Matched to the one episode of a child of that name (and date
    of birth, if given) missing now, it is recorded there and the owner told, exactly as a sighting on
    the episode; otherwise it is kept with the name given and the default area's supervisors are asked
    to match it. The caller is told the same either way (``rules.SIGHTING_RECEIVED``)."""
    people = people_named(name=data.child_name, date_of_birth=data.date_of_birth)
    matches = list(
        Episode.objects.select_for_update(of=("self",))
        .select_related("case", "case__owner", "case__pending_owner", "child")
        .filter(state__in=ACTIVE_STATES, child__in=people)[:2]
    )
    named = {"child_name": data.child_name, "child_born": data.date_of_birth}
    if len(matches) == 1:
        return _sighting_on(actor, matches[0], data, **named)
    sighting = Sighting.objects.create(**_sighting_fields(actor, data), **named)
    _tell_supervisors_of_unmatched(actor, sighting)
    return sighting


def _sighting_fields(actor: User, data: SightingIn) -> dict[str, Any]:
    return {
        "seen_at": data.seen_at,
        "where": data.where,
        "information": data.information,
        "source": data.source,
        "recorded_by": actor,
    }


def _sighting_on(actor: User, episode: Episode, data: SightingIn, **named: Any) -> Sighting:
    """The sighting on ``episode`` (locked): its timeline event, the s62 row (for the purpose of locating
    a missing person unless the actor works the case) and the owner told."""
    sighting = Sighting.objects.create(episode=episode, **_sighting_fields(actor, data), **named)
    seen = timezone.localtime(data.seen_at)
    _event(episode, actor, f"Sighting recorded by {actor.rank_and_name}: seen {seen:%d %b %H:%M} at {data.where}.")
    detail = {"sighting": str(sighting.public_id), "by_name": bool(named)}
    works_it = case_visible_to(actor).filter(pk=episode.case_id).exists()
    _log(actor, episode, Operation.COLLECTION, detail, locating=not works_it)
    _tell_owner_of_sighting(actor, episode)
    return sighting


def _tell_supervisors_of_unmatched(actor: User, sighting: Sighting) -> None:
    """An unmatched sighting goes to the supervisors of the default area's team (its duty sergeant first),
    who can search for the child with their own access."""
    from haven.accounts.selectors import team_supervisors
    from haven.cases.selectors import queue_team
    from haven.notifications.services import notification_send

    _, team = queue_team(fallback=actor.team)
    seen = timezone.localtime(sighting.seen_at)
    for recipient in team_supervisors(team) if team is not None else []:
        notification_send(
            recipient=recipient,
            # No name: e-mail leaves Haven (DP-01).
            subject="A sighting of a child who may be missing needs matching",
            body=(
                f"{actor.rank_and_name} reported seeing a child by name, {seen:%d %b %H:%M}, "
                "that matched no one child missing now. Open the unmatched sightings to find the child."
            ),
            link=reverse("missing:sightings-unmatched"),
            severity="urgent",
        )


def _tell_owner_of_sighting(actor: User, episode: Episode) -> None:
    from haven.notifications.services import notification_send

    case = episode.case
    for recipient in {case.owner, *([case.pending_owner] if case.pending_owner else [])}:
        if recipient.pk == actor.pk:
            continue
        notification_send(
            recipient=recipient,
            # No name or place: e-mail leaves Haven (DP-01); the inbox links to the episode.
            subject=f"New sighting on {case.reference}",
            body=f"{actor.rank_and_name} recorded a sighting of the missing child. Open the episode to act on it.",
            case=case,
            link=reverse("missing:detail", args=[episode.public_id]),
            severity="urgent",
        )


def briefing_printed(*, actor: User, episode: Episode) -> None:
    """Printing the briefing sheet is a disclosure to patrols (logged with recipients and channel)."""
    _log(
        actor,
        episode,
        Operation.DISCLOSURE,
        {"step": "briefing_sheet"},
        justification="Briefing sheet printed for patrols searching for the child.",
        recipients=(
            {
                "name": "Officers searching for the child (printed briefing sheet)",
                "organisation": "Own force",
                "lawful_basis": "DPA 2018 s35: law enforcement purpose (locating a missing child)",
            },
        ),
        channel="print",
    )
