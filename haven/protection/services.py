"""Writes to police protection: the start (with its clocks: PP-01, PP-02, PP-05, PP-09, and the referral
children's services need), the designated officer (PP-03, PP-04 through the workforce gate), where the
child is kept (PP-07), the notifications (PP-05, PP-06), the designated officer's inquiry, contact
decisions, emergency protection order applications, the strategy discussion (PP-09) and the end (PP-08).

Each service takes ``(*, actor, <target>, data)``, checks what the input model cannot, writes, and leaves
its s62 row in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from haven.accounts.selectors import user_by_reference
from haven.audit.choices import Operation
from haven.cases import services as cases_services
from haven.cases.choices import CaseKind
from haven.core import clock
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.people.selectors import person_get
from haven.policy.selectors import policy_value
from haven.protection import deadlines, policy, rules, s62, selectors
from haven.protection.choices import Accommodation, EpoOutcome, Item, Outcome
from haven.protection.models import LIMIT, Contact, EpoApplication, Notification, PoliceProtection
from haven.protection.schemas import (
    ProtectionAccommodationIn,
    ProtectionAppointIn,
    ProtectionContactIn,
    ProtectionEndIn,
    ProtectionEpoDecisionIn,
    ProtectionEpoIn,
    ProtectionInquiryIn,
    ProtectionNotificationIn,
    ProtectionStartIn,
    ProtectionStrategyLinkIn,
)
from haven.referrals.selectors import strategy_get
from haven.referrals.services import referral_required

if TYPE_CHECKING:
    from haven.accounts.models import User


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _locked(protection: PoliceProtection) -> PoliceProtection:
    """The row, locked for the write (two officers recording at once queue), with what may have changed."""
    locked = PoliceProtection.objects.select_for_update().get(pk=protection.pk)
    for name in (
        "designated_officer_id",
        "designated_at",
        "accommodation",
        "accommodation_address",
        "station_justification",
        "accommodation_by_id",
        "inquiry_summary",
        "inquiry_at",
        "strategy_discussion_id",
        "ended_at",
        "outcome",
    ):
        setattr(protection, name, getattr(locked, name))
    return protection


def _open(protection: PoliceProtection) -> PoliceProtection:
    protection = _locked(protection)
    if protection.ended_at is not None:
        raise Conflict("This police protection has ended.")
    return protection


def _event(protection: PoliceProtection, actor: User, text: str) -> None:
    cases_services.case_event_record(case=protection.case, author=actor, text=text)


# --- The designated officer (PP-03, PP-04) --------------------------------------------------------------


def _designated(reference: str, initiating: User) -> User:
    officer = user_by_reference(reference, field="designated_officer")
    problem = selectors.designated_officer_problem(officer, initiating)
    if problem:
        raise _fail("designated_officer", problem)
    return officer


# --- The start ---------------------------------------------------------------------------------------


@transaction.atomic
def protection_start(*, actor: User, data: ProtectionStartIn) -> PoliceProtection:
    """A constable used the s46 power. Opens the case (kind police protection) and starts its clocks: the
    72 hours (PP-01) with their escalations (PP-02), the notifications (PP-05), the strategy discussion
    (PP-09), and the child concern referral children's services need."""
    now = clock.now()
    if data.started_at + LIMIT <= now:
        raise _fail("started_at", "Police protection started more than 72 hours ago has already ended")
    try:
        child = person_get(user=actor, public_id=data.child, log=False)
    except NotFound:
        raise _fail("child", "There is no person with this Haven id that you can see") from None
    if getattr(child, "is_adult", False):
        raise _fail("child", f"{child.full_name} is not a child: police protection is for children under 18")
    officer = _designated(data.designated_officer, actor)
    case = cases_services.case_open(
        actor=actor, subject=child, kind=CaseKind.PROTECTION, summary=f"Police protection of {child.full_name}"
    )
    protection = PoliceProtection.objects.create(
        case=case,
        child=child,
        power=data.power,
        grounds=data.grounds,
        started_at=data.started_at,
        place=data.place,
        expires_at=data.started_at + LIMIT,
        initiating_officer=actor,
        designated_officer=officer,
        designated_at=now,
    )
    _event(
        protection,
        actor,
        f"Police protection started by {actor.rank_and_name}; designated officer {officer.rank_and_name}.",
    )
    deadlines.clock_start(protection=protection)
    notify_by = data.started_at + policy_value(policy.NOTIFY_WITHIN)
    deadlines.inquiry_due(protection=protection, due=notify_by)
    deadlines.owner_due(
        protection=protection,
        kind=deadlines.NOTIFICATIONS,
        key=deadlines.KEY_NOTIFICATIONS,
        due=notify_by,
        what="Tell the local authorities and the child, find out the child's wishes, start the inquiry",
    )
    deadlines.owner_due(
        protection=protection,
        kind=deadlines.STRATEGY,
        key=deadlines.KEY_STRATEGY,
        due=data.started_at + policy_value(policy.STRATEGY_WITHIN),
        what="Hold a strategy discussion with children's services",
    )
    referral_required(
        case=case,
        due=data.started_at + policy_value(policy.REFERRAL_WITHIN),
        why=f"{child.full_name} was taken into police protection",
    )
    s62.record(
        actor=actor,
        protection=protection,
        operation=Operation.COLLECTION,
        detail={"step": "started", "power": data.power, "designated_officer": officer.username},
    )
    return protection


@transaction.atomic
def designated_officer_appoint(
    *, actor: User, protection: PoliceProtection, data: ProtectionAppointIn
) -> PoliceProtection:
    """A new designated officer (a handover between shifts): the 72-hour clock's alerts become theirs."""
    protection = _open(protection)
    officer = _designated(data.designated_officer, protection.initiating_officer)
    if officer.pk == protection.designated_officer_id:
        raise _fail("designated_officer", f"{officer.rank_and_name} is already the designated officer")
    before = protection.designated_officer
    protection.designated_officer, protection.designated_at = officer, clock.now()
    protection.save(update_fields=["designated_officer", "designated_at", "updated_at"])
    started = (
        protection.inquiry_at is not None
        or Notification.objects.filter(protection=protection, item=Item.INQUIRY).exists()
    )
    due = protection.started_at + policy_value(policy.NOTIFY_WITHIN)
    deadlines.clock_move(protection=protection, actor=actor, inquiry_due_at=None if started else due)
    _event(
        protection,
        actor,
        f"Designated officer {officer.rank_and_name} (was {before.rank_and_name}), appointed by {actor.rank_and_name}.",
    )
    s62.record(
        actor=actor,
        protection=protection,
        operation=Operation.ALTERATION,
        detail={"step": "designated officer", "designated_officer": officer.username},
    )
    return protection


# --- Where the child is kept (PP-07) -------------------------------------------------------------------


@transaction.atomic
def accommodation_record(
    *, actor: User, protection: PoliceProtection, data: ProtectionAccommodationIn
) -> PoliceProtection:
    """Where the child is kept. A police station only with the exceptional circumstances, and the
    supervisor is alerted (PP-07); a refuge's address is stored and withheld (DP-06)."""
    protection = _open(protection)
    problem = rules.pp07_station_problem(data.accommodation, data.station_justification)
    if problem:
        raise _fail("station_justification", problem)
    station = data.accommodation == Accommodation.POLICE_STATION
    protection.accommodation = data.accommodation
    protection.accommodation_address = data.address
    protection.station_justification = data.station_justification if station else ""
    protection.accommodation_by, protection.accommodation_at = actor, clock.now()
    protection.save(
        update_fields=[
            "accommodation",
            "accommodation_address",
            "station_justification",
            "accommodation_by",
            "accommodation_at",
            "updated_at",
        ]
    )
    label = Accommodation(data.accommodation).label
    if station:
        deadlines.owner_due(
            protection=protection,
            kind=deadlines.STATION,
            key=deadlines.KEY_STATION,
            due=clock.now(),
            what=f"A child in police protection is kept at a police station: {data.station_justification[:200]}",
        )
        label = "Police station"
    else:
        deadlines.met(protection=protection, actor=actor, key=deadlines.KEY_STATION, how=f"Moved: {label}")
    _event(protection, actor, f"Where the child is kept: {label.lower()}, recorded by {actor.rank_and_name}.")
    s62.record(
        actor=actor,
        protection=protection,
        operation=Operation.ALTERATION,
        detail={"step": "accommodation", "accommodation": data.accommodation, "restricted": protection.is_refuge},
    )
    return protection


# --- Notifications (PP-05, PP-06) ---------------------------------------------------------------------


@transaction.atomic
def notification_record(*, actor: User, protection: PoliceProtection, data: ProtectionNotificationIn) -> Notification:
    """One notification (when, by the actor, to whom), or why it was not done where the law allows. When
    every s46(3) item is recorded, the notifications deadline is met (PP-05)."""
    protection = _open(protection)
    if data.at < protection.started_at:
        raise _fail("at", "The time cannot be before police protection started")
    if data.item == Item.INQUIRY and actor.pk != protection.designated_officer_id:
        raise Conflict("Only the designated officer records that their inquiry has started.")
    note = Notification.objects.create(
        protection=protection,
        item=data.item,
        done=data.done,
        at=data.at,
        by=actor,
        to_whom=data.to_whom if data.done else "",
        reason="" if data.done else data.reason,
        note=data.note,
        recorded_at=clock.now(),
    )
    if data.item == Item.INQUIRY:
        deadlines.met(protection=protection, actor=actor, key=deadlines.KEY_INQUIRY, how="Inquiry started")
    _after_notification(protection, actor)
    s62.record(
        actor=actor,
        protection=protection,
        operation=Operation.COLLECTION,
        detail={"step": "notification", "item": data.item, "done": data.done},
    )
    return note


def _after_notification(protection: PoliceProtection, actor: User) -> None:
    notes = list(Notification.objects.filter(protection=protection))
    if not rules.pp05_missing(notes):
        deadlines.met(
            protection=protection, actor=actor, key=deadlines.KEY_NOTIFICATIONS, how="Every notification recorded"
        )


# --- The designated officer's inquiry, contact, EPO ---------------------------------------------------


def _designated_only(actor: User, protection: PoliceProtection) -> None:
    if actor.pk != protection.designated_officer_id:
        raise Conflict(f"Only the designated officer ({protection.designated_officer.rank_and_name}) can record this.")


@transaction.atomic
def inquiry_record(*, actor: User, protection: PoliceProtection, data: ProtectionInquiryIn) -> PoliceProtection:
    """The designated officer's inquiry (s46(3)(e)); the first one also ticks "inquiry started" (PP-05)."""
    protection = _open(protection)
    _designated_only(actor, protection)
    now = clock.now()
    first = protection.inquiry_at is None
    protection.inquiry_summary, protection.inquiry_at = data.summary, now
    protection.save(update_fields=["inquiry_summary", "inquiry_at", "updated_at"])
    if first and not Notification.objects.filter(protection=protection, item=Item.INQUIRY).exists():
        Notification.objects.create(
            protection=protection,
            item=Item.INQUIRY,
            at=now,
            by=actor,
            to_whom="Designated officer's inquiry",
            recorded_at=now,
        )
        _after_notification(protection, actor)
    deadlines.met(protection=protection, actor=actor, key=deadlines.KEY_INQUIRY, how="Inquiry recorded")
    _event(protection, actor, f"Inquiry recorded by the designated officer, {actor.rank_and_name}.")
    s62.record(actor=actor, protection=protection, operation=Operation.COLLECTION, detail={"step": "inquiry"})
    return protection


@transaction.atomic
def contact_record(*, actor: User, protection: PoliceProtection, data: ProtectionContactIn) -> Contact:
    """s46(10): the designated officer's decision on someone's contact with the child."""
    protection = _open(protection)
    _designated_only(actor, protection)
    contact = Contact.objects.create(
        protection=protection, person=data.person, decision=data.decision, reason=data.reason, by=actor, at=clock.now()
    )
    s62.record(
        actor=actor,
        protection=protection,
        operation=Operation.COLLECTION,
        detail={"step": "contact", "decision": data.decision},
    )
    return contact


@transaction.atomic
def epo_record(*, actor: User, protection: PoliceProtection, data: ProtectionEpoIn) -> EpoApplication:
    """An emergency protection order application: by the local authority, or by the designated officer on
    its behalf (s46(7)); the court and the time. Waiting for the court until its decision is recorded."""
    protection = _locked(protection)
    if data.applied_at < protection.started_at:
        raise _fail("applied_at", "The application cannot be before police protection started")
    epo = EpoApplication.objects.create(
        protection=protection,
        applicant=data.applicant,
        court=data.court,
        applied_at=data.applied_at,
        recorded_by=actor,
    )
    _event(
        protection,
        actor,
        f"Emergency protection order application to {data.court} recorded by {actor.rank_and_name}.",
    )
    s62.record(
        actor=actor,
        protection=protection,
        operation=Operation.COLLECTION,
        detail={"step": "epo", "applicant": data.applicant},
    )
    return epo


@transaction.atomic
def epo_decide(*, actor: User, protection: PoliceProtection, data: ProtectionEpoDecisionIn) -> EpoApplication:
    """The court's decision on an application (once: a decision recorded stands)."""
    protection = _locked(protection)
    epo = EpoApplication.objects.select_for_update().filter(protection=protection, public_id=data.application).first()
    if epo is None:
        raise _fail("application", "There is no such application on this police protection")
    if epo.outcome != EpoOutcome.PENDING:
        raise Conflict("The court's decision on this application is already recorded.")
    if data.decided_at < epo.applied_at:
        raise _fail("decided_at", "The court's decision cannot be before the application")
    epo.outcome, epo.outcome_at = data.outcome, data.decided_at
    epo.save(update_fields=["outcome", "outcome_at", "updated_at"])
    _event(
        protection,
        actor,
        f"Emergency protection order {EpoOutcome(data.outcome).label.lower()} by {epo.court}, recorded by "
        f"{actor.rank_and_name}.",
    )
    s62.record(
        actor=actor,
        protection=protection,
        operation=Operation.ALTERATION,
        detail={"step": "epo decision", "outcome": data.outcome},
    )
    return epo


@transaction.atomic
def strategy_link(*, actor: User, protection: PoliceProtection, data: ProtectionStrategyLinkIn) -> PoliceProtection:
    """PP-09: the strategy discussion about the child (recorded with the referrals), linked; it meets the
    strategy discussion deadline."""
    protection = _locked(protection)
    try:
        discussion = strategy_get(user=actor, public_id=data.discussion, log=False)
    except NotFound:
        raise _fail("discussion", "There is no strategy discussion with this Haven id that you can see") from None
    protection.strategy_discussion = discussion
    protection.save(update_fields=["strategy_discussion", "updated_at"])
    deadlines.met(
        protection=protection,
        actor=actor,
        key=deadlines.KEY_STRATEGY,
        how=f"Strategy discussion on {discussion.held_on:%-d %B %Y}",
    )
    s62.record(actor=actor, protection=protection, operation=Operation.COMBINATION, detail={"step": "strategy"})
    return protection


# --- The end (PP-01, PP-06, PP-08) ------------------------------------------------------------------------


@transaction.atomic
def protection_end(*, actor: User, protection: PoliceProtection, data: ProtectionEndIn) -> PoliceProtection:
    """The designated officer ends police protection: no later than 72 hours from the start (PP-01), with the
    parents told or why not (PP-06), an outcome and their recorded decision (PP-08). An EPO granted needs
    the application recorded as granted."""
    protection = _open(protection)
    _designated_only(actor, protection)
    problem = rules.pp01_end_problem(protection, data.ended_at, clock.now())
    if problem:
        raise _fail("ended_at", problem)
    notes = list(Notification.objects.filter(protection=protection))
    problem = rules.pp06_problem(notes)
    if problem:
        raise ValidationFailed(problem, fields={"__all__": [problem]})
    missing = rules.pp05_missing(notes)
    if missing:
        words = "; ".join(item.label.lower() for item in missing)
        message = f"Record every notification before police protection ends: {words}"
        raise ValidationFailed(message, fields={"__all__": [message]})
    if data.outcome == Outcome.EPO_GRANTED and not protection.epos.filter(outcome=EpoOutcome.GRANTED).exists():
        raise _fail("outcome", "Record the emergency protection order application and its outcome first")
    protection.ended_at = data.ended_at
    protection.outcome = data.outcome
    protection.outcome_reason = data.outcome_reason if data.outcome == Outcome.OTHER else ""
    protection.decision = data.decision
    protection.ended_by = actor
    protection.save(update_fields=["ended_at", "outcome", "outcome_reason", "decision", "ended_by", "updated_at"])
    deadlines.ended(protection=protection, actor=actor)
    _event(
        protection,
        actor,
        f"Police protection ended ({Outcome(data.outcome).label.lower()}) by the designated officer, "
        f"{actor.rank_and_name}.",
    )
    s62.record(
        actor=actor,
        protection=protection,
        operation=Operation.ALTERATION,
        detail={"step": "ended", "outcome": data.outcome},
    )
    return protection
