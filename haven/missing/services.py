"""Every write to missing-child episodes: keyword-only, with the actor, one transaction, permission
checked, s62 logged, rules M-01..M-13 and M-16 enforced here (and by constraints where they can be)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError, transaction

from haven.audit.choices import JustificationKind, Operation
from haven.cases import s62
from haven.cases.choices import CaseKind, CaseState
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
from haven.missing.models import (
    Enquiry,
    Episode,
    InformationSource,
    PreventionInterview,
    ReturnHomeInterview,
    RiskAssessment,
    SupervisorReview,
)
from haven.policy.selectors import policy_value
from haven.triggerplans.services import repeat_missing_check

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.people.models import Person

log = logging.getLogger("haven.missing")

TEXT_MAX = 10_000
LINE_MAX = 300
CLOCK_SKEW = timedelta(minutes=5)
"""A time "now" typed on another device may run a little ahead of Haven's clock."""


# --- Helpers ------------------------------------------------------------------------------------


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


class _Problems:
    """Collects field errors so a form shows all of them at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def text(
        self, data: dict[str, Any], field: str, label: str, *, limit: int = TEXT_MAX, required: bool = True
    ) -> str:
        value = str(data.get(field) or "").strip()
        if required and not value:
            self.add(field, f"Enter {label}")
        elif len(value) > limit:
            self.add(field, f"Use {limit:,} characters or fewer")
        return value

    def past(self, field: str, value: datetime | None, label: str, *, required: bool = True) -> None:
        if value is None:
            if required:
                self.add(field, f"Enter {label}")
        elif value > clock.now() + CLOCK_SKEW:
            self.add(field, f"{label[0].upper()}{label[1:]} must be in the past")

    def choice(self, field: str, value: str, choices: Any, label: str) -> None:
        if value not in choices.values:
            self.add(field, f"Choose {label}")

    def raise_if_any(self, message: str = "Check the details you entered.") -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise ValidationFailed(first if len(self.fields) == 1 else message, fields=self.fields)


def _require_perm(actor: User, perm: Perm, what: str) -> None:
    if not actor.has_perm(perm):
        raise Forbidden(f"Your roles do not allow you to {what}.")


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
) -> None:
    kind, why = s62.justification_for(actor, episode.case)
    s62.record(
        actor=actor,
        operation=operation,
        cases=[episode.case],
        justification=justification or why or "Working the missing episode.",
        justification_kind=JustificationKind.STATED if justification else (kind or JustificationKind.STATED),
        recipients=recipients,
        channel=channel,
        detail={"episode": str(episode.public_id), **detail},
    )


def _key(episode: Episode, what: str) -> str:
    return f"episode:{episode.public_id}:{what}"


def _responsible(episode: Episode) -> User:
    return episode.case.owner


def _save(episode: Episode, *fields: str) -> None:
    episode.save(update_fields=list(fields))


# --- Report -------------------------------------------------------------------------------------


@transaction.atomic
def episode_report(
    *,
    actor: User,
    child: Person,
    informant_name: str,
    last_seen_at: datetime | None,
    last_seen_where: str,
    missing_from: str,
    circumstances: str,
    informant_relationship: str = "",
    informant_contact: str = "",
    last_seen_by: str = "",
    out_of_character: bool | None = None,
    clothing: str = "",
    looked_after: bool | None = None,
    responsible_authority: str = "",
    host_authority: str = "",
    philomena_exists: bool | None = None,
    source_reference: str = "",
    idempotency_key: str | None = None,
) -> Episode:
    """Record that ``child`` is missing: opens a missing Case (owned by the actor) and its Episode.

    With ``idempotency_key``, a retry by the same actor returns the episode already made. The child's
    looked-after status is taken from their current flags unless given (M-13).
    """
    _require_perm(actor, Perm.MISSING_EPISODE_CREATE, "report a missing child")
    key = (idempotency_key or "").strip() or None
    if key is not None:
        if len(key) > 100:
            raise _fail("idempotency_key", "Use an idempotency key of 100 characters or fewer")
        existing = Episode.objects.filter(reported_by=actor, idempotency_key=key).first()
        if existing is not None:
            return existing
    flags = rules.child_flags(child)
    if looked_after is None:
        looked_after = flags.looked_after
        responsible_authority = responsible_authority or flags.responsible_authority
        host_authority = host_authority or flags.host_authority
    if philomena_exists is None and flags.philomena:
        philomena_exists = True
    data = {
        "informant_name": informant_name,
        "informant_relationship": informant_relationship,
        "informant_contact": informant_contact,
        "last_seen_where": last_seen_where,
        "last_seen_by": last_seen_by,
        "circumstances": circumstances,
        "clothing": clothing,
        "responsible_authority": responsible_authority,
        "host_authority": host_authority,
        "source_reference": source_reference,
    }
    p = _Problems()
    values = {
        "informant_name": p.text(data, "informant_name", "the name of the person reporting", limit=200),
        "informant_relationship": p.text(data, "informant_relationship", "", limit=100, required=False),
        "informant_contact": p.text(data, "informant_contact", "", limit=200, required=False),
        "last_seen_where": p.text(data, "last_seen_where", "where the child was last seen", limit=LINE_MAX),
        "last_seen_by": p.text(data, "last_seen_by", "", limit=200, required=False),
        "circumstances": p.text(data, "circumstances", "the circumstances"),
        "clothing": p.text(data, "clothing", "", required=False),
        "responsible_authority": p.text(data, "responsible_authority", "", limit=200, required=False),
        "host_authority": p.text(data, "host_authority", "", limit=200, required=False),
        "source_reference": p.text(data, "source_reference", "", limit=64, required=False),
    }
    p.past("last_seen_at", last_seen_at, "when the child was last seen")
    p.choice("missing_from", missing_from, MissingFrom, "where the child went missing from")
    # M-13 (HARD): a looked-after child's responsible authority, and whether a Philomena form exists.
    if looked_after:
        if not values["responsible_authority"]:
            p.add("responsible_authority", "Enter the responsible local authority for a looked-after child")
        if philomena_exists is None:
            p.add("philomena_exists", "Say whether a Philomena form exists for a looked-after child")
    if child.merged_into_id is not None:
        p.add("child", "This person's record was merged into another: report the child on that one")
    p.raise_if_any()
    if Episode.objects.filter(child=child, state__in=ACTIVE_STATES).exists():
        raise Conflict(
            f"{child.full_name} is already missing in an open episode: add to that one.",
            fields={"child": ["This child is already reported missing."]},
        )

    assert last_seen_at is not None
    from haven.cases.services import case_open

    where = values["last_seen_where"][:120]
    case = case_open(actor=actor, subject=child, kind=CaseKind.MISSING, summary=f"Missing from {where}"[:200])
    now = clock.now()
    try:
        with transaction.atomic():
            episode = Episode.objects.create(
                case=case,
                child=child,
                reported_by=actor,
                idempotency_key=key,
                reported_at=now,
                last_seen_at=last_seen_at,
                missing_from=missing_from,
                out_of_character=out_of_character,
                looked_after=bool(looked_after),
                philomena_exists=philomena_exists,
                state=EpisodeState.REPORTED,
                **values,
            )
    except IntegrityError:
        # Another request with the same idempotency key won the race; the caller's transaction rolls
        # back the case it opened only if we raise, so answer with the winner instead.
        existing = Episode.objects.filter(reported_by=actor, idempotency_key=key).first() if key else None
        if existing is None:
            raise Conflict(f"{child.full_name} is already missing in an open episode.") from None
        raise Conflict("This report was already made (same idempotency key).") from None
    # M-16: a child with exploitation flags prompts an exploitation review on every new episode.
    prompt = rules.exploitation_prompt(episode, flags)
    if prompt:
        episode.exploitation_prompt = prompt
        _save(episode, "exploitation_prompt")
    _event(episode, actor, f"Reported missing by {values['informant_name']}; last seen {values['last_seen_where']}.")
    _log(actor, episode, Operation.COLLECTION, {"step": "report"})
    # M-01: the first risk assessment is due at once; M-09: PNC circulation.
    dl.create(
        actor=actor,
        case=case,
        kind=dl.REVIEW,
        what="Grade the risk (first risk assessment)",
        due_at=now + timedelta(minutes=30),
        key=_key(episode, "review"),
        responsible=actor,
    )
    dl.create(
        actor=actor,
        case=case,
        kind=dl.PNC,
        what="Circulate the child on the PNC",
        due_at=now + policy_value(policy.PNC_CIRCULATION),
        key=_key(episode, "pnc"),
        responsible=actor,
    )
    repeat_missing_check(actor=actor, child=child)  # M-14 belongs to haven.triggerplans
    return episode


# --- Risk assessment (M-01..M-09) ---------------------------------------------------------------


@dataclass
class Source:
    """One information source of a risk assessment (M-02)."""

    information: str
    provider_name: str
    provider_contact: str
    obtained_at: datetime | None


@transaction.atomic
def risk_assess(
    *,
    actor: User,
    episode: Episode,
    grade: str,
    rationale: str,
    sources: list[Source],
    next_review_due: datetime | None = None,
    agreed_actions: str = "",
    floor_override_reason: str = "",
    cra_decision: str = "",
    cra_reason: str = "",
) -> RiskAssessment:
    """Grade (or re-grade) the risk. Append-only (M-03): a new assessment, never an edit."""
    _require_perm(actor, Perm.MISSING_RISK_GRADE, "grade the risk")
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="grade the risk")
    p = _Problems()
    # M-01: the grade comes from the active vocabulary.
    p.choice("grade", grade, RiskGrade, "the risk grade")
    rationale = p.text({"rationale": rationale}, "rationale", "the rationale for the grade")
    agreed_actions = p.text({"a": agreed_actions}, "a", "", required=False)
    override = (floor_override_reason or "").strip()
    # M-02: at least one source, each complete.
    cleaned: list[Source] = []
    for index, source in enumerate(sources):
        blank = not any([source.information.strip(), source.provider_name.strip(), source.provider_contact.strip()])
        if blank and source.obtained_at is None:
            continue
        prefix = f"sources-{index}"
        if not source.information.strip():
            p.add(f"{prefix}-information", f"Enter the information given (source {index + 1})")
        if not source.provider_name.strip():
            p.add(f"{prefix}-provider_name", f"Enter who gave the information (source {index + 1})")
        if not source.provider_contact.strip():
            p.add(f"{prefix}-provider_contact", f"Enter how to contact who gave it (source {index + 1})")
        p.past(f"{prefix}-obtained_at", source.obtained_at, f"when the information was obtained (source {index + 1})")
        cleaned.append(source)
    if not cleaned:
        p.add("sources", "Record at least one information source: what was said, by whom, their contact and when")
    if grade in RiskGrade.values:
        # M-05: very low needs actions agreed with the informant and a latest review time.
        if grade == RiskGrade.VERY_LOW:
            if not agreed_actions:
                p.add("agreed_actions", "Enter the actions agreed with the person reporting (very low risk)")
            if next_review_due is None:
                p.add("next_review_due", "Enter the latest review time (very low risk)")
        if next_review_due is not None and next_review_due <= clock.now():
            p.add("next_review_due", "The next review must be in the future")
        # M-06: a child below the force's floor needs a supervisor's override with a reason.
        if rules.below_child_floor(episode.child, grade):
            floor = RiskGrade(policy_value(policy.CHILD_GRADE_FLOOR)).label.lower()
            if not actor.has_perm(Perm.MISSING_RISK_OVERRIDE):
                p.add("grade", f"A child is graded {floor} or above unless a supervisor overrides it")
            elif not override:
                p.add("floor_override_reason", f"Give the reason for grading a child below {floor}")
        # M-08: a child at medium or high risk needs a recorded Child Rescue Alert consideration.
        if rules.needs_cra(episode.child, grade) and not episode.cra_decision:
            if cra_decision not in CraDecision.values:
                p.add("cra_decision", "Record the Child Rescue Alert consideration (medium or high risk child)")
            elif not (cra_reason or "").strip():
                p.add("cra_reason", "Give the reason for the Child Rescue Alert decision")
    p.raise_if_any("The risk assessment cannot be saved yet.")

    now = clock.now()
    due = next_review_due or now + policy.review_interval(grade)
    below_floor = rules.below_child_floor(episode.child, grade)
    previous = episode.grade
    assessment = RiskAssessment.objects.create(
        episode=episode,
        grade=grade,
        vocabulary_version=RISK_VOCABULARY_VERSION,
        rationale=rationale,
        assessed_by=actor,
        assessed_by_role=rules.role_of(actor),
        assessed_at=now,
        next_review_due=due,
        agreed_actions=agreed_actions,
        floor_override_by=actor if below_floor else None,
        floor_override_reason=override if below_floor else "",
    )
    InformationSource.objects.bulk_create(
        InformationSource(
            assessment=assessment,
            information=s.information.strip(),
            provider_name=s.provider_name.strip()[:200],
            provider_contact=s.provider_contact.strip()[:200],
            obtained_at=cast(datetime, s.obtained_at),
        )
        for s in cleaned
    )
    episode.grade = grade
    episode.next_review_due = due
    episode.state = EpisodeState.OPEN
    fields = ["grade", "next_review_due", "state"]
    if cra_decision in CraDecision.values and not episode.cra_decision:
        episode.cra_decision, episode.cra_reason, episode.cra_by, episode.cra_at = (
            cra_decision,
            cra_reason.strip(),
            actor,
            now,
        )
        fields += ["cra_decision", "cra_reason", "cra_by", "cra_at"]
    _save(episode, *fields)
    verb = "Risk graded" if not previous else f"Risk re-graded from {RiskGrade(previous).label.lower()}"
    _event(episode, actor, f"{verb} {assessment.get_grade_display().lower()} by {actor.rank_and_name}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "risk_assess", "grade": grade})
    # M-04: the next review is a deadline.
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.REVIEW,
        what=f"Review the risk ({assessment.get_grade_display().lower()})",
        due_at=due,
        key=_key(episode, "review"),
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
    if deadline_named(case_id=episode.case_id, key=_key(episode, "activity")).exists():
        return
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.ACTIVITY,
        what="Action an enquiry (no meaningful activity yet)",
        due_at=clock.now() + policy_value(policy.NO_MEANINGFUL_ACTIVITY),
        key=_key(episode, "activity"),
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
            key=_key(episode, f"high:{obligation.value}"),
            responsible=_responsible(episode),
        )


@transaction.atomic
def obligation_record(
    *,
    actor: User,
    episode: Episode,
    obligation: str,
    at: datetime | None = None,
    officer: User | None = None,
    note: str = "",
) -> Episode:
    """Record a high-risk obligation (M-07) or the PNC circulation (M-09), meeting its deadline."""
    _require_perm(actor, Perm.MISSING_EPISODE_VIEW, "work on missing episodes")
    episode = _lock(actor, episode)
    p = _Problems()
    p.choice("obligation", obligation, Obligation, "what you are recording")
    at = at or clock.now()
    p.past("at", at, "when it was done")
    note = p.text({"note": note}, "note", "the media strategy decision", required=obligation == Obligation.MEDIA)
    if obligation in (Obligation.SENIOR_MANAGER, Obligation.INVESTIGATING_OFFICER) and officer is None:
        p.add("officer", "Enter the username of the officer")
    p.raise_if_any()
    ob = Obligation(obligation)
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
        episode.media_strategy, episode.media_strategy_at = note, at
        fields = ["media_strategy", "media_strategy_at"]
    _save(episode, *fields)
    who = f" ({officer.rank_and_name})" if officer is not None else ""
    _event(episode, actor, f"{ob.label}{who} recorded by {actor.rank_and_name}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "obligation", "obligation": ob.value})
    key = _key(episode, "pnc" if ob == Obligation.PNC else f"high:{ob.value}")
    dl.meet(actor=actor, case=episode.case, key=key, how=ob.label)
    return episode


@transaction.atomic
def cra_record(*, actor: User, episode: Episode, decision: str, reason: str) -> Episode:
    """M-08: record the Child Rescue Alert consideration."""
    _require_perm(actor, Perm.MISSING_RISK_GRADE, "record the Child Rescue Alert decision")
    episode = _lock(actor, episode)
    p = _Problems()
    p.choice("cra_decision", decision, CraDecision, "the Child Rescue Alert decision")
    reason = p.text({"cra_reason": reason}, "cra_reason", "the reason for the decision")
    p.raise_if_any()
    episode.cra_decision, episode.cra_reason, episode.cra_by, episode.cra_at = decision, reason, actor, clock.now()
    _save(episode, "cra_decision", "cra_reason", "cra_by", "cra_at")
    _event(episode, actor, f"Child Rescue Alert: {episode.get_cra_decision_display().lower()}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "cra", "decision": decision})
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


def _enquiry_key(enquiry: Enquiry) -> str:
    return f"enquiry:{enquiry.public_id}"


@transaction.atomic
def enquiry_raise(
    *,
    actor: User,
    episode: Episode,
    type: str,  # noqa: A002 - the vocabulary's name
    description: str,
    due_at: datetime | None = None,
    priority: str = EnquiryPriority.ROUTINE,
    allocated_to: User | None = None,
    from_plan: bool = False,
) -> Enquiry:
    """Raise an enquiry on an open episode; its due time becomes a deadline (escalates when overdue)."""
    _require_perm(actor, Perm.MISSING_ENQUIRY_RECORD, "raise enquiries")
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="raise enquiries")
    p = _Problems()
    p.choice("type", type, EnquiryType, "the type of enquiry")
    p.choice("priority", priority, EnquiryPriority, "the priority")
    description = p.text({"description": description}, "description", "what the enquiry is")
    now = clock.now()
    due_at = due_at or now + policy_value(policy.ENQUIRY_DUE_DEFAULT)
    if due_at <= now:
        p.add("due_at", "The due time must be in the future")
    if allocated_to is not None and (
        not allocated_to.is_active or not allocated_to.has_perm(Perm.MISSING_ENQUIRY_RECORD)
    ):
        p.add("allocated_to", "This person cannot be given missing-person enquiries")
    p.raise_if_any()
    enquiry = Enquiry.objects.create(
        episode=episode,
        type=type,
        description=description,
        priority=priority,
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
        what=f"Enquiry: {enquiry.get_type_display()}",
        due_at=due_at,
        key=_enquiry_key(enquiry),
        responsible=allocated_to or _responsible(episode),
    )
    return enquiry


@transaction.atomic
def enquiry_allocate(*, actor: User, enquiry: Enquiry, to_user: User) -> Enquiry:
    _require_perm(actor, Perm.MISSING_ENQUIRY_RECORD, "allocate enquiries")
    episode, enquiry = _enquiry_lock(actor, enquiry)
    if not enquiry.is_open:
        raise Conflict("This enquiry is finished.")
    if not rules.may_take_enquiries(to_user):
        raise _fail("allocated_to", "This person cannot be given missing-person enquiries")
    enquiry.allocated_to = to_user
    enquiry.status = EnquiryStatus.ALLOCATED
    enquiry.save(update_fields=["allocated_to", "status"])
    _event(episode, actor, f"Enquiry {enquiry.get_type_display()} allocated to {to_user.rank_and_name}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "enquiry_allocate", "enquiry": str(enquiry.public_id)})
    dl.cancel(actor=actor, case=episode.case, key=_enquiry_key(enquiry), reason="Reallocated")
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.ENQUIRY,
        what=f"Enquiry: {enquiry.get_type_display()}",
        due_at=max(enquiry.due_at, clock.now() + timedelta(minutes=15)),
        key=_enquiry_key(enquiry),
        responsible=to_user,
    )
    return enquiry


@transaction.atomic
def enquiry_complete(*, actor: User, enquiry: Enquiry, result: str) -> Enquiry:
    """Record an enquiry's result: the allocated officer or anyone who may edit the case."""
    _require_perm(actor, Perm.MISSING_ENQUIRY_RECORD, "record enquiry results")
    episode, enquiry = _enquiry_lock(actor, enquiry, allow_allocated=True)
    if not enquiry.is_open:
        raise Conflict("This enquiry is already finished.")
    result = _Problems().text({"result": result}, "result", "the result") if result else ""
    if not result:
        raise _fail("result", "Enter the result of the enquiry")
    now = clock.now()
    enquiry.status, enquiry.result, enquiry.completed_by, enquiry.completed_at = (
        EnquiryStatus.COMPLETED,
        result,
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
        dl.meet(actor=actor, case=episode.case, key=_key(episode, "pnc"), how="Circulated (enquiry)")
    _event(episode, actor, f"Enquiry {enquiry.get_type_display()} completed by {actor.rank_and_name}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "enquiry_complete", "enquiry": str(enquiry.public_id)})
    dl.meet(actor=actor, case=episode.case, key=_enquiry_key(enquiry), how="Result recorded")
    dl.meet(actor=actor, case=episode.case, key=_key(episode, "activity"), how="An enquiry was actioned")
    return enquiry


@transaction.atomic
def enquiry_cancel(*, actor: User, enquiry: Enquiry, reason: str) -> Enquiry:
    _require_perm(actor, Perm.MISSING_ENQUIRY_RECORD, "cancel enquiries")
    episode, enquiry = _enquiry_lock(actor, enquiry)
    if not enquiry.is_open:
        raise Conflict("This enquiry is already finished.")
    reason = (reason or "").strip()
    if not reason:
        raise _fail("reason", "Enter why the enquiry is cancelled")
    enquiry.status, enquiry.cancel_reason = EnquiryStatus.CANCELLED, reason[:TEXT_MAX]
    enquiry.save(update_fields=["status", "cancel_reason"])
    _event(episode, actor, f"Enquiry {enquiry.get_type_display()} cancelled: {reason}")
    _log(actor, episode, Operation.ALTERATION, {"step": "enquiry_cancel", "enquiry": str(enquiry.public_id)})
    dl.cancel(actor=actor, case=episode.case, key=_enquiry_key(enquiry), reason=reason)
    return enquiry


@transaction.atomic
def plan_actions_raise(*, actor: User, episode: Episode, indexes: list[int]) -> list[Enquiry]:
    """Offer the child's trigger-plan actions as enquiries in one click (M-15 hand-off)."""
    from haven.missing.selectors import trigger_plan_actions

    actions = trigger_plan_actions(user=actor, child=episode.child)
    chosen = [actions[i] for i in indexes if 0 <= i < len(actions)]
    if not chosen:
        raise _fail("actions", "Choose at least one trigger-plan action")
    raised = []
    for action in chosen:
        kind = action.enquiry_type if action.enquiry_type in EnquiryType.values else EnquiryType.OTHER
        raised.append(
            enquiry_raise(
                actor=actor,
                episode=episode,
                type=kind,
                description=action.text,
                priority=EnquiryPriority.URGENT,
                from_plan=True,
            )
        )
    return raised


# --- Supervision --------------------------------------------------------------------------------


@transaction.atomic
def review_record(
    *,
    actor: User,
    episode: Episode,
    decision: str,
    grade_confirmed: bool = True,
    next_review_due: datetime | None = None,
) -> SupervisorReview:
    """A supervisor's review (domain §2.4): decision and next review (M-04)."""
    _require_perm(actor, Perm.MISSING_SUPERVISION_RECORD, "record supervisor reviews")
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="review it")
    if not episode.grade:
        raise Conflict("Grade the risk before reviewing it (M-01).", fields={"grade": ["No risk grade yet."]})
    p = _Problems()
    decision = p.text({"decision": decision}, "decision", "your decision and direction")
    now = clock.now()
    due = next_review_due or now + policy.review_interval(episode.grade)
    if due <= now:
        p.add("next_review_due", "The next review must be in the future")
    p.raise_if_any()
    review = SupervisorReview.objects.create(
        episode=episode,
        reviewer=actor,
        reviewer_role=rules.role_of(actor),
        reviewed_at=now,
        grade_confirmed=grade_confirmed,
        decision=decision,
        next_review_due=due,
    )
    episode.next_review_due = due
    _save(episode, "next_review_due")
    confirmed = "grade confirmed" if grade_confirmed else "grade to be reassessed"
    _event(episode, actor, f"Supervisor review by {actor.rank_and_name} ({confirmed}).")
    _log(actor, episode, Operation.ALTERATION, {"step": "review"})
    dl.meet(actor=actor, case=episode.case, key=_key(episode, "review"), how="Reviewed")
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.REVIEW,
        what="Review the risk",
        due_at=due,
        key=_key(episode, "review"),
        responsible=_responsible(episode),
    )
    return review


# --- Found --------------------------------------------------------------------------------------


def _end_missing_deadlines(actor: User, episode: Episode, reason: str) -> None:
    keys = ["review", "pnc", "activity", *(f"high:{o.value}" for o in Obligation if o != Obligation.PNC)]
    for what in keys:
        dl.cancel(actor=actor, case=episode.case, key=_key(episode, what), reason=reason)


@transaction.atomic
def episode_found(
    *,
    actor: User,
    episode: Episode,
    found_at: datetime | None,
    found_where: str,
    found_where_code: str,
    found_by: str,
    condition: str,
    far_from_home: bool = False,
    with_adults_of_concern: bool = False,
    rhi_authority: str = "",
    rhi_recipient: str = "",
    rhi_channel: str = "secure e-mail",
) -> Episode:
    """The child is found. Starts the prevention interview deadline (M-11) and, for a child, sends the
    return home interview notification to the responsible authority (M-12): a logged disclosure."""
    _require_perm(actor, Perm.MISSING_EPISODE_VIEW, "record that a child is found")
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="record that the child is found")
    p = _Problems()
    p.past("found_at", found_at, "when the child was found")
    if found_at is not None and found_at < episode.last_seen_at:
        p.add("found_at", "The child cannot be found before they were last seen")
    found_where = p.text({"found_where": found_where}, "found_where", "where the child was found", limit=LINE_MAX)
    p.choice("found_where_code", found_where_code, WhereFound, "the kind of place")
    found_by = p.text({"found_by": found_by}, "found_by", "who found the child", limit=200)
    condition = p.text({"condition": condition}, "condition", "the child's condition (injuries, intoxication)")
    child = rules.is_child(episode.child)
    rhi_authority = (rhi_authority or episode.responsible_authority or "").strip()
    rhi_recipient = (rhi_recipient or "").strip()
    if child:
        # M-12: the return home interview notification goes to the responsible authority.
        if not rhi_authority:
            p.add("rhi_authority", "Enter the local authority responsible for the return home interview")
        if not rhi_recipient:
            p.add("rhi_recipient", "Enter who at the authority is told (team or secure e-mail address)")
    p.raise_if_any()
    assert found_at is not None
    episode.found_at, episode.found_where, episode.found_where_code = found_at, found_where, found_where_code
    episode.found_by, episode.found_condition = found_by, condition
    episode.found_far_from_home = bool(far_from_home) or found_where_code == WhereFound.OUT_OF_AREA
    episode.found_with_adults_of_concern = (
        bool(with_adults_of_concern) or found_where_code == WhereFound.ADULT_OF_CONCERN
    )
    episode.state = EpisodeState.FOUND
    fields = ["found_at", "found_where", "found_where_code", "found_by", "found_condition"]
    fields += ["found_far_from_home", "found_with_adults_of_concern", "state"]
    # M-16: found far from home or with adults of concern prompts an exploitation review.
    prompt = rules.exploitation_prompt(episode, rules.child_flags(episode.child))
    if prompt and prompt != episode.exploitation_prompt:
        episode.exploitation_prompt = prompt
        fields.append("exploitation_prompt")
    _save(episode, *fields)
    _event(episode, actor, f"Found at {found_where} by {found_by}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "found"})
    _end_missing_deadlines(actor, episode, "Child found")
    for enquiry in episode.enquiries.filter(status__in=OPEN_ENQUIRY_STATUSES):
        enquiry.status, enquiry.cancel_reason = EnquiryStatus.CANCELLED, "Child found"
        enquiry.save(update_fields=["status", "cancel_reason"])
        dl.cancel(actor=actor, case=episode.case, key=_enquiry_key(enquiry), reason="Child found")
    within = policy_value(
        policy.PREVENTION_WITHIN_HIGH if episode.grade == RiskGrade.HIGH else policy.PREVENTION_WITHIN
    )
    dl.create(
        actor=actor,
        case=episode.case,
        kind=dl.PREVENTION,
        what="Prevention interview (safe and well check)",
        due_at=max(found_at, clock.now()) + within,
        key=_key(episode, "prevention"),
        responsible=_responsible(episode),
    )
    if child:
        _rhi_request(actor, episode, authority=rhi_authority, recipient=rhi_recipient, channel=rhi_channel)
    return episode


def _rhi_request(actor: User, episode: Episode, *, authority: str, recipient: str, channel: str) -> ReturnHomeInterview:
    """M-12: notify the responsible authority (a disclosure, logged with the recipient) and track the RHI."""
    assert episode.found_at is not None
    now = clock.now()
    rhi = ReturnHomeInterview.objects.create(
        episode=episode,
        authority=authority[:200],
        recipient=recipient[:254],
        channel=(channel or "secure e-mail")[:32],
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
        key=_key(episode, "rhi"),
        responsible=_responsible(episode),
    )
    return rhi


@transaction.atomic
def rhi_update(
    *,
    actor: User,
    episode: Episode,
    status: str,
    offered_at: datetime | None = None,
    completed_at: datetime | None = None,
    interviewer: str = "",
    reason: str = "",
    themes: str = "",
) -> ReturnHomeInterview:
    """M-12: record the return home interview as offered, completed, declined or not done (+ reason)."""
    _require_perm(actor, Perm.MISSING_EPISODE_VIEW, "record return home interviews")
    episode = _lock(actor, episode)
    rhi = ReturnHomeInterview.objects.select_for_update().filter(episode=episode).first()
    if rhi is None:
        raise Conflict("No return home interview was requested for this episode.")
    p = _Problems()
    p.choice("status", status, RhiStatus, "what happened to the return home interview")
    reason = p.text({"reason": reason}, "reason", "why", required=status in (RhiStatus.DECLINED, RhiStatus.NOT_DONE))
    themes = p.text({"themes": themes}, "themes", "", required=False)
    interviewer = p.text({"interviewer": interviewer}, "interviewer", "", limit=200, required=False)
    now = clock.now()
    if status == RhiStatus.OFFERED:
        offered_at = offered_at or now
        p.past("offered_at", offered_at, "when it was offered")
    if status == RhiStatus.COMPLETED:
        completed_at = completed_at or now
        p.past("completed_at", completed_at, "when it was done")
        if not interviewer:
            p.add("interviewer", "Enter who did the interview")
    p.raise_if_any()
    rhi.status = status
    if offered_at is not None:
        rhi.offered_at = offered_at
    if completed_at is not None:
        rhi.completed_at = completed_at
    rhi.interviewer, rhi.reason, rhi.themes, rhi.recorded_by = (
        interviewer or rhi.interviewer,
        reason,
        themes or rhi.themes,
        actor,
    )
    rhi.save()
    _event(episode, actor, f"Return home interview: {rhi.get_status_display().lower()}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "rhi_update", "status": status})
    if status in RHI_ENDED:
        dl.meet(actor=actor, case=episode.case, key=_key(episode, "rhi"), how=rhi.get_status_display())
    return rhi


@transaction.atomic
def prevention_interview_record(
    *,
    actor: User,
    episode: Episode,
    done_at: datetime | None,
    mode: str,
    why_went: str = "",
    what_happened: str = "",
    harm_or_crime: str = "",
    with_whom: str = "",
    safeguarding_referrals: str = "",
) -> PreventionInterview:
    """M-11: the prevention interview / safe and well check, after the child is found."""
    _require_perm(actor, Perm.MISSING_EPISODE_VIEW, "record prevention interviews")
    episode = _lock(actor, episode)
    _require_state(episode, EpisodeState.FOUND, doing="record a prevention interview")
    if PreventionInterview.objects.filter(episode=episode).exists():
        raise Conflict("A prevention interview is already recorded for this episode.")
    p = _Problems()
    p.past("done_at", done_at, "when the interview was done")
    if done_at is not None and episode.found_at and done_at < episode.found_at:
        p.add("done_at", "The interview cannot be before the child was found")
    p.choice("mode", mode, InterviewMode, "how the interview was done")
    data = {
        "why_went": why_went,
        "what_happened": what_happened,
        "harm_or_crime": harm_or_crime,
        "with_whom": with_whom,
        "safeguarding_referrals": safeguarding_referrals,
    }
    values = {
        "why_went": p.text(data, "why_went", "why the child went missing"),
        "what_happened": p.text(data, "what_happened", "what happened while they were away"),
        "harm_or_crime": p.text(data, "harm_or_crime", "", required=False),
        "with_whom": p.text(data, "with_whom", "", required=False),
        "safeguarding_referrals": p.text(data, "safeguarding_referrals", "", required=False),
    }
    p.raise_if_any()
    assert done_at is not None
    interview = PreventionInterview.objects.create(episode=episode, done_at=done_at, done_by=actor, mode=mode, **values)
    _event(episode, actor, f"Prevention interview ({interview.get_mode_display().lower()}) by {actor.rank_and_name}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "prevention_interview"})
    dl.meet(actor=actor, case=episode.case, key=_key(episode, "prevention"), how="Interview recorded")
    return interview


@transaction.atomic
def prevention_waive(*, actor: User, episode: Episode, reason: str) -> Episode:
    """M-11: a supervisor approves why no prevention interview was possible."""
    _require_perm(actor, Perm.MISSING_SUPERVISION_RECORD, "approve closing without a prevention interview")
    episode = _lock(actor, episode)
    _require_state(episode, EpisodeState.FOUND, doing="waive the prevention interview")
    reason = (reason or "").strip()
    if not reason:
        raise _fail("reason", "Enter why no prevention interview was possible")
    episode.prevention_waived_reason, episode.prevention_waived_by, episode.prevention_waived_at = (
        reason[:TEXT_MAX],
        actor,
        clock.now(),
    )
    _save(episode, "prevention_waived_reason", "prevention_waived_by", "prevention_waived_at")
    _event(episode, actor, f"Prevention interview waived by {actor.rank_and_name}: {reason}")
    _log(actor, episode, Operation.ALTERATION, {"step": "prevention_waive"})
    dl.cancel(actor=actor, case=episode.case, key=_key(episode, "prevention"), reason=reason)
    return episode


@transaction.atomic
def exploitation_record(*, actor: User, episode: Episode, outcome: str, note: str) -> Episode:
    """M-16: what was done about the exploitation review prompt."""
    _require_perm(actor, Perm.MISSING_EPISODE_VIEW, "record the exploitation review")
    episode = _lock(actor, episode)
    p = _Problems()
    p.choice("outcome", outcome, ExploitationOutcome, "what was done")
    note = p.text({"note": note}, "note", "the reasoning")
    p.raise_if_any()
    episode.exploitation_outcome, episode.exploitation_note = outcome, note
    episode.exploitation_by, episode.exploitation_at = actor, clock.now()
    _save(episode, "exploitation_outcome", "exploitation_note", "exploitation_by", "exploitation_at")
    _event(episode, actor, f"Exploitation prompt: {episode.get_exploitation_outcome_display().lower()}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "exploitation", "outcome": outcome})
    return episode


# --- Ending -------------------------------------------------------------------------------------


def _close_case(actor: User, episode: Episode, reason: str) -> None:
    from haven.cases.services import case_close

    episode.case.refresh_from_db(fields=["state"])
    if episode.case.state == CaseState.OPEN:
        case_close(actor=actor, case=episode.case, reason=reason)


@transaction.atomic
def episode_close(*, actor: User, episode: Episode, reason_missing: str, reason: str) -> Episode:
    """A supervisor closes the episode (and its case). M-11: refused until the prevention interview is
    recorded or a supervisor waived it with a reason."""
    _require_perm(actor, Perm.MISSING_SUPERVISION_RECORD, "close missing episodes")
    episode = _lock(actor, episode)
    _require_state(episode, EpisodeState.FOUND, doing="close it")
    p = _Problems()
    p.choice("reason_missing", reason_missing, ReasonMissing, "the reason the child went missing")
    reason = p.text({"reason": reason}, "reason", "the closing summary", limit=2000)
    for problem in rules.close_blockers(episode):
        p.add("episode", problem)
    p.raise_if_any("The episode cannot be closed yet.")
    now = clock.now()
    episode.reason_missing, episode.state, episode.ended_at, episode.ended_by, episode.end_reason = (
        reason_missing,
        EpisodeState.CLOSED,
        now,
        actor,
        reason,
    )
    _save(episode, "reason_missing", "state", "ended_at", "ended_by", "end_reason")
    _log(actor, episode, Operation.ALTERATION, {"step": "close", "reason_missing": reason_missing})
    _close_case(actor, episode, reason)
    return episode


def _end(actor: User, episode: Episode, state: str, reason: str, **fields: Any) -> Episode:
    now = clock.now()
    episode.state, episode.ended_at, episode.ended_by, episode.end_reason = state, now, actor, reason
    for name, value in fields.items():
        setattr(episode, name, value)
    _save(episode, "state", "ended_at", "ended_by", "end_reason", *fields)
    _end_missing_deadlines(actor, episode, reason)
    for enquiry in episode.enquiries.filter(status__in=OPEN_ENQUIRY_STATUSES):
        enquiry.status, enquiry.cancel_reason = EnquiryStatus.CANCELLED, reason[:TEXT_MAX]
        enquiry.save(update_fields=["status", "cancel_reason"])
        dl.cancel(actor=actor, case=episode.case, key=_enquiry_key(enquiry), reason=reason)
    return episode


@transaction.atomic
def episode_cancel(*, actor: User, episode: Episode, reason: str) -> Episode:
    """Not missing after all: ends the episode with a reason and closes its case."""
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="cancel it")
    reason = (reason or "").strip()
    if not reason:
        raise _fail("reason", "Enter why the child is not missing after all")
    _end(actor, episode, EpisodeState.CANCELLED, reason[:2000])
    _event(episode, actor, f"Cancelled (not missing) by {actor.rank_and_name}: {reason}")
    _log(actor, episode, Operation.ALTERATION, {"step": "cancel"})
    _close_case(actor, episode, f"Not missing: {reason}"[:2000])
    return episode


@transaction.atomic
def episode_escalate(*, actor: User, episode: Episode, crime_reference: str, reason: str) -> Episode:
    """The episode becomes a crime investigation (abduction, homicide…): the missing episode ends."""
    _require_perm(actor, Perm.MISSING_SUPERVISION_RECORD, "escalate an episode to a crime investigation")
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, EpisodeState.FOUND, doing="escalate it")
    p = _Problems()
    crime_reference = p.text({"crime_reference": crime_reference}, "crime_reference", "the crime reference", limit=64)
    reason = p.text({"reason": reason}, "reason", "the reason", limit=2000)
    p.raise_if_any()
    _end(actor, episode, EpisodeState.ESCALATED, reason, crime_reference=crime_reference)
    _event(episode, actor, f"Escalated to crime investigation {crime_reference}: {reason}")
    _log(actor, episode, Operation.ALTERATION, {"step": "escalate", "crime_reference": crime_reference})
    dl.cancel(actor=actor, case=episode.case, key=_key(episode, "prevention"), reason="Escalated to crime")
    _close_case(actor, episode, f"Escalated to crime investigation {crime_reference}: {reason}"[:2000])
    return episode


@transaction.atomic
def episode_found_deceased(
    *, actor: User, episode: Episode, found_at: datetime | None, found_where: str, reason: str
) -> Episode:
    """The child was found deceased. No prevention or return home interview follows."""
    _require_perm(actor, Perm.MISSING_SUPERVISION_RECORD, "record that a child was found deceased")
    episode = _lock(actor, episode)
    _require_state(episode, *ACTIVE_STATES, doing="record this")
    p = _Problems()
    p.past("found_at", found_at, "when the child was found")
    found_where = p.text({"found_where": found_where}, "found_where", "where", limit=LINE_MAX)
    reason = p.text({"reason": reason}, "reason", "the circumstances", limit=2000)
    p.raise_if_any()
    _end(actor, episode, EpisodeState.DECEASED, reason, found_at=found_at, found_where=found_where)
    _event(episode, actor, f"Found deceased at {found_where}.")
    _log(actor, episode, Operation.ALTERATION, {"step": "deceased"})
    _close_case(actor, episode, f"Found deceased: {reason}"[:2000])
    return episode


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
