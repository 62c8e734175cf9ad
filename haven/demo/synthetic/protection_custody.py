"""The synthetic force's children in police protection and in custody now (issue 20): what the DMM board's
sections 3 and 4 show, beside the people and cases the parts load with COPY.

Made through the services, as officers would make them (the cases, clocks, deadlines and s62 rows are the
services' to write), with Haven's clock moved back to when each thing happened, like the apps' own demos:

- a response constable who uses the s46 power, and a designated officer (an inspector holding the
  designated officer qualification, so the workforce gate answers "alone", PP-03/PP-04);
- a custody sergeant holding the custody officer qualification (the custody gate) and a custody inspector
  (PACE reviews, monitoring certificates);
- children of the force in police protection now, at different hours of their 72, some with notifications
  still missing;
- juveniles in custody now: some charged and refused bail with no request for local authority
  accommodation, some kept with a certificate citing only "no bed", some waiting for the local authority,
  some detained with a review done and the next due, some just booked in.

Made once for a seed and reused; a later call tops them up to the numbers asked, first ending (through the
services, in time, as their officers would have) the ones whose time has run out since, so the board always
shows children there *now*.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

COUNTS: dict[str, tuple[int, int]] = {"demo": (2, 3), "t0": (5, 6), "t1": (25, 30), "t2": (190, 225)}
"""Children in police protection and in custody at once, by tier: a large force (t1) has about 25 and 30."""

CUSTODY_STALE = timedelta(hours=22)  # a synthetic detention is ended (court or release) once this old
CUSTODY_SPREAD_HOURS = 20  # bookings spread over the last 20 hours (inside PACE's 24)
PROTECTION_SPREAD_HOURS = 70  # starts spread over the last 70 of the 72 hours

GROUNDS = (
    "Found alone at 2am in a flat with drug paraphernalia; mother arrested.",
    "Father arrived drunk at the children's ward threatening to take the child home against medical advice.",
    "Child found wandering on the ring road at night; the address given was empty and unheated.",
    "Neighbours called about screaming; the child had fresh bruising and the adults were intoxicated.",
)
OFFENCES = (
    "Robbery (mobile phone)",
    "Assault occasioning actual bodily harm",
    "Burglary of a dwelling",
    "Possession with intent to supply (class A)",
    "Criminal damage; public order",
)


@dataclass(frozen=True)
class Staff:
    """Who keeps children in police protection and in custody in the synthetic force."""

    constable: Any  # uses the s46 power
    designated: Any  # the designated officer (inspector, qualified)
    custody: Any  # the custody officer (sergeant, qualified)
    inspector: Any  # PACE reviews, monitors certificates


def _user(username: str, *, roles: list[str], rank: str, team_code: str, team_name: str) -> Any:
    from haven.accounts.models import Rank, Team, User

    user = User.objects.filter(username=username).first()
    if user is None:
        team = Team.objects.get_or_create(
            code=team_code[:16], defaults={"name": team_name, "description": "Synthetic force (benchmarks)."}
        )[0]
        user = User(
            username=username,
            first_name="Synthetic",
            last_name=username.rsplit("-", 1)[-1].title(),
            email=f"{username}@synthetic.haven.invalid",
            rank=Rank.objects.filter(code=rank).first(),
            team=team,
            roles=roles,
        )
        user.set_unusable_password()
        user.save()
    return user


def _qualify(actor: Any, officer: Any, activity: str, qualification: str, evidence: str) -> None:
    """The workforce record that lets ``officer`` do ``activity`` alone (T-01): the qualification, gained
    200 days ago; recorded again (a refresher) whenever the gate no longer answers "alone"."""
    from haven.core import clock
    from haven.workforce import services as workforce
    from haven.workforce.choices import Activity, Answer
    from haven.workforce.schemas import QualificationRecordIn
    from haven.workforce.selectors import may

    if may(officer, Activity(activity)).answer == Answer.ALONE:
        return
    gained = clock.now().date() - timedelta(days=200)
    workforce.qualification_record(
        actor=actor,
        officer=officer,
        data=QualificationRecordIn(qualification=qualification, achieved_on=gained, evidence_reference=evidence),
    )


@transaction.atomic
def staff_ensure(seed: int) -> Staff:
    """The constable, the designated officer, the custody officer and the custody inspector (``syn<seed>-…``)."""
    from haven.accounts import services as accounts

    accounts.rank_seed_defaults()
    prefix = f"syn{seed}-"
    response = {"team_code": f"S{seed % 100:02d}-RESP", "team_name": f"Synthetic response team {seed}"}
    custody = {"team_code": f"S{seed % 100:02d}-CUST", "team_name": f"Synthetic custody suite {seed}"}
    constable = _user(f"{prefix}ppconst", roles=["response_officer"], rank="PC", **response)
    designated = _user(f"{prefix}ppinsp", roles=["inspector"], rank="INSP", **response)
    sergeant = _user(f"{prefix}custody", roles=["custody_officer"], rank="PS", **custody)
    inspector = _user(f"{prefix}custinsp", roles=["inspector"], rank="INSP", **custody)
    _qualify(inspector, designated, "police_protection", "designated_officer", "Police protection input")
    _qualify(inspector, sergeant, "custody", "custody_officer", "Custody officer course")
    return Staff(constable=constable, designated=designated, custody=sergeant, inspector=inspector)


def _children(*, youngest: int, oldest: int, count: int, skip: set[int]) -> list[Any]:
    """``count`` children of the force aged ``youngest`` to ``oldest`` (not restricted, not merged), from the
    last loaded (the referrals take the first), leaving out ``skip`` (children already held)."""
    from haven.core import clock
    from haven.people.models import Person

    today = clock.now().date()
    born_after = today.replace(year=today.year - oldest - 1) + timedelta(days=7)
    born_before = today.replace(year=today.year - youngest) - timedelta(days=7)
    found = Person.objects.filter(
        merged_into=None, is_restricted=False, date_of_birth__gt=born_after, date_of_birth__lt=born_before
    ).exclude(pk__in=skip)
    return list(found.order_by("-id")[:count])


@contextmanager
def _at(when: datetime) -> Iterator[None]:
    """Haven's clock at ``when`` (in the past) for what is done inside."""
    from haven.core import clock

    with clock.moved(when - clock.now()):
        yield


# --- Police protection ----------------------------------------------------------------------------------


def _note(actor: Any, protection: Any, item: str, to_whom: str) -> None:
    from haven.core import clock
    from haven.protection import services
    from haven.protection.schemas import ProtectionNotificationIn

    data = ProtectionNotificationIn.model_validate({"item": item, "at": clock.now(), "to_whom": to_whom})
    services.notification_record(actor=actor, protection=protection, data=data)


# Which notifications are recorded, by pattern (the rest are missing): all of them; the local authorities
# and wishes only; all but the child told and the parents; all but the inquiry.
PATTERNS: tuple[tuple[str, ...], ...] = (
    ("la_found", "la_appropriate", "child_informed", "wishes", "inquiry", "parents"),
    ("la_found", "wishes"),
    ("la_found", "la_appropriate", "wishes", "inquiry"),
    ("la_found", "la_appropriate", "child_informed", "wishes", "parents"),
)


def _protect(staff: Staff, child: Any, *, hours_ago: float, pattern: tuple[str, ...], n: int) -> Any:
    """Police protection of ``child`` started ``hours_ago``, with the notifications of ``pattern`` recorded
    40 minutes later (none if it started less than an hour ago)."""
    from haven.core import clock
    from haven.protection import services
    from haven.protection.choices import Power
    from haven.protection.schemas import ProtectionStartIn

    started = clock.now() - timedelta(hours=hours_ago)
    with _at(started):
        protection = services.protection_start(
            actor=staff.constable,
            data=ProtectionStartIn.model_validate(
                {
                    "child": child.public_id,
                    "power": Power.REMOVE if n % 3 else Power.PREVENT_REMOVAL,
                    "grounds": GROUNDS[n % len(GROUNDS)],
                    "started_at": clock.now(),
                    "place": f"{10 + n} Station Road, Synthetic Town",
                    "designated_officer": staff.designated.username,
                }
            ),
        )
    if hours_ago >= 1:
        with _at(started + timedelta(minutes=40)):
            for item in pattern:
                who = staff.designated if item == "inquiry" else staff.constable
                _note(who, protection, item, "Emergency duty team, synthetic children's services")
    return protection


def _protection_end(staff: Staff, protection: Any) -> None:
    """End one whose 72 hours ran out since it was made: the notifications completed and the child
    accommodated by the local authority an hour before the limit, as the designated officer would."""
    from haven.protection import services
    from haven.protection.choices import Outcome
    from haven.protection.schemas import ProtectionEndIn
    from haven.protection.selectors import missing

    with _at(protection.expires_at - timedelta(hours=1)):
        for item in missing(protection):
            who = staff.designated if item == "inquiry" else staff.constable
            _note(who, protection, str(item), "Emergency duty team, synthetic children's services")
        protection.refresh_from_db()
        services.protection_end(
            actor=staff.designated,
            protection=protection,
            data=ProtectionEndIn.model_validate(
                {
                    "ended_at": protection.expires_at - timedelta(hours=1),
                    "outcome": Outcome.LA_ACCOMMODATED,
                    "decision": "Children's services accommodate the child; police protection no longer needed.",
                }
            ),
        )


def protections_ensure(seed: int, count: int, staff: Staff | None = None) -> list[Any]:
    """``count`` children in police protection now (made once, topped up; the stale ended first)."""
    from haven.core import clock
    from haven.protection.models import PoliceProtection

    staff = staff or staff_ensure(seed)
    mine = PoliceProtection.objects.filter(initiating_officer=staff.constable, ended_at__isnull=True)
    with transaction.atomic():
        for stale in mine.filter(expires_at__lte=clock.now() + timedelta(hours=1)).order_by("id"):
            _protection_end(staff, stale)
    short = count - mine.count()
    if short > 0:
        rng = random.Random(f"{seed}/protection")  # noqa: S311 - picks hours, not secrets
        held = set(mine.values_list("child_id", flat=True))
        found = _children(youngest=1, oldest=11, count=short, skip=held)
        made = PoliceProtection.objects.filter(initiating_officer=staff.constable).count()
        with transaction.atomic():
            for i, child in enumerate(found):
                n = made + i
                hours = (i + rng.random()) * PROTECTION_SPREAD_HOURS / short
                _protect(staff, child, hours_ago=hours, pattern=PATTERNS[n % len(PATTERNS)], n=n)
    return list(mine.order_by("expires_at", "id"))


# --- Custody ----------------------------------------------------------------------------------------------


def _book(staff: Staff, child: Any, *, reference: str, offences: str) -> Any:
    """``child`` booked in now (Haven's clock), the appropriate adult there, welfare told, in a cell."""
    from haven.core import clock
    from haven.custody import services
    from haven.custody.choices import AaOccupation, AaType, CellOccupants
    from haven.custody.schemas import AppropriateAdultIn, CustodyCellIn, CustodyWelfareIn, DetentionRecordIn

    now = clock.now()
    officer = staff.custody
    detention = services.detention_record(
        actor=officer,
        data=DetentionRecordIn.model_validate(
            {
                "child": child.public_id,
                "custody_reference": reference,
                "arrested_at": now - timedelta(minutes=45),
                "relevant_time": now - timedelta(minutes=15),
                "authorised_at": now,
                "offences": offences,
                "solicitor_requested": True,
                "aa_requested_at": now,
            }
        ),
    )
    services.aa_record(
        actor=officer,
        detention=detention,
        data=AppropriateAdultIn(
            aa_type=AaType.PARENT, aa_name="Their mother", aa_occupation=AaOccupation.NONE, aa_arrived_at=now
        ),
    )
    services.welfare_record(
        actor=officer,
        detention=detention,
        data=CustodyWelfareIn(welfare_person="Their mother", welfare_informed_at=now),
    )
    services.cell_record(
        actor=officer,
        detention=detention,
        data=CustodyCellIn(cell="Juvenile detention room", cell_occupants=CellOccupants.ALONE),
    )
    return detention


def _charge(staff: Staff, detention: Any) -> None:
    """Charged now and refused bail, court at ten the next morning."""
    from haven.core import clock
    from haven.custody import services
    from haven.custody.choices import BailDecision
    from haven.custody.schemas import CustodyChargeIn

    now = clock.now()
    services.charge_record(
        actor=staff.custody,
        detention=detention,
        data=CustodyChargeIn(
            charged_at=now,
            charges=detention.offences,
            bail_decision=BailDecision.REFUSED,
            bail_refused_grounds="Likely to commit further offences; failed to appear twice before.",
            court_at=(now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0),
        ),
    )


def _request(staff: Staff, detention: Any) -> None:
    from haven.core import clock
    from haven.custody import services
    from haven.custody.choices import AccommodationType
    from haven.custody.schemas import LaRequestIn

    services.la_request_record(
        actor=staff.custody,
        detention=detention,
        data=LaRequestIn(
            la_requested_at=clock.now(), la_authority="Synthetic County Council", la_type=AccommodationType.NON_SECURE
        ),
    )


def _no_bed(staff: Staff, detention: Any) -> None:
    """The local authority refuses (no placement tonight); a certificate citing only that (flagged, C-07)."""
    from haven.core import clock
    from haven.custody import services
    from haven.custody.choices import CertificateReason, Circumstance, LaResponse
    from haven.custody.schemas import LaResponseIn, S38CertificateIn

    _request(staff, detention)
    services.la_response_record(
        actor=staff.custody,
        detention=detention,
        data=LaResponseIn(la_response=LaResponse.REFUSED, la_response_at=clock.now()),
    )
    services.certificate_record(
        actor=staff.custody,
        detention=detention,
        data=S38CertificateIn(
            reason=CertificateReason.IMPRACTICABLE,
            circumstances=[Circumstance.NO_BED],
            details="The out-of-hours team said no placement was available tonight.",
            monitoring_inspector=staff.inspector.username,
        ),
    )


def _review(staff: Staff, detention: Any) -> None:
    from haven.core import clock
    from haven.custody import services
    from haven.custody.schemas import PaceReviewIn

    services.review_record(
        actor=staff.inspector,
        detention=detention,
        data=PaceReviewIn(done_at=clock.now(), continued=True, aa_present=True),
    )


# The stories, in turn: charged and refused bail with no request for local authority accommodation
# (C-06, the board's worst); kept with a certificate citing only "no bed" (C-07); charged with the request
# made, waiting for the local authority; detained, reviewed, the next review due; just booked in.
STORIES = ("not_requested", "no_bed", "requested", "reviewed", "booked")


def _detain(staff: Staff, child: Any, *, hours_ago: float, story: str, n: int, seed: int) -> Any:
    from haven.core import clock

    booked = clock.now() - timedelta(hours=hours_ago)
    with _at(booked):
        detention = _book(staff, child, reference=f"SYN{seed}-C-{n:05d}", offences=OFFENCES[n % len(OFFENCES)])
    if story == "reviewed" and hours_ago > 6:  # noqa: PLR2004 - the first review, six hours after authorisation
        with _at(booked + timedelta(hours=6)):
            _review(staff, detention)
    if story in ("not_requested", "no_bed", "requested"):
        with _at(booked + timedelta(hours=hours_ago * 0.6)):
            _charge(staff, detention)
        if story != "not_requested":
            with _at(booked + timedelta(hours=hours_ago * 0.8)):
                (_no_bed if story == "no_bed" else _request)(staff, detention)
    return detention


def _detention_end(staff: Staff, detention: Any) -> None:
    """End one kept past what the synthetic force keeps (court the next morning, or released)."""
    from haven.custody import services
    from haven.custody.choices import DetentionOutcome, DetentionState
    from haven.custody.schemas import DetentionEndIn

    with _at(detention.relevant_time + timedelta(hours=20)):
        charged = detention.state == DetentionState.CHARGED
        if charged and detention.la_requested_at is None and not hasattr(detention, "certificate"):
            _request(staff, detention)
        services.detention_end(
            actor=staff.custody,
            detention=detention,
            data=DetentionEndIn.model_validate(
                {
                    "outcome": DetentionOutcome.COURT if charged else DetentionOutcome.RELEASED,
                    "ended_at": detention.relevant_time + timedelta(hours=20),
                }
            ),
        )


def detentions_ensure(seed: int, count: int, staff: Staff | None = None) -> list[Any]:
    """``count`` juveniles in custody now (made once, topped up; the stale ended first)."""
    from haven.core import clock
    from haven.custody.choices import IN_CUSTODY
    from haven.custody.models import Detention

    staff = staff or staff_ensure(seed)
    mine = Detention.objects.filter(recorded_by=staff.custody, state__in=IN_CUSTODY)
    with transaction.atomic():
        for stale in mine.filter(relevant_time__lte=clock.now() - CUSTODY_STALE).order_by("id"):
            _detention_end(staff, stale)
    short = count - mine.count()
    if short > 0:
        rng = random.Random(f"{seed}/custody")  # noqa: S311 - picks hours, not secrets
        held = set(mine.values_list("child_id", flat=True))
        found = _children(youngest=12, oldest=17, count=short, skip=held)
        made = Detention.objects.filter(recorded_by=staff.custody).count()
        with transaction.atomic():
            for i, child in enumerate(found):
                n = made + i
                hours = 1 + (i + rng.random()) * (CUSTODY_SPREAD_HOURS - 1) / short
                _detain(staff, child, hours_ago=hours, story=STORIES[n % len(STORIES)], n=n, seed=seed)
    return list(mine.order_by("id"))


def held_ensure(seed: int, tier: str) -> tuple[list[Any], list[Any]]:
    """The tier's children in police protection and in custody now (``COUNTS``), made once, reused."""
    protections, detentions = COUNTS.get(tier, COUNTS["t0"])
    staff = staff_ensure(seed)
    return protections_ensure(seed, protections, staff), detentions_ensure(seed, detentions, staff)
