"""Demo referrals (called by haven.demo.seed.seed_demo): the CRSU's backlog of 30 referrals of mixed
age and colour (the oldest nine days old), a few already shared or not shared, one shared two days ago
and not yet acknowledged by the local authority, a trainee's share waiting for approval, the response
officer's draft, and a strategy discussion. Made through the services with Haven's clock moved back, so
every time and deadline is as it would have been. Idempotent: nothing is made twice."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from haven.accounts.models import User
from haven.cases.models import Case
from haven.core import clock
from haven.partners.selectors import agencies_active
from haven.people.models import Person
from haven.referrals import services
from haven.referrals.choices import ConcernCategory, Decision, LawfulBasis, OfficerGrade, Rag, StrategyOutcome
from haven.referrals.models import ChildConcernReferral
from haven.referrals.schemas import (
    AllocateIn,
    ApproveIn,
    DecideIn,
    RateIn,
    ReferralDraftIn,
    ReferralStartIn,
    ReferralSubmitIn,
    ResearchNoteIn,
    StrategyIn,
)
from haven.workforce import services as workforce
from haven.workforce.choices import Activity
from haven.workforce.models import Competence
from haven.workforce.schemas import CompetenceStartIn, CompetenceStepIn

BACKLOG = 30

STORIES = [
    (
        ["neglect"],
        "Welfare check after a neighbour's call. No food in the house, dog faeces on the floor, the heating off.",
        "It's always like this. Mum sleeps a lot.",
        "Thin, in a dirty school jumper; answered questions politely but would not look at me.",
    ),
    (
        ["domestic_abuse"],
        "Called to a domestic. The mother had a cut lip; the children were in the next room throughout.",
        "I hid under the bed with my sister. He was shouting.",
        "Tearful, holding her sister's hand; calmer once her grandmother arrived.",
    ),
    (
        ["cse", "missing"],
        "Found at 02:00 in a car with two adult men she called friends; third missing episode this month.",
        "They're my mates. They buy me stuff.",
        "Guarded, new phone and jewellery; smelled of alcohol.",
    ),
    (
        ["cce"],
        "Stopped in a stolen car 40 miles from home with cash and three phones.",
        "I owe them. If I don't go they'll hurt my mum.",
        "Frightened, kept checking one of the phones.",
    ),
    (
        ["physical"],
        "School reported bruising to the upper arms; the father said it was from football.",
        "Dad grabbed me because I was late.",
        "Flinched when touched on the shoulder; otherwise chatty.",
    ),
    (
        ["online", "sexual"],
        "Mother found messages from an adult asking for images on a gaming platform.",
        "He said he was fifteen. He said he'd tell everyone.",
        "Embarrassed and worried about being in trouble.",
    ),
]
COLOURS = ["red", "amber", "green", ""]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _children(count: int) -> list[Person]:
    today = clock.now().date()
    cutoff = today.replace(year=today.year - 17)
    return list(
        Person.objects.filter(merged_into=None, is_restricted=False, date_of_birth__gt=cutoff).order_by("id")[:count]
    )


def _sign_off_sergeant(sergeant: User, inspector: User, other: User) -> None:
    """The CRSU's DS is signed off to share information (the demo trainee's approver)."""
    activity = Activity.CRSU_SHARE_INFORMATION
    if Competence.objects.filter(officer=sergeant, activity=activity).exists():
        return
    started = CompetenceStartIn(activity=activity, mentor=inspector.username, started_on=date(2021, 3, 1))
    workforce.competence_start(actor=inspector, officer=sergeant, data=started)
    workforce.competence_assess(actor=inspector, officer=sergeant, data=CompetenceStepIn(activity=activity))
    workforce.competence_sign_off(actor=other, officer=sergeant, data=CompetenceStepIn(activity=activity))


def _decide(u: dict[str, User], referral: ChildConcernReferral, data: DecideIn) -> None:
    """The trainee decides; the DS, signed off, approves it (T-01)."""
    services.referral_decide(actor=u["crsu"], referral=referral, data=data)
    services.decision_approve(actor=u["crsuds"], referral=referral, data=ApproveIn(note="Agreed."))


def _raise(
    raiser: User, child: Person, n: int, *, case: Case | None = None, submit: bool = True
) -> ChildConcernReferral:
    categories, narrative, words, demeanour = STORIES[n % len(STORIES)]
    start = ReferralStartIn(child=child.public_id, case=case.public_id if case else None)
    referral = services.referral_start(actor=raiser, data=start)
    draft = ReferralDraftIn(
        categories=[ConcernCategory(c) for c in categories],
        narrative=narrative,
        child_seen=True,
        child_spoken_to=n % 5 != 0,
        child_words=words if n % 5 != 0 else "",
        child_demeanour=demeanour,
        child_not_seen_reason="" if n % 5 != 0 else "Too distressed to talk; a specialist interview is planned.",
        officer_grade=list(OfficerGrade)[n % 3],
        immediate_actions="Child safe with a relative tonight; supervisor told.",
    )
    services.referral_update(actor=raiser, referral=referral, data=draft)
    if submit:
        services.referral_submit(actor=raiser, referral=referral, data=ReferralSubmitIn())
    referral.refresh_from_db()
    return referral


@transaction.atomic
def seed_referrals() -> int:
    """Create the demo referrals if there are none; return how many were created."""
    if ChildConcernReferral.objects.exists():
        return 0
    names = ("response", "investigator", "crsu", "crsuds", "inspector", "cateds")
    users = {name: _user(name) for name in names}
    if any(u is None for u in users.values()):
        return 0
    u: dict[str, User] = {k: v for k, v in users.items() if v is not None}
    found = _children(BACKLOG + 6)
    if not found:
        return 0
    children = [found[i % len(found)] for i in range(BACKLOG + 6)]
    _sign_off_sergeant(u["crsuds"], u["inspector"], u["cateds"])
    agencies = agencies_active()
    created = 0
    # Already decided, before the backlog: the trend falls and rises over the month.
    for n in range(4):
        with clock.moved(-timedelta(days=20 - n * 4, hours=3)):
            referral = _raise(u["response"] if n % 2 else u["investigator"], children[BACKLOG + n], n)
        if agencies and n % 2 == 0:
            with clock.moved(-timedelta(days=20 - n * 4)):
                decision = DecideIn(
                    decision=Decision.SHARE,
                    lawful_basis=LawfulBasis.SAFEGUARDING,
                    reason="Significant harm is likely; children's services must assess.",
                    agency=str(agencies[0].public_id),
                )
                _decide(u, referral, decision)
        else:
            with clock.moved(-timedelta(days=20 - n * 4)):
                decision = DecideIn(
                    decision=Decision.NO_SHARE,
                    lawful_basis=LawfulBasis.NOT_NECESSARY,
                    reason="Already known to children's services with a plan in place; they were told by phone.",
                    agency="",
                )
                _decide(u, referral, decision)
        created += 1
    # Shared two days ago and not yet acknowledged by the local authority (S-02 chases it).
    if agencies:
        with clock.moved(-timedelta(days=2, hours=2)):
            referral = _raise(u["response"], children[BACKLOG + 4], 1)
            services.referral_rate(actor=u["crsu"], referral=referral, data=RateIn(rag=Rag.AMBER))
        with clock.moved(-timedelta(days=2)):
            decision = DecideIn(
                decision=Decision.SHARE,
                lawful_basis=LawfulBasis.SAFEGUARDING,
                reason="Domestic abuse with the children present: children's services need to know today.",
                agency=str(agencies[0].public_id),
            )
            _decide(u, referral, decision)
        created += 1
    # The backlog: 30 waiting, oldest about nine days, reddest and oldest first in the queue.
    backlog = []
    for n in range(BACKLOG):
        hours = 217 - n * 7  # from nine days to an hour ago
        with clock.moved(-timedelta(hours=hours)):
            referral = _raise(u["response"] if n % 3 else u["investigator"], children[n], n)
            colour = COLOURS[n % len(COLOURS)]
            if colour:
                services.referral_rate(actor=u["crsu"], referral=referral, data=RateIn(rag=Rag(colour)))
            if n % 4 == 1:
                services.referral_allocate(actor=u["crsuds"], referral=referral, data=AllocateIn(officer="crsu"))
                note = ResearchNoteIn(
                    source="Police intelligence system",
                    text="Two earlier domestic abuse incidents at the address; no convictions.",
                )
                services.research_add(actor=u["crsu"], referral=referral, data=note)
        backlog.append(referral)
        created += 1
    # The trainee has prepared a share of the newest red one: it waits for the DS's approval.
    if agencies:
        waiting = backlog[-4]
        decision = DecideIn(
            decision=Decision.SHARE,
            lawful_basis=LawfulBasis.SAFEGUARDING,
            reason="Exploitation indicators; children's services to join a strategy discussion.",
            agency=str(agencies[0].public_id),
        )
        services.referral_decide(actor=u["crsu"], referral=waiting, data=decision)
    # A strategy discussion about one of the backlog, with a conference to follow.
    strategy = StrategyIn(
        held_on=clock.now().date() - timedelta(days=1),
        attendees="DS Owen Hughes (CRSU), a social worker (children's services), the school nurse",
        agencies=["Children's services", "Police", "Health"],
        outcome=StrategyOutcome.S47,
        decision="Section 47 enquiries; joint visit tomorrow; the child stays with her grandmother.",
        icpc=True,
        referrals=[backlog[0].public_id],
    )
    services.strategy_record(actor=u["crsuds"], data=strategy)
    # The response officer's draft, about a child on one of his cases: still to finish.
    case = Case.objects.filter(owner=u["response"], state="open").order_by("id").first()
    draft_child = case.subject if case is not None else children[BACKLOG + 5]
    _raise(u["response"], draft_child, 2, case=case, submit=False)
    return created + 1
