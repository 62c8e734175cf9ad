"""Writes to a child's detention: booking in (C-01), the appropriate adult (C-02) and welfare notice,
cells (C-11), interviews (C-03), PACE reviews (C-04) and extensions (C-05), charge and bail, and after
charge the local authority accommodation request (C-06, C-09) or the s38(6) certificate (C-06..C-08).

Each service takes ``(*, actor, [detention,] data)``, refuses what the numbered rules forbid, writes in
one transaction with its s62 row, and keeps the clocks (the deadline engine) in step. An event the
custody system sends with an idempotency key is done once: the same key and body again answer with the
record as it is; the same key with another body is refused (Conflict, 409) and nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.accounts.selectors import user_by_reference
from haven.audit.choices import Operation
from haven.cases.choices import CaseKind
from haven.cases.services import case_open
from haven.core import clock
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.custody import deadlines, policy, rules, s62
from haven.custody.choices import (
    IN_CUSTODY,
    BailDecision,
    DetentionOutcome,
    DetentionState,
    ExtensionKind,
    LaResponse,
)
from haven.custody.models import Certificate, Detention, EventKey, Extension, Interview, Review
from haven.people.selectors import person_get
from haven.policy.selectors import policy_value
from haven.referrals.services import referral_required
from haven.workforce.choices import Activity, Answer
from haven.workforce.selectors import may

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.custody.schemas import (
        AppropriateAdultIn,
        CustodyCellIn,
        CustodyChargeIn,
        CustodyEvent,
        CustodyInterviewIn,
        CustodyWelfareIn,
        DetentionEndIn,
        DetentionExtensionIn,
        DetentionRecordIn,
        LaRequestIn,
        LaResponseIn,
        PaceReviewIn,
        S38CertificateIn,
        S38CertificateReviewIn,
    )

INSPECTOR_SENIORITY = 30  # INSP / DI (accounts.services.DEFAULT_RANKS)
SUPERINTENDENT_SENIORITY = 50  # SUPT / DSUPT
FUTURE_SLACK = timedelta(minutes=5)  # a custody system's clock a little ahead is not an error

KEY_REVIEW = "custody:review"
KEY_REVIEW_ALERT = "custody:review-alert"
KEY_LIMIT = "custody:limit"
KEY_TRANSFER = "custody:transfer"
KEY_COURT = "custody:court"
KEY_CERTIFICATE = "custody:certificate"

KEY_REUSED = "This idempotency key was already used for a different event: use a new key for a new event"


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _seniority(user: User) -> int:
    return user.rank.seniority if user.rank is not None else 0


def _officer(username: str, *, field: str, seniority: int, rank_words: str) -> User:
    try:
        officer = user_by_reference(username, field=field)
    except ValidationFailed:
        raise _fail(field, "There is no active officer with this username") from None
    if _seniority(officer) < seniority:
        raise _fail(field, f"This officer must be of {rank_words} rank or above")
    return officer


def _gate(actor: User) -> None:
    """The workforce gate (T-01): only a qualified custody officer acts as one."""
    decision = may(actor, Activity.CUSTODY)
    if decision.answer == Answer.REFUSED:
        raise Forbidden(f"You are not cleared to act as custody officer: {decision.reason}")


def _not_future(value: datetime | None, field: str) -> None:
    if value is not None and value > clock.now() + FUTURE_SLACK:
        raise _fail(field, "This time cannot be in the future")


# --- Idempotent events -------------------------------------------------------------------------------


def _fingerprint(name: str, data: CustodyEvent, detention: Detention | None) -> str:
    body = data.model_dump(mode="json", exclude={"idempotency_key"})
    text = json.dumps([name, str(detention.public_id) if detention else None, body], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _replayed(actor: User, name: str, data: CustodyEvent, detention: Detention | None) -> Detention | None:
    """The detention a retry of this event (same key, same body) already made or changed; Conflict for
    the same key with another body; None for a new event."""
    key = data.idempotency_key
    if key is None:
        return None
    found = EventKey.objects.filter(actor=actor, key=key).select_related("detention").first()
    if found is None:
        return None
    if found.operation != name or found.fingerprint != _fingerprint(name, data, detention):
        raise Conflict(KEY_REUSED + ".", fields={"idempotency_key": [KEY_REUSED]})
    found.detention.replayed = True  # type: ignore[attr-defined]
    return found.detention


def _remember(actor: User, name: str, data: CustodyEvent, detention: Detention) -> None:
    key = data.idempotency_key
    if key is None:
        return
    try:
        with transaction.atomic():
            EventKey.objects.create(
                actor=actor,
                key=key,
                operation=name,
                fingerprint=_fingerprint(name, data, detention if name != "record" else None),
                detention=detention,
                at=clock.now(),
            )
    except IntegrityError:
        # Another request with the same key won the race: refuse this one whole (the caller rolls back).
        raise Conflict(KEY_REUSED + ".", fields={"idempotency_key": [KEY_REUSED]}) from None


def _locked(detention: Detention) -> Detention:
    """The detention's row, locked for the write (two events at once queue), as it now is."""
    locked = Detention.objects.select_for_update().select_related("case", "child").get(pk=detention.pk)
    locked.replayed = False  # type: ignore[attr-defined]
    return locked


def _in_custody(detention: Detention) -> None:
    if detention.state not in IN_CUSTODY:
        raise Conflict("This child is no longer in custody: the record is closed.")


def _before_charge(detention: Detention) -> None:
    if detention.state != DetentionState.DETAINED:
        raise Conflict("This child has already been charged or released.")


def _charged_kept(detention: Detention) -> None:
    if detention.state != DetentionState.CHARGED:
        raise Conflict("This applies only to a child charged and refused bail who is still in custody.")


def _log(actor: User, detention: Detention, what: str, **detail: Any) -> None:
    s62.record(actor=actor, detention=detention, operation=Operation.COLLECTION, detail={"write": what, **detail})


def _save(detention: Detention, *fields: str) -> None:
    detention.save(update_fields=list(fields))


# --- Booking in (C-01, C-02, C-04, C-05) ---------------------------------------------------------------


def detention_record(*, actor: User, data: DetentionRecordIn) -> Detention:
    """Record a child detained in custody: opens a custody case (owned by the custody officer) and its
    detention, and starts its review and time-limit clocks."""
    _gate(actor)
    existing = _replayed(actor, "record", data, None)
    if existing is not None:
        return existing
    try:
        child = person_get(user=actor, public_id=data.child, log=False)
    except NotFound:
        raise _fail("child", "There is no person with this id that you can see") from None
    return _record(actor, child, data)


@transaction.atomic
def _record(actor: User, child: Any, data: DetentionRecordIn) -> Detention:
    relevant_time = data.relevant_time or data.arrested_at
    authorised_at = data.authorised_at or data.arrested_at
    is_juvenile, basis = rules.juvenile(
        date_of_birth=child.date_of_birth,
        appears_under_18=data.appears_under_18,
        clear_evidence_over_18=data.clear_evidence_over_18,
        at=data.arrested_at,
    )
    if not is_juvenile:  # C-01
        raise _fail(
            "appears_under_18",
            "Haven records children only: their date of birth shows 18 or over, or they do not appear to be under 18",
        )
    if data.aa_requested_at is None:  # C-02
        raise _fail("aa_requested_at", "Enter the time the appropriate adult was requested")
    for name in ("arrested_at", "relevant_time", "authorised_at", "aa_requested_at"):
        _not_future(getattr(data, name), name)
    if authorised_at < data.arrested_at:
        raise _fail("authorised_at", "Detention cannot be authorised before the arrest")
    if relevant_time < data.arrested_at:
        raise _fail("relevant_time", "The relevant time cannot be before the arrest")
    if Detention.objects.filter(custody_reference=data.custody_reference).exists():
        raise Conflict(
            "A detention with this custody record number is already recorded.",
            fields={"custody_reference": ["A detention with this custody record number is already recorded"]},
        )
    case = case_open(actor=actor, subject=child, kind=CaseKind.CUSTODY, summary=f"In custody: {data.custody_reference}")
    detention = Detention.objects.create(
        case=case,
        child=child,
        custody_reference=data.custody_reference,
        recorded_by=actor,
        juvenile=True,
        age_basis=basis,
        arrested_at=data.arrested_at,
        relevant_time=relevant_time,
        authorised_at=authorised_at,
        limit_at=rules.basic_limit(relevant_time),
        next_review_due=rules.next_review_due(authorised_at, []),
        offences=data.offences,
        solicitor_requested=data.solicitor_requested,
        aa_requested_at=data.aa_requested_at,
    )
    detention.replayed = False  # type: ignore[attr-defined]
    _review_clock(detention, started=True)
    deadlines.start(
        case=case,
        kind=deadlines.LIMIT,
        key=KEY_LIMIT,
        what=f"Charge or release {child.full_name}: the detention time limit",
        due=detention.limit_at,
    )
    _remember(actor, "record", data, detention)
    _log(actor, detention, "recorded", juvenile_basis=basis)
    return detention


def _review_clock(detention: Detention, *, started: bool = False) -> None:
    """C-04: the review deadline at the next review due, and the custody officer's alert before it."""
    due = detention.next_review_due
    assert due is not None
    before = policy_value(policy.REVIEW_ALERT_BEFORE)
    name = detention.child.full_name
    for kind, key, when, what in (
        (deadlines.REVIEW_ALERT, KEY_REVIEW_ALERT, due - before, f"A PACE review of {name}'s detention is due soon"),
        (deadlines.REVIEW, KEY_REVIEW, due, f"Review {name}'s detention (PACE s40)"),
    ):
        if started:
            deadlines.start(case=detention.case, kind=kind, key=key, what=what, due=when)
        else:
            deadlines.move(
                case=detention.case, kind=kind, key=key, what=what, due=when, reason="The last review was done"
            )


# --- The appropriate adult, welfare, cells (C-02, C-11) -------------------------------------------------


@transaction.atomic
def aa_record(*, actor: User, detention: Detention, data: AppropriateAdultIn) -> Detention:
    """The appropriate adult (C-02): never a police officer, police employee, police support volunteer or
    contracted detention or escort staff; a solicitor, or someone connected with the offence, is warned of."""
    _gate(actor)
    if (done := _replayed(actor, "aa", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _in_custody(detention)
    refusal, warning = rules.aa_problems(data.aa_occupation, data.aa_connected)
    if refusal:
        raise _fail("aa_occupation", refusal)
    _not_future(data.aa_arrived_at, "aa_arrived_at")
    if data.aa_arrived_at is not None and data.aa_arrived_at < detention.aa_requested_at:
        raise _fail("aa_arrived_at", "The appropriate adult cannot arrive before they were asked to come")
    detention.aa_type = data.aa_type
    detention.aa_name = data.aa_name
    detention.aa_occupation = data.aa_occupation
    detention.aa_connected = data.aa_connected
    detention.aa_arrived_at = data.aa_arrived_at
    detention.aa_warning = warning
    _save(detention, "aa_type", "aa_name", "aa_occupation", "aa_connected", "aa_arrived_at", "aa_warning")
    _remember(actor, "aa", data, detention)
    _log(actor, detention, "appropriate adult", warned=bool(warning))
    return detention


@transaction.atomic
def welfare_record(*, actor: User, detention: Detention, data: CustodyWelfareIn) -> Detention:
    """The person responsible for the child's welfare told of the arrest, why and where (Code C 3.13)."""
    _gate(actor)
    if (done := _replayed(actor, "welfare", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _in_custody(detention)
    _not_future(data.welfare_informed_at, "welfare_informed_at")
    detention.welfare_person = data.welfare_person
    detention.welfare_informed_at = data.welfare_informed_at
    _save(detention, "welfare_person", "welfare_informed_at")
    _remember(actor, "welfare", data, detention)
    _log(actor, detention, "welfare informed")
    return detention


@transaction.atomic
def cell_record(*, actor: User, detention: Detention, data: CustodyCellIn) -> Detention:
    """Where the child is held. C-11: never in a cell with an adult detainee (the database refuses it too)."""
    _gate(actor)
    if (done := _replayed(actor, "cell", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _in_custody(detention)
    problem = rules.cell_problem(juvenile=detention.juvenile, occupants=data.cell_occupants)
    if problem:
        raise _fail("cell_occupants", problem)
    detention.cell = data.cell
    detention.cell_occupants = data.cell_occupants
    _save(detention, "cell", "cell_occupants")
    _remember(actor, "cell", data, detention)
    _log(actor, detention, "cell")
    return detention


# --- Interviews, reviews, extensions (C-03, C-04, C-05) --------------------------------------------------


@transaction.atomic
def interview_record(*, actor: User, detention: Detention, data: CustodyInterviewIn) -> Detention:
    """C-03: an interview of a juvenile with the appropriate adult present, or a superintendent's
    urgent-interview authority (named, of that rank, with the reason)."""
    _gate(actor)
    if (done := _replayed(actor, "interview", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _in_custody(detention)
    urgent = None
    if data.urgent_authorised_by:
        urgent = _officer(
            data.urgent_authorised_by,
            field="urgent_authorised_by",
            seniority=SUPERINTENDENT_SENIORITY,
            rank_words="superintendent",
        )
        if not data.urgent_reason:
            raise _fail("urgent_reason", "Enter why the interview could not wait for the appropriate adult")
    problem = rules.interview_problem(aa_present=data.aa_present, urgent_authorised=urgent is not None)
    if problem:
        raise _fail("aa_present", problem)
    _not_future(data.started_at, "started_at")
    if data.ended_at is not None and data.ended_at < data.started_at:
        raise _fail("ended_at", "The interview cannot end before it started")
    Interview.objects.create(
        detention=detention,
        started_at=data.started_at,
        ended_at=data.ended_at,
        aa_present=data.aa_present,
        urgent_authorised_by=urgent,
        urgent_reason=data.urgent_reason,
        recorded_by=actor,
    )
    _remember(actor, "interview", data, detention)
    _log(actor, detention, "interview", urgent=urgent is not None)
    return detention


@transaction.atomic
def review_record(*, actor: User, detention: Detention, data: PaceReviewIn) -> Detention:
    """C-04: a PACE review, by an inspector or above. The next is due 9 hours after this one."""
    if _seniority(actor) < INSPECTOR_SENIORITY:
        raise Forbidden("A PACE review is made by an officer of inspector rank or above.")
    if (done := _replayed(actor, "review", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _before_charge(detention)
    _not_future(data.done_at, "done_at")
    if data.done_at < detention.authorised_at:
        raise _fail("done_at", "A review cannot come before detention was authorised")
    if data.continued and data.done_at > detention.limit_at:  # C-05: no detention beyond its limit
        raise _fail(
            "continued",
            "Detention has passed its time limit: charge or release the child, or record an extension first",
        )
    last = detention.reviews.order_by("-done_at").first()
    if last is not None and data.done_at <= last.done_at:
        raise _fail("done_at", "This review must come after the last one")
    assert detention.next_review_due is not None
    Review.objects.create(
        detention=detention,
        due_at=detention.next_review_due,
        done_at=data.done_at,
        reviewed_by=actor,
        continued=data.continued,
        aa_present=data.aa_present,
        note=data.note,
    )
    late = data.done_at > detention.next_review_due
    detention.next_review_due = rules.next_review_due(
        detention.authorised_at, detention.reviews.values_list("done_at", flat=True)
    )
    _save(detention, "next_review_due")
    deadlines.met(case=detention.case, actor=actor, key=KEY_REVIEW, how="Reviewed")
    deadlines.met(case=detention.case, actor=actor, key=KEY_REVIEW_ALERT, how="Reviewed")
    _review_clock(detention, started=True)
    _remember(actor, "review", data, detention)
    _log(actor, detention, "review", late=late)
    return detention


@transaction.atomic
def extension_record(*, actor: User, detention: Detention, data: DetentionExtensionIn) -> Detention:
    """C-05: a superintendent (or above) extends to at most 36 hours, only after the second review;
    beyond 36 hours a warrant of further detention (its reference), never beyond 96 hours."""
    if data.kind == ExtensionKind.SUPERINTENDENT and _seniority(actor) < SUPERINTENDENT_SENIORITY:
        raise Forbidden("Only a superintendent or above may extend detention.")
    if (done := _replayed(actor, "extension", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _before_charge(detention)
    problem = rules.extension_problem(
        kind=data.kind,
        relevant_time=detention.relevant_time,
        until=data.until,
        reviews_done=detention.reviews.count(),
        warrant_reference=data.warrant_reference,
    )
    if problem:
        field = "warrant_reference" if "reference" in problem else "until"
        raise _fail("kind" if "second review" in problem else field, problem)
    if data.until <= detention.limit_at:
        raise _fail("until", "Detention is already authorised to this time")
    Extension.objects.create(
        detention=detention,
        kind=data.kind,
        at=clock.now(),
        until=data.until,
        authorised_by=actor,
        warrant_reference=data.warrant_reference,
        reason=data.reason,
    )
    detention.limit_at = data.until
    _save(detention, "limit_at")
    deadlines.move(
        case=detention.case,
        kind=deadlines.LIMIT,
        key=KEY_LIMIT,
        what=f"Charge or release {detention.child.full_name}: the extended time limit",
        due=data.until,
        reason="Detention extended",
    )
    _remember(actor, "extension", data, detention)
    _log(actor, detention, "extension", kind=data.kind)
    return detention


# --- Charge, bail, and after charge (C-06..C-09) ---------------------------------------------------------


def _clocks_stop(detention: Detention, actor: User, how: str) -> None:
    for key in (KEY_REVIEW, KEY_REVIEW_ALERT, KEY_LIMIT):
        deadlines.met(case=detention.case, actor=actor, key=key, how=how)


@transaction.atomic
def charge_record(*, actor: User, detention: Detention, data: CustodyChargeIn) -> Detention:
    """Charge and the bail decision. A child refused bail starts the transfer clock (request local
    authority accommodation within force policy, 2 hours by default; a hard alert at the next court
    sitting) and needs a child concern referral (force policy)."""
    _gate(actor)
    if (done := _replayed(actor, "charge", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _before_charge(detention)
    _not_future(data.charged_at, "charged_at")
    if data.charged_at < detention.arrested_at:
        raise _fail("charged_at", "The charge cannot come before the arrest")
    refused = data.bail_decision == BailDecision.REFUSED
    if refused and not data.bail_refused_grounds:
        raise _fail("bail_refused_grounds", "Enter the grounds for refusing bail")
    if refused and data.court_at is None:
        raise _fail("court_at", "Enter the next court sitting")
    if data.court_at is not None and data.court_at < data.charged_at:
        raise _fail("court_at", "The court sitting must be after the charge")
    detention.charged_at = data.charged_at
    detention.charges = data.charges
    detention.bail_decision = data.bail_decision
    detention.bail_refused_grounds = data.bail_refused_grounds if refused else ""
    detention.court_at = data.court_at
    fields = ["charged_at", "charges", "bail_decision", "bail_refused_grounds", "court_at", "state"]
    _clocks_stop(detention, actor, "Charged")
    if refused:
        detention.state = DetentionState.CHARGED
        name = detention.child.full_name
        deadlines.start(
            case=detention.case,
            kind=deadlines.TRANSFER,
            key=KEY_TRANSFER,
            what=f"Request local authority accommodation for {name} (or certify why not)",
            due=data.charged_at + policy_value(policy.TRANSFER_REQUEST_WITHIN),
        )
        assert data.court_at is not None
        deadlines.start(
            case=detention.case,
            kind=deadlines.COURT,
            key=KEY_COURT,
            what=f"{name} is still at the police station after charge",
            due=data.court_at,
        )
        referral_required(
            case=detention.case,
            due=data.charged_at + policy_value(policy.REFERRAL_WITHIN),
            why=f"{name} was charged and kept in custody",
        )
    else:
        detention.state = DetentionState.RELEASED
        detention.ended_at = data.charged_at
        fields.append("ended_at")
    _save(detention, *fields)
    _remember(actor, "charge", data, detention)
    _log(actor, detention, "charge", bail=data.bail_decision)
    return detention


@transaction.atomic
def la_request_record(*, actor: User, detention: Detention, data: LaRequestIn) -> Detention:
    """s38(6): the request to the local authority for accommodation (C-06). Secure accommodation without
    the serious-harm rationale is recorded with a warning (C-09)."""
    _gate(actor)
    if (done := _replayed(actor, "la_request", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _charged_kept(detention)
    _not_future(data.la_requested_at, "la_requested_at")
    assert detention.charged_at is not None
    if data.la_requested_at < detention.charged_at:
        raise _fail("la_requested_at", "The request cannot come before the charge")
    detention.la_requested_at = data.la_requested_at
    detention.la_authority = data.la_authority
    detention.la_type = data.la_type
    detention.serious_harm_rationale = data.serious_harm_rationale
    detention.la_warning = rules.secure_warning(data.la_type, data.serious_harm_rationale)
    _save(detention, "la_requested_at", "la_authority", "la_type", "serious_harm_rationale", "la_warning")
    deadlines.met(case=detention.case, actor=actor, key=KEY_TRANSFER, how=f"Requested from {data.la_authority}")
    _remember(actor, "la_request", data, detention)
    _log(actor, detention, "accommodation requested", secure=data.la_type == "secure")
    return detention


@transaction.atomic
def la_response_record(*, actor: User, detention: Detention, data: LaResponseIn) -> Detention:
    """The local authority's answer and, once made, the transfer: the detention ends there."""
    _gate(actor)
    if (done := _replayed(actor, "la_response", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _charged_kept(detention)
    if detention.la_requested_at is None:
        raise Conflict("Record the request to the local authority first.")
    _not_future(data.la_response_at, "la_response_at")
    _not_future(data.transferred_at, "transferred_at")
    if data.la_response_at < detention.la_requested_at:
        raise _fail("la_response_at", "The response cannot come before the request")
    if data.transferred_at is not None:
        if data.la_response != LaResponse.ACCEPTED:
            raise _fail("transferred_at", "A child is transferred only to accommodation the local authority offered")
        if data.transferred_at < data.la_response_at:
            raise _fail("transferred_at", "The transfer cannot come before the response")
    detention.la_response = data.la_response
    detention.la_response_at = data.la_response_at
    fields = ["la_response", "la_response_at"]
    if data.transferred_at is not None:
        detention.transferred_at = data.transferred_at
        detention.ended_at = data.transferred_at
        detention.state = DetentionState.TRANSFERRED
        fields += ["transferred_at", "ended_at", "state"]
        deadlines.met(case=detention.case, actor=actor, key=KEY_COURT, how="Transferred to the local authority")
    _save(detention, *fields)
    _remember(actor, "la_response", data, detention)
    _log(actor, detention, "local authority response", transferred=data.transferred_at is not None)
    return detention


def _age(detention: Detention) -> int | None:
    dob = detention.child.date_of_birth
    if dob is None:
        return None
    return rules.age_on(dob, timezone.localtime(clock.now()).date())


@transaction.atomic
def certificate_record(*, actor: User, detention: Detention, data: S38CertificateIn) -> Detention:
    """The s38(6) certificate (C-06): (a) impracticable, with the circumstances specified, or (b) aged 12
    or over, no secure accommodation, and other accommodation would not protect the public from serious
    harm. C-08: an inspector or above monitors; produced to court. C-07: "no bed" alone is flagged."""
    _gate(actor)
    if (done := _replayed(actor, "certificate", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _charged_kept(detention)
    if Certificate.objects.filter(detention=detention).exists():
        raise Conflict("A certificate is already recorded for this detention.")
    problems = rules.certificate_problems(
        reason=data.reason, circumstances=list(data.circumstances), details=data.details, age=_age(detention)
    )
    if problems:
        raise ValidationFailed("The certificate cannot be recorded.", fields=problems)
    inspector = _officer(
        data.monitoring_inspector, field="monitoring_inspector", seniority=INSPECTOR_SENIORITY, rank_words="inspector"
    )
    flagged = rules.no_bed_only(reason=data.reason, circumstances=list(data.circumstances), la_type=detention.la_type)
    Certificate.objects.create(
        detention=detention,
        reason=data.reason,
        circumstances=list(data.circumstances),
        details=data.details,
        certified_by=actor,
        certified_at=clock.now(),
        monitoring_inspector=inspector,
        for_court=True,
        flagged=flagged,
    )
    deadlines.met(case=detention.case, actor=actor, key=KEY_TRANSFER, how="Certificate under s38(6)")
    if flagged:
        deadlines.start(
            case=detention.case,
            kind=deadlines.CERTIFICATE,
            key=KEY_CERTIFICATE,
            what=f"Review the certificate keeping {detention.child.full_name} in custody: it cites only a lack of beds",
            due=clock.now(),
        )
    _remember(actor, "certificate", data, detention)
    _log(actor, detention, "certificate", reason=data.reason, flagged=flagged)
    return detention


@transaction.atomic
def certificate_review(*, actor: User, detention: Detention, data: S38CertificateReviewIn) -> Detention:
    """An inspector's review of a certificate flagged under C-07."""
    if _seniority(actor) < INSPECTOR_SENIORITY:
        raise Forbidden("A flagged certificate is reviewed by an inspector or above.")
    detention = _locked(detention)
    cert = Certificate.objects.select_for_update().filter(detention=detention).first()
    if cert is None or not cert.flagged:
        raise Conflict("There is no flagged certificate to review.")
    if cert.flag_reviewed_at is not None:
        raise Conflict("This certificate has already been reviewed.")
    cert.flag_reviewed_by = actor
    cert.flag_reviewed_at = clock.now()
    cert.flag_review_note = data.note
    cert.save(update_fields=["flag_reviewed_by", "flag_reviewed_at", "flag_review_note"])
    deadlines.met(case=detention.case, actor=actor, key=KEY_CERTIFICATE, how="Reviewed by an inspector")
    _log(actor, detention, "certificate reviewed")
    return detention


@transaction.atomic
def detention_end(*, actor: User, detention: Detention, data: DetentionEndIn) -> Detention:
    """The child leaves custody. C-06: a child charged and refused bail leaves only after a request for
    local authority accommodation or with a certificate; transferred, only after a request."""
    _gate(actor)
    if (done := _replayed(actor, "end", data, detention)) is not None:
        return done
    detention = _locked(detention)
    _in_custody(detention)
    _not_future(data.ended_at, "ended_at")
    if data.ended_at < detention.arrested_at:
        raise _fail("ended_at", "The detention cannot end before the arrest")
    has_cert = Certificate.objects.filter(detention=detention).exists()
    if detention.state == DetentionState.CHARGED and detention.la_requested_at is None and not has_cert:
        raise _fail(
            "outcome",
            "A child charged and refused bail must be the subject of a request for local authority "
            "accommodation, or of a certificate saying why they stay at the police station",
        )
    fields = ["state", "ended_at", "outcome_note"]
    if data.outcome == DetentionOutcome.TRANSFERRED:
        if detention.la_requested_at is None:
            raise _fail("outcome", "Record the request to the local authority before the transfer")
        detention.transferred_at = data.ended_at
        fields.append("transferred_at")
        detention.state = DetentionState.TRANSFERRED
    elif data.outcome == DetentionOutcome.COURT:
        detention.state = DetentionState.COURT
    else:
        detention.state = DetentionState.RELEASED
    detention.ended_at = data.ended_at
    detention.outcome_note = data.note
    _save(detention, *fields)
    _clocks_stop(detention, actor, "Left custody")
    for key in (KEY_TRANSFER, KEY_COURT):
        deadlines.met(case=detention.case, actor=actor, key=key, how="Left custody")
    _remember(actor, "end", data, detention)
    _log(actor, detention, "ended", outcome=data.outcome)
    return detention
