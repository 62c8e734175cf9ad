"""Writes to child concern referrals: the officer's draft and its submission (S-01), the CRSU's
allocation, research (DP-06), rating, review (S-02) and share decision (S-04) through the training gate
(T-01), and strategy discussions (S-03).

Each service takes ``(*, actor, <target>, data)``, checks what the input model cannot (state, who may,
the numbered rules), writes, and leaves its s62 row in the same transaction. A submitted referral's
words never change (the database refuses it too): corrections and every later step are new rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from haven.accounts.models import Team
from haven.accounts.selectors import user_by_reference
from haven.audit.choices import Operation
from haven.cases import services as cases_services
from haven.cases.choices import CaseKind
from haven.cases.selectors import case_get
from haven.core import clock
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.core.permissions import Perm
from haven.missing.selectors import episode_get
from haven.partners import services as partners
from haven.partners.choices import Field, ItemKind
from haven.partners.selectors import agency_by_id
from haven.people.selectors import person_get
from haven.policy.selectors import policy_value
from haven.referrals import deadlines, policy, rules, s62, selectors
from haven.referrals.choices import (
    Decision,
    EntryKind,
    LawfulBasis,
    OfficerGrade,
    PersonRole,
    Rag,
    ReferralState,
    StrategyOutcome,
)
from haven.referrals.models import (
    ChildConcernReferral,
    DecisionApproval,
    ReferralCounter,
    ReferralEntry,
    ReferralPerson,
    ResearchNote,
    Share,
    ShareDecision,
    StrategyDiscussion,
)
from haven.referrals.schemas import (
    AllocateIn,
    ApproveIn,
    CorrectionIn,
    DecideIn,
    PersonAddIn,
    RateIn,
    ReferralDraftIn,
    ReferralStartIn,
    ReferralSubmitIn,
    ResearchNoteIn,
    ReviewIn,
    StrategyIn,
)
from haven.workforce.choices import Activity, Answer
from haven.workforce.selectors import may

if TYPE_CHECKING:
    from datetime import datetime

    from haven.accounts.models import User
    from haven.cases.models import Case

ICPC_WORKING_DAYS = 15  # S-03: an initial child protection conference within 15 working days


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def reference_next() -> str:
    """The next referral reference, ``CCR-2026-00012``; the year's counter row stays locked to the end of
    the caller's transaction, so two referrals never share a number."""
    year = timezone.localtime(clock.now()).year
    table = connection.ops.quote_name(ReferralCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "  # noqa: S608 - the table name is ours
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        (number,) = cursor.fetchone()
    return f"CCR-{year}-{number:05d}"


def _entry(referral: ChildConcernReferral, kind: EntryKind, author: User | None, text: str) -> ReferralEntry:
    return ReferralEntry.objects.create(referral=referral, kind=kind, author=author, at=clock.now(), text=text)


def _locked(referral: ChildConcernReferral) -> ChildConcernReferral:
    """The referral's row, locked for the write (two CRSU officers deciding at once queue)."""
    locked = ChildConcernReferral.objects.select_for_update().get(pk=referral.pk)
    for name in ("state", "allocated_to_id", "rag", "share_by", "reviewed_at", "decided_at", "shared_at", "case_id"):
        setattr(referral, name, getattr(locked, name))
    return referral


# --- The officer's draft --------------------------------------------------------------------------


@transaction.atomic
def referral_required(*, case: Case, due: datetime, why: str) -> None:
    """Another record (police protection, a child kept in custody after charge) requires a child concern
    referral about ``case``'s child by ``due``: a deadline for the case's owner, escalating, met when a
    referral linked to the case is sent to the CRSU (raised from the case page, it is linked)."""
    deadlines.raise_required(case=case, due=due, why=why)


@transaction.atomic
def referral_start(*, actor: User, data: ReferralStartIn) -> ChildConcernReferral:
    """Start a draft about a child, from a case, a missing episode (its case) or on its own."""
    try:
        child = person_get(user=actor, public_id=data.child, log=False)
    except NotFound:
        raise _fail("child", "There is no person with this Haven id that you can see") from None
    case = None
    episode = None
    if data.episode is not None:
        try:
            episode = episode_get(user=actor, public_id=data.episode, log=False)
        except NotFound:
            raise _fail("episode", "There is no missing episode with this Haven id that you can see") from None
        case = episode.case
    elif data.case is not None:
        try:
            case = case_get(user=actor, public_id=data.case, log=False)
        except NotFound:
            raise _fail("case", "There is no case with this Haven id that you can see") from None
    referral = ChildConcernReferral.objects.create(
        reference=reference_next(), raised_by=actor, team=actor.team, case=case, episode=episode
    )
    if episode is not None:
        referral.categories = ["missing"]
        referral.save(update_fields=["categories"])
    ReferralPerson.objects.create(referral=referral, person=child, role=PersonRole.CHILD)
    s62.record(actor=actor, referral=referral, operation=Operation.COLLECTION, detail={"step": "start"})
    return referral


def _draft(actor: User, referral: ChildConcernReferral) -> ChildConcernReferral:
    referral = _locked(referral)
    if referral.raised_by_id != actor.pk:
        raise NotFound("Not found.")
    if referral.state != ReferralState.DRAFT:
        raise Conflict("This referral has been submitted: add a correction instead of changing it.")
    return referral


@transaction.atomic
def referral_update(*, actor: User, referral: ChildConcernReferral, data: ReferralDraftIn) -> ChildConcernReferral:
    """Save the draft (any part of it may still be missing)."""
    referral = _draft(actor, referral)
    values = data.model_dump()
    values["officer_grade"] = values["officer_grade"] or ""
    values["categories"] = [str(c) for c in values["categories"]]
    for name, value in values.items():
        setattr(referral, name, value)
    referral.save()
    s62.record(actor=actor, referral=referral, operation=Operation.ALTERATION, detail={"step": "draft saved"})
    return referral


@transaction.atomic
def person_add(*, actor: User, referral: ChildConcernReferral, data: PersonAddIn) -> ChildConcernReferral:
    """Add a child, household member or alleged perpetrator from the register to the draft."""
    referral = _draft(actor, referral)
    try:
        person = person_get(user=actor, public_id=data.person, log=False)
    except NotFound:
        raise _fail("person", "There is no person with this Haven id that you can see") from None
    _, made = ReferralPerson.objects.get_or_create(referral=referral, person=person, role=data.role)
    if not made:
        raise Conflict(f"{person.full_name} is already on the referral as {PersonRole(data.role).label.lower()}.")
    s62.record(
        actor=actor,
        referral=referral,
        operation=Operation.COMBINATION,
        detail={"step": "person added", "role": data.role},
    )
    return referral


@transaction.atomic
def person_remove(*, actor: User, referral: ChildConcernReferral, data: PersonAddIn) -> ChildConcernReferral:
    referral = _draft(actor, referral)
    s62.record(
        actor=actor,
        referral=referral,
        operation=Operation.ALTERATION,
        detail={"step": "person removed", "role": data.role},
    )
    deleted, _ = ReferralPerson.objects.filter(
        referral=referral, person__public_id=data.person, role=data.role
    ).delete()
    if not deleted:
        raise NotFound("Not found.")
    return referral


def _crsu_team(actor: User) -> Team | None:
    return Team.objects.filter(code=policy.CRSU_TEAM_CODE).first() or actor.team


@transaction.atomic
def referral_submit(*, actor: User, referral: ChildConcernReferral, data: ReferralSubmitIn) -> ChildConcernReferral:
    """Send the draft to the CRSU. S-01: not without the voice of the child. It starts the supervisor's
    review deadline and the share deadline (S-02); a referral raised on its own opens a case about the
    child, where its deadlines are kept."""
    referral = _draft(actor, referral)
    children = selectors.people_of(referral, PersonRole.CHILD)
    problems = rules.submission_problems(referral, len(children))
    if problems:
        raise ValidationFailed("The referral cannot be sent to the CRSU yet.", fields=problems)
    now = clock.now()
    if referral.case is None:
        referral.case = cases_services.case_open(
            actor=actor,
            subject=children[0].person,
            kind=CaseKind.REFERRAL,
            summary=f"Child concern referral {referral.reference}",
        )
    referral.state, referral.submitted_at = ReferralState.SUBMITTED, now
    referral.share_by = selectors.share_target(now, "")
    referral.save()
    _entry(referral, EntryKind.SUBMITTED, actor, f"Submitted to the CRSU by {actor.rank_and_name}.")
    deadlines.raised(referral=referral, actor=actor)
    team = _crsu_team(actor)
    if team is not None:
        deadlines.start(
            referral=referral,
            team=team,
            review_due=now + policy_value(policy.REVIEW_WITHIN),
            share_due=referral.share_by,
            hard_due=now + policy_value(policy.SHARE_HARD_ALERT),
        )
    s62.record(actor=actor, referral=referral, operation=Operation.COLLECTION, detail={"step": "submitted"})
    return referral


def _submitted(referral: ChildConcernReferral) -> ChildConcernReferral:
    referral = _locked(referral)
    if referral.state == ReferralState.DRAFT:
        raise Conflict("This referral is still a draft.")
    return referral


@transaction.atomic
def referral_correct(*, actor: User, referral: ChildConcernReferral, data: CorrectionIn) -> ReferralEntry:
    """A correction to a submitted referral: a new entry; what was submitted stays as it was."""
    referral = _submitted(referral)
    if referral.raised_by_id != actor.pk and not actor.has_perm(Perm.REFERRALS_REFERRAL_REVIEW):
        raise NotFound("Not found.")
    entry = _entry(referral, EntryKind.CORRECTION, actor, data.text)
    s62.record(actor=actor, referral=referral, operation=Operation.ALTERATION, detail={"step": "correction"})
    return entry


# --- The CRSU -------------------------------------------------------------------------------------------


def _open(referral: ChildConcernReferral) -> ChildConcernReferral:
    referral = _submitted(referral)
    if referral.state != ReferralState.SUBMITTED:
        raise Conflict(f"This referral is already {ReferralState(referral.state).label.lower()}.")
    return referral


def _may_share(user: User) -> bool:
    return user.has_perm(Perm.REFERRALS_REFERRAL_SHARE)


@transaction.atomic
def referral_allocate(*, actor: User, referral: ChildConcernReferral, data: AllocateIn) -> ChildConcernReferral:
    """Give the referral to a CRSU officer (or take it)."""
    referral = _open(referral)
    officer = user_by_reference(data.officer, field="officer", eligible=_may_share)
    referral.allocated_to, referral.allocated_at = officer, clock.now()
    referral.save(update_fields=["allocated_to", "allocated_at"])
    _entry(referral, EntryKind.ALLOCATED, actor, f"Allocated to {officer.rank_and_name} by {actor.rank_and_name}.")
    s62.record(
        actor=actor,
        referral=referral,
        operation=Operation.ALTERATION,
        detail={"step": "allocated", "officer": officer.username},
    )
    return referral


@transaction.atomic
def research_add(*, actor: User, referral: ChildConcernReferral, data: ResearchNoteIn) -> ResearchNote:
    """What the CRSU found in other systems. Restricted (DP-06): written only by one with need-to-know."""
    referral = _submitted(referral)
    if not selectors.research_need(actor, referral) and referral.allocated_to_id != actor.pk:
        raise NotFound("Not found.")
    note = ResearchNote.objects.create(
        referral=referral, author=actor, at=clock.now(), source=data.source, text=data.text
    )
    s62.record(
        actor=actor,
        referral=referral,
        operation=Operation.COLLECTION,
        detail={"step": "research", "restricted": True},
    )
    return note


@transaction.atomic
def referral_rate(*, actor: User, referral: ChildConcernReferral, data: RateIn) -> ChildConcernReferral:
    """The CRSU's red, amber or green rating; the share deadline moves to the colour's time target."""
    referral = _open(referral)
    assert referral.submitted_at is not None
    referral.rag = data.rag
    referral.share_by = selectors.share_target(referral.submitted_at, data.rag)
    referral.save(update_fields=["rag", "share_by"])
    words = f"Rated {Rag(data.rag).label.lower()} by {actor.rank_and_name}"
    _entry(referral, EntryKind.RATED, actor, f"{words}: {data.reason}" if data.reason else f"{words}.")
    deadlines.reschedule_share(referral=referral, due=referral.share_by, reason=f"Rated {data.rag}")
    s62.record(
        actor=actor, referral=referral, operation=Operation.ALTERATION, detail={"step": "rated", "rag": data.rag}
    )
    return referral


@transaction.atomic
def referral_review(*, actor: User, referral: ChildConcernReferral, data: ReviewIn) -> ChildConcernReferral:
    """S-02: a supervisor's review (not the raising officer's own), with any change of grade."""
    referral = _submitted(referral)
    if referral.raised_by_id == actor.pk:
        raise Conflict("Another supervisor must review a referral you raised.")
    first = referral.reviewed_at is None
    if first:
        referral.reviewed_at = clock.now()
        referral.save(update_fields=["reviewed_at"])
    text = f"Reviewed by {actor.rank_and_name}: {data.note}"
    if data.grade and data.grade != referral.officer_grade:
        text += f" Risk regraded {OfficerGrade(data.grade).label.lower()}."
    _entry(referral, EntryKind.REVIEWED, actor, text)
    if first:
        deadlines.met(referral=referral, actor=actor, what="review", how="Reviewed")
    s62.record(actor=actor, referral=referral, operation=Operation.ALTERATION, detail={"step": "reviewed"})
    return referral


@transaction.atomic
def referral_decide(*, actor: User, referral: ChildConcernReferral, data: DecideIn) -> ShareDecision:
    """S-04: share or not, with the lawful basis and reason. T-01 (the gate): an officer allowed only
    with approval prepares it and it waits for a signed-off colleague; one refused cannot make it."""
    referral = _open(referral)
    gate = may(actor, Activity.CRSU_SHARE_INFORMATION)
    if gate.answer == Answer.REFUSED:
        raise Conflict(f"Your training record does not yet allow you to decide this: {gate.reason}")
    needs_approval = gate.answer == Answer.WITH_APPROVAL
    agency = None
    if data.decision == Decision.SHARE:
        try:
            agency = agency_by_id(data.agency)
        except NotFound:
            raise _fail("agency", "Choose a partner agency from the list") from None
    decision = ShareDecision.objects.create(
        referral=referral,
        decided_by=actor,
        at=clock.now(),
        decision=data.decision,
        lawful_basis=data.lawful_basis,
        reason=data.reason,
        agency=agency.name if agency is not None else "",
        agency_id=agency.public_id if agency is not None else None,
        include_restricted=data.include_restricted and data.decision == Decision.SHARE,
        needs_approval=needs_approval,
        gate_reason=gate.reason,
    )
    words = Decision(data.decision).label
    text = f"{words}{f' ({agency.name})' if agency is not None else ''}, decided by {actor.rank_and_name}."
    if needs_approval:
        text += " Waiting for a signed-off colleague's approval."
    _entry(referral, EntryKind.DECIDED, actor, text)
    s62.record(
        actor=actor,
        referral=referral,
        operation=Operation.ALTERATION,
        detail={
            "step": "decided",
            "decision": data.decision,
            "lawful_basis": data.lawful_basis,
            "approval": needs_approval,
        },
    )
    if needs_approval:
        referral.state = ReferralState.AWAITING_APPROVAL
        referral.save(update_fields=["state"])
    else:
        _finalise(actor, referral, decision)
    return decision


@transaction.atomic
def decision_approve(*, actor: User, referral: ChildConcernReferral, data: ApproveIn) -> ShareDecision:
    """A colleague signed off for the work approves a trainee's decision; it then takes effect."""
    referral = _submitted(referral)
    decision = selectors.pending_decision(referral)
    if decision is None:
        raise Conflict("There is no decision waiting for approval on this referral.")
    if decision.decided_by_id == actor.pk:
        raise Conflict("Another officer must approve your decision.")
    gate = may(actor, Activity.CRSU_SHARE_INFORMATION)
    if gate.answer != Answer.ALONE:
        raise Conflict(f"Only a colleague signed off to share information can approve this: {gate.reason}")
    DecisionApproval.objects.create(decision=decision, approved_by=actor, at=clock.now(), note=data.note)
    text = f"Decision approved by {actor.rank_and_name}."
    _entry(referral, EntryKind.APPROVED, actor, f"{text} {data.note}".strip())
    s62.record(actor=actor, referral=referral, operation=Operation.ALTERATION, detail={"step": "approved"})
    _finalise(actor, referral, decision)
    return decision


def _finalise(actor: User, referral: ChildConcernReferral, decision: ShareDecision) -> None:
    now = clock.now()
    referral.decided_at = now
    if decision.decision == Decision.SHARE:
        share_with_partner(actor=actor, referral=referral, decision=decision)
        referral.state, referral.shared_at = ReferralState.SHARED, now
        how = f"Shared with {decision.agency}"
    else:
        referral.state = ReferralState.NOT_SHARED
        how = "Decided not to share"
    referral.save(update_fields=["state", "decided_at", "shared_at"])
    for what in ("share", "share-hard"):
        deadlines.met(referral=referral, actor=actor, what=what, how=how)


def _person_line(person: Any) -> str:
    born = f", born {person.date_of_birth:%-d %B %Y}" if person.date_of_birth else ""
    return f"{person.full_name}{born}"


def projection(referral: ChildConcernReferral) -> dict[str, Any]:
    """Everything a partner agency could receive (haven.partners keeps only the agency's own fields, and
    the restricted research only when the decision says so)."""
    people = list(referral.people.select_related("person"))
    voice = [
        f"Seen: {'yes' if referral.child_seen else 'no'}. Spoken to: {'yes' if referral.child_spoken_to else 'no'}."
    ]
    for words, said in (
        ("What the child said", referral.child_words),
        ("Behaviour and demeanour", referral.child_demeanour),
        ("Why not seen or spoken to", referral.child_not_seen_reason),
    ):
        if said:
            voice.append(f"{words}: {said}")
    perpetrators = [_person_line(link.person) for link in people if link.role == PersonRole.PERPETRATOR]
    if referral.perpetrator_description:
        perpetrators.append(referral.perpetrator_description)
    return {
        Field.CHILDREN: [_person_line(link.person) for link in people if link.role == PersonRole.CHILD],
        Field.HOUSEHOLD: [_person_line(link.person) for link in people if link.role == PersonRole.HOUSEHOLD],
        Field.ALLEGED_PERPETRATOR: perpetrators,
        Field.CONCERNS: referral.category_labels(),
        Field.NARRATIVE: referral.narrative,
        Field.VOICE_OF_CHILD: voice,
        Field.RISK: OfficerGrade(referral.officer_grade).label if referral.officer_grade else "",
        Field.IMMEDIATE_ACTIONS: referral.immediate_actions,
        Field.RESEARCH: [f"{n.source}: {n.text}" for n in referral.research.all()],
        Field.OFFICER: f"{referral.raised_by.rank_and_name}, referral {referral.reference}",
    }


def _summary(referral: ChildConcernReferral) -> str:
    children = [link.person for link in referral.people.all() if link.role == PersonRole.CHILD]
    if not children:
        return referral.reference
    first = children[0]
    age = f", {first.age}" if getattr(first, "age", None) is not None else ""
    more = f" and {len(children) - 1} more" if len(children) > 1 else ""
    return f"{first.full_name}{age}{more}"


def share_with_partner(*, actor: User, referral: ChildConcernReferral, decision: ShareDecision) -> Share:
    """Send the referral to the agency the decision names through the partner portal
    (``haven.partners.services.share``: the agency's projection, an e-mail naming nobody, the s62
    disclosure naming the agency, the acknowledgement deadline), and keep what went and its id here."""
    assert referral.case is not None
    assert decision.agency_id is not None
    agency = agency_by_id(decision.agency_id)
    item = partners.share(
        actor=actor,
        agency=agency,
        kind=ItemKind.REFERRAL,
        reference=referral.reference,
        subject_summary=_summary(referral),
        projection=projection(referral),
        restricted=decision.include_restricted,
        case=referral.case,
        lawful_basis=LawfulBasis(decision.lawful_basis).label,
        justification=decision.reason,
        person_ids=[link.person.public_id for link in referral.people.all()],
    )
    share = Share.objects.create(
        referral=referral,
        decision=decision,
        agency=agency.name,
        at=clock.now(),
        by=actor,
        projection=item.projection,
        partner_reference=str(item.public_id),
    )
    _entry(referral, EntryKind.SHARED, actor, f"Shared with {agency.name} through the partner portal.")
    return share


# --- Strategy discussions -------------------------------------------------------------------------------


@transaction.atomic
def strategy_record(*, actor: User, data: StrategyIn) -> StrategyDiscussion:
    """S-03: record a strategy discussion; where it leads to a child protection conference, the date it
    is due (15 working days on, the local authority's) is shown for information."""
    if data.held_on > timezone.localdate(clock.now()):
        raise _fail("held_on", "The date of the discussion must be today or in the past")
    referrals = []
    for public_id in data.referrals:
        try:
            referrals.append(selectors.referral_get(user=actor, public_id=public_id, log=False))
        except NotFound:
            raise _fail("referrals", "There is no referral with this Haven id that you can see") from None
    case = None
    if data.case is not None:
        try:
            case = case_get(user=actor, public_id=data.case, log=False)
        except NotFound:
            raise _fail("case", "There is no case with this Haven id that you can see") from None
    icpc = data.icpc or False
    discussion = StrategyDiscussion.objects.create(
        held_on=data.held_on,
        attendees=data.attendees,
        agencies=data.agencies,
        outcome=data.outcome,
        decision=data.decision,
        icpc=icpc,
        icpc_due=clock.working_days_after(data.held_on, ICPC_WORKING_DAYS) if icpc else None,
        recorded_by=actor,
        case=case,
    )
    discussion.referrals.set(referrals)
    outcome = StrategyOutcome(data.outcome).label
    for referral in referrals:
        _entry(referral, EntryKind.STRATEGY, actor, f"Strategy discussion on {data.held_on:%d %B %Y}: {outcome}.")
        s62.record(actor=actor, referral=referral, operation=Operation.COLLECTION, detail={"step": "strategy"})
    if not referrals:
        s62.record_case(actor=actor, case=case, detail={"step": "strategy"})
    return discussion
