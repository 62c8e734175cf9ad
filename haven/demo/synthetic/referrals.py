"""The synthetic force's child concern referrals (issue 19): what the benchmark's "raise" and "share"
need beside the people and cases the parts load with COPY.

Made once for a seed, reused after, like the force's officers (``load.officers_ensure``), and through
the services, as an officer would make them (a referral's deadlines, case and s62 rows are the
services' to write, not a COPY's): the central referral and safeguarding unit (the ``CRSU`` team) with
its inspector, its sergeant and a CRSU officer signed off to share information alone (the workforce
gate: a qualification, a competence started, assessed and signed off); a partner agency, the local
authority's children's services; a response officer who raises referrals; and ``count`` referrals
submitted to the CRSU about children of the force, waiting for its decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

NARRATIVE = "Called to a domestic. The children were in the next room throughout; no food in the house."
WORDS = "I hid under the bed with my sister. He was shouting."
DEMEANOUR = "Tearful, holding her sister's hand; calmer once her grandmother arrived."


@dataclass(frozen=True)
class Crsu:
    """Who raises and who shares in the synthetic force, and with whom."""

    raiser: Any  # a response officer (may raise a referral)
    officer: Any  # a CRSU officer signed off to share information alone
    agency: Any  # the partner agency shares go to


def _user(username: str, *, roles: list[str], rank: str, team: Any) -> Any:
    from haven.accounts.models import Rank, User

    user = User.objects.filter(username=username).first()
    if user is None:
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


@transaction.atomic
def crsu_ensure(seed: int) -> Crsu:
    """The CRSU, its signed-off officer, a response officer and a partner agency (``syn<seed>-…``)."""
    from haven.accounts.models import Team
    from haven.partners import services as partners
    from haven.partners.choices import AgencyKind
    from haven.partners.models import Agency
    from haven.partners.schemas import AgencyIn
    from haven.referrals.policy import CRSU_TEAM_CODE
    from haven.workforce import services as workforce
    from haven.workforce.choices import Activity
    from haven.workforce.models import Competence
    from haven.workforce.schemas import CompetenceStartIn, CompetenceStepIn, QualificationRecordIn

    prefix = f"syn{seed}-"
    crsu = Team.objects.get_or_create(
        code=CRSU_TEAM_CODE,
        defaults={"name": "Central referral and safeguarding unit", "description": "Synthetic force (benchmarks)."},
    )[0]
    response = Team.objects.get_or_create(
        code=f"S{seed % 100:02d}-RESP"[:16],
        defaults={"name": f"Synthetic response team {seed}", "description": "Synthetic force (benchmarks)."},
    )[0]
    inspector = _user(f"{prefix}crsuinsp", roles=["inspector"], rank="DI", team=crsu)
    sergeant = _user(f"{prefix}crsuds", roles=["supervisor"], rank="DS", team=crsu)
    officer = _user(f"{prefix}crsu", roles=["crsu_officer"], rank="DC", team=crsu)
    raiser = _user(f"{prefix}raiser", roles=["response_officer"], rank="PC", team=response)
    activity = Activity.CRSU_SHARE_INFORMATION
    if not Competence.objects.filter(officer=officer, activity=activity).exists():
        day = date(2024, 9, 1)
        workforce.qualification_record(
            actor=inspector,
            officer=officer,
            data=QualificationRecordIn(qualification="crsu_researcher", achieved_on=day, evidence_reference="Course"),
        )
        started = CompetenceStartIn(activity=activity, mentor=sergeant.username, started_on=day)
        workforce.competence_start(actor=sergeant, officer=officer, data=started)
        workforce.competence_assess(actor=inspector, officer=officer, data=CompetenceStepIn(activity=activity))
        workforce.competence_sign_off(actor=inspector, officer=officer, data=CompetenceStepIn(activity=activity))
    name = f"Synthetic children's services {seed}"
    agency = Agency.objects.filter(name=name).first() or partners.agency_create(
        actor=inspector,
        data=AgencyIn(
            name=name,
            kind=AgencyKind.CHILDRENS_SERVICES,
            local_authority=f"Synthetic County Council {seed}",
            notice_email=f"mash{seed}@synthetic.haven.invalid",
        ),
    )
    return Crsu(raiser=raiser, officer=officer, agency=agency)


def draft() -> dict[str, Any]:
    """A referral written in full (the voice of the child included, S-01), as ``ReferralDraftIn`` takes it."""
    return {
        "categories": ["domestic_abuse", "neglect"],
        "narrative": NARRATIVE,
        "child_seen": True,
        "child_spoken_to": True,
        "child_words": WORDS,
        "child_demeanour": DEMEANOUR,
        "officer_grade": "high",
        "immediate_actions": "Children taken to their grandmother's with the mother's agreement.",
    }


def children(count: int) -> list[Any]:
    """``count`` children of the force a response officer may see (not restricted, not merged), by id."""
    from haven.core import clock
    from haven.people.models import Person

    today = clock.now().date()
    return list(
        Person.objects.filter(
            merged_into=None,
            is_restricted=False,
            date_of_birth__gt=today.replace(year=today.year - 17),
            date_of_birth__lt=today.replace(year=today.year - 1),
        ).order_by("id")[:count]
    )


def raise_referral(raiser: Any, child: Any) -> Any:
    """Start, write and submit a referral about ``child`` through the services."""
    from haven.referrals import services
    from haven.referrals.schemas import ReferralDraftIn, ReferralStartIn, ReferralSubmitIn

    referral = services.referral_start(actor=raiser, data=ReferralStartIn(child=child.public_id))
    services.referral_update(actor=raiser, referral=referral, data=ReferralDraftIn.model_validate(draft()))
    return services.referral_submit(actor=raiser, referral=referral, data=ReferralSubmitIn())


def referrals_ensure(seed: int, count: int) -> tuple[Crsu, list[Any]]:
    """The CRSU and ``count`` referrals submitted to it, waiting for its decision (made once, reused)."""
    from haven.referrals.choices import ReferralState
    from haven.referrals.models import ChildConcernReferral

    crsu = crsu_ensure(seed)
    waiting = ChildConcernReferral.objects.filter(raised_by=crsu.raiser, state=ReferralState.SUBMITTED)
    missing = count - waiting.count()
    if missing > 0:
        found = children(count)
        with transaction.atomic():
            for n in range(missing):
                raise_referral(crsu.raiser, found[n % len(found)])
    return crsu, list(waiting.order_by("id")[:count])
