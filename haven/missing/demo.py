"""Demo data for Missing children (called by haven.demo.seed.seed_demo, before the trigger plans).

A realistic mix, made through the services with Haven's clock moved back so every time, deadline
and log entry is consistent: repeat-missing children with several closed episodes in the last 90
days, children missing now (high, medium with an overdue enquiry, one not yet graded), one found and
awaiting the prevention interview, one cancelled, and a closed episode that prompted an exploitation
review (M-16). Idempotent: nothing is added once any episode exists.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction

from haven.accounts.models import User
from haven.cases.services import CaseAllocateIn, case_allocate
from haven.core import clock
from haven.missing import rules, services
from haven.missing.choices import (
    CraDecision,
    EnquiryType,
    ExploitationOutcome,
    InterviewMode,
    MissingFrom,
    Obligation,
    ReasonMissing,
    RhiStatus,
    RiskGrade,
    WhereFound,
)
from haven.missing.models import Episode
from haven.missing.schemas import (
    EnquiryRaiseIn,
    EnquiryResultIn,
    EpisodeCancelIn,
    EpisodeCloseIn,
    EpisodeFoundIn,
    EpisodeReportIn,
    ExploitationRecordIn,
    InformationSourceIn,
    ObligationRecordIn,
    PreventionInterviewIn,
    ReturnInterviewIn,
    RiskAssessmentIn,
    SightingIn,
    SightingReportIn,
    SupervisorReviewIn,
)

HANDLER, OFFICER, SERGEANT, INSPECTOR = "callhandler", "response", "sergeant", "inspector"
INVESTIGATOR = "investigator"
REASONS = [
    ReasonMissing.CONFLICT_HOME,
    ReasonMissing.FRIENDS,
    ReasonMissing.EXPLOITATION,
    ReasonMissing.FAMILY_CONTACT,
    ReasonMissing.UNKNOWN,
]

PLACES = [
    ("Oak House children's home, Chapeltown, Leeds", "care_home"),
    ("Home address, Harehills, Leeds", "home"),
    ("Foster placement, Horsforth", "foster"),
    ("Carlton Bolling College, Bradford", "school"),
    ("Kirkgate Market, Leeds city centre", "other"),
]
# Each text about the child takes their pronouns: {they} {them} {their} (she her her, he him his).
FOUND = [
    ("A friend's flat, Harehills Lane", "friend_address", "Stayed at a friend's after an argument at home."),
    ("Leeds bus station", "transport", "Spent the night travelling on buses."),
    ("An address linked to an older male, Dewsbury", "adult_of_concern", "Was given alcohol by older males."),
    ("{Their} aunt's house, Bradford", "family_address", "Wanted to see {their} family."),
    ("Returned to the home at 02:30", "returned_self", "Would not say where {they} had been."),
]
INFORMANTS = {
    "care_home": ("Jo Carer", "Residential care worker"),
    "home": ("Denise {surname}", "Mother"),
    "foster": ("Mark Hill", "Foster carer"),
    "school": ("Priya Shah", "Designated safeguarding lead"),
    "other": ("Denise {surname}", "Mother"),
}
PLACEMENTS = {
    "care_home": "Oak House children's home\n12 Chapeltown Road\nLeeds LS7 3AA",
    "foster": "14 Victoria Avenue\nHorsforth\nLeeds LS18 4PJ",
}
HEIGHTS = ["4 feet 11", "5 feet 2", "5 feet 4", "5 feet 7", "5 feet 9"]
BUILDS = ["Slim", "Medium", "Slight", "Stocky", "Tall and thin"]
HAIR = [
    "Long, dark brown, often tied back",
    "Short, blonde",
    "Black, braided",
    "Ginger, shoulder length",
    "Brown, shaved at the sides",
]
FEATURES = [
    "Pierced left ear",
    "Glasses with black frames",
    "Small scar above {their} right eyebrow",
    "Braces on {their} teeth",
    "",
]
CLOTHING = [
    "Black puffer jacket, grey joggers, white trainers",
    "Navy school blazer, black trousers, black shoes",
    "Red hoodie with the hood up, blue jeans, black trainers",
    "Green parka, black leggings, pink trainers, small black rucksack",
    "Grey tracksuit, black baseball cap, white trainers",
]


def pronouns(child: Any) -> dict[str, str]:
    """The words for ``child`` in the demo's text: she/her/her, he/him/his, or they/them/their when the
    register does not know their sex."""
    sex = getattr(child, "sex", "")
    words = {"female": ("she", "her", "her"), "male": ("he", "him", "his")}.get(sex, ("they", "them", "their"))
    named = dict(zip(("they", "them", "their"), words, strict=True))
    return {**named, **{key.capitalize(): value.capitalize() for key, value in named.items()}}


def about(child: Any, text: str) -> str:
    """``text`` with {they}, {them}, {their} (or capitalised) as the words for ``child``."""
    return text.format(**pronouns(child))


def _users() -> dict[str, User] | None:
    names = [HANDLER, OFFICER, SERGEANT, INSPECTOR, INVESTIGATOR]
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    return users if len(users) == len(names) else None


def _children(count: int) -> list[Any]:
    """Demo children (under 18 today), oldest records first."""
    from haven.people.models import Person

    today = clock.now().date()
    cutoff = today.replace(year=today.year - 18)
    lowest = today.replace(year=today.year - 10)
    return list(
        Person.objects.filter(
            merged_into=None, is_restricted=False, date_of_birth__gt=cutoff, date_of_birth__lt=lowest
        ).order_by("id")[:count]
    )


def _source(who: str = "Residential carer on duty") -> InformationSourceIn:
    return InformationSourceIn(
        information="Not back by curfew; phone going to voicemail; took a bag with clothes.",
        provider_name=who,
        provider_contact="0113 496 0101",
        obtained_at=clock.now() - timedelta(minutes=10),
    )


def _report(u: dict[str, User], child: Any, n: int, *, grade: str | None, home: int | None = None) -> Episode:
    """A report of ``child`` (the ``n``-th of the demo's), made a few minutes after the call came in,
    with the child's description and what they wore. ``home``: where the child lives (an index of
    PLACES): the same for every report of one child, so their record is not changed back and forth."""
    where, kind = PLACES[(n if home is None else home) % len(PLACES)]
    placed = kind in PLACEMENTS
    look = child.pk + n  # the same child looks much the same each time; what they wear changes
    report = EpisodeReportIn(
        child=child.public_id,
        informant_name=INFORMANTS[kind][0].format(surname=child.surname),
        informant_relationship=INFORMANTS[kind][1],
        informant_contact="0113 496 0101",
        called_at=clock.now() - timedelta(minutes=6 + n % 5),
        last_seen_at=clock.now() - timedelta(hours=2),
        last_seen_where=where,
        missing_from=MissingFrom(kind),
        placement_address=PLACEMENTS.get(kind, ""),
        circumstances=about(
            child,
            "Left after an argument about {their} phone and did not come back by the agreed time; "
            "{they} said {they} would stay with a friend.",
        ),
        out_of_character=n % 3 == 0,
        height=HEIGHTS[child.pk % len(HEIGHTS)],
        build=BUILDS[child.pk % len(BUILDS)],
        hair=HAIR[child.pk % len(HAIR)],
        features=about(child, FEATURES[child.pk % len(FEATURES)]),
        clothing=CLOTHING[look % len(CLOTHING)],
        phone_numbers=[f"07700 900{child.pk % 1000:03d}"],
        risks_to_finder="Asthmatic; may run from officers in uniform." if n % 4 == 1 else "",
        looked_after=placed,
        responsible_authority="Leeds City Council" if placed else "",
        host_authority="",
        philomena_exists=True if placed else None,
        idempotency_key=f"demo-{child.public_id}-{n}",
    )
    episode = services.episode_report(actor=u[HANDLER], data=report)
    if grade is not None:
        assessment = RiskAssessmentIn(
            grade=RiskGrade(grade),
            rationale="Child under 18; previous episodes; associates of concern. Graded at the force minimum or above.",
            sources=[_source()],
            cra_decision=CraDecision.NOT_APPROPRIATE,
            cra_reason="No indication of abduction or imminent danger to life.",
        )
        services.risk_assess(actor=u[HANDLER], episode=episode, data=assessment)
        services.obligation_record(
            actor=u[HANDLER], episode=episode, data=ObligationRecordIn(obligation=Obligation.PNC)
        )
        # The report waits in the response team's queue until the duty sergeant allocates it by name.
        case_allocate(actor=u[SERGEANT], case=episode.case, data=CaseAllocateIn(to_user=OFFICER, note="Trace."))
    episode.refresh_from_db()
    return episode


def _closed(u: dict[str, User], child: Any, n: int, days_ago: int, *, home: int, hours_missing: int = 14) -> Episode:
    with clock.moved(-timedelta(days=days_ago)):
        episode = _report(u, child, n, grade="medium", home=home)
        enquiry = services.enquiry_raise(
            actor=u[SERGEANT],
            episode=episode,
            data=EnquiryRaiseIn(
                type=EnquiryType.ADDRESS_CHECK,
                description="Check the friend's address on Harehills Lane.",
                allocated_to=OFFICER,
            ),
        )
        review = SupervisorReviewIn(decision="Grade right. Address checks first.")
        services.review_record(actor=u[SERGEANT], episode=episode, data=review)
        result = EnquiryResultIn(result=about(child, "Not there; the friend had not seen {them}."))
        services.enquiry_complete(actor=u[OFFICER], enquiry=enquiry, data=result)
    where, code, why = (about(child, text) for text in FOUND[n % len(FOUND)])
    with clock.moved(-timedelta(days=days_ago) + timedelta(hours=hours_missing)):
        found = EpisodeFoundIn(
            found_at=clock.now() - timedelta(minutes=20),
            found_where=where,
            found_where_code=WhereFound(code),
            found_by="PC Tom Jones",
            condition="Tired and hungry; no injuries seen.",
            rhi_authority=episode.responsible_authority or "Leeds City Council",
            rhi_recipient="missing.children@leeds.example",
        )
        services.episode_found(actor=u[OFFICER], episode=episode, data=found)
        interview = PreventionInterviewIn(
            done_at=clock.now(),
            mode=InterviewMode.IN_PERSON,
            why_went=why,
            what_happened="Moved between a friend's flat and the city centre.",
            with_whom=about(child, "Older males {they} met online")
            if code == "adult_of_concern"
            else "A school friend",
        )
        services.prevention_interview_record(actor=u[OFFICER], episode=episode, data=interview)
    with clock.moved(-timedelta(days=days_ago) + timedelta(hours=hours_missing + 30)):
        rhi = ReturnInterviewIn(
            status=RhiStatus.COMPLETED if n % 2 else RhiStatus.DECLINED,
            interviewer="Horizon Youth Service" if n % 2 else "",
            reason="" if n % 2 else "Child declined when the worker called.",
            themes="Conflict with staff; peer pressure; money for travel from older friends." if n % 2 else "",
        )
        services.rhi_update(actor=u[OFFICER], episode=episode, data=rhi)
        episode.refresh_from_db()  # the found step set its exploitation prompt (M-16)
        if episode.exploitation_prompt:
            exploitation = ExploitationRecordIn(
                outcome=ExploitationOutcome.REVIEW_REQUESTED, note="Referred to the child exploitation team for review."
            )
            services.exploitation_record(actor=u[SERGEANT], episode=episode, data=exploitation)
        if Obligation.CHILDRENS_SERVICES in rules.outstanding_obligations(episode):
            told = ObligationRecordIn(obligation=Obligation.CHILDRENS_SERVICES)
            services.obligation_record(actor=u[SERGEANT], episode=episode, data=told)
        closing = EpisodeCloseIn(
            reason_missing=REASONS[n % len(REASONS)],
            reason="Found safe; prevention interview done; return interview offered.",
        )
        services.episode_close(actor=u[SERGEANT], episode=episode, data=closing)
    return episode


@transaction.atomic
def seed_missing() -> int:
    """Create the demo episodes unless any exist; return how many were created."""
    if Episode.objects.exists():
        return 0
    u = _users()
    children = _children(8)
    if u is None or len(children) < 8:
        return 0
    repeat_a, repeat_b, repeat_c, overdue, ungraded, found, cancelled, exploited = children
    created = 0
    # Repeat missing: three or more episodes in the last 90 days.
    for n, days in enumerate((80, 45, 20)):
        _closed(u, repeat_a, n, days, home=0)
        created += 1
    for n, days in enumerate((200, 70, 40, 10)):
        _closed(u, repeat_b, n + 1, days, home=1, hours_missing=30)
        created += 1
    for n, days in enumerate((60, 25, 5)):
        _closed(u, repeat_c, n + 2, days, home=2, hours_missing=8)
        created += 1
    _closed(u, exploited, 2, 3, home=0)  # found with an adult of concern: M-16 prompt, review requested
    created += 1
    # Missing now: repeat child A again, high risk.
    with clock.moved(-timedelta(hours=3)):
        high = _report(u, repeat_a, 9, grade="high", home=0)
        review = SupervisorReviewIn(decision="High: inspector informed, IO to be named.")
        services.review_record(actor=u[SERGEANT], episode=high, data=review)
    # An investigator of another team saw the child: finding a missing child is every officer's job.
    sighting = SightingIn(
        seen_at=clock.now() - timedelta(minutes=40),
        where="Leeds City bus station, stand 12",
        information="With two older males, heading towards the market. Hood up, grey rucksack.",
    )
    services.sighting_record(actor=u[INVESTIGATOR], episode=high, data=sighting)
    # And a child seen by name whom no episode matches: for the duty sergeant to follow up.
    by_name = SightingReportIn(
        child_name="Jade Morris",
        seen_at=clock.now() - timedelta(hours=1),
        where="Outside the Co-op, Chapeltown Road",
        information="Girl of about 13 in school uniform, told a shop worker she had run away from her foster home.",
        source="Shop worker",
    )
    services.sighting_report(actor=u[INVESTIGATOR], data=by_name)
    created += 1
    # Missing now: medium with an overdue enquiry (no result recorded).
    with clock.moved(-timedelta(hours=6)):
        medium = _report(u, overdue, 4, grade="medium", home=4)
        cctv = EnquiryRaiseIn(
            type=EnquiryType.CCTV,
            description="Request CCTV from Kirkgate Market for 14:00 to 16:00.",
            due_at=clock.now() + timedelta(hours=2),
            allocated_to=OFFICER,
        )
        services.enquiry_raise(actor=u[SERGEANT], episode=medium, data=cctv)
    created += 1
    # Missing now: just reported, not yet graded.
    _report(u, ungraded, 1, grade=None, home=1)
    created += 1
    # Found an hour ago: the prevention interview is due.
    with clock.moved(-timedelta(hours=9)):
        episode = _report(u, found, 2, grade="medium", home=2)
    found = EpisodeFoundIn(
        found_at=clock.now() - timedelta(hours=1),
        found_where="Foster carer's home; returned by taxi",
        found_where_code=WhereFound.RETURNED_SELF,
        found_by="Foster carer",
        condition="Well.",
        rhi_authority=episode.responsible_authority or "Leeds City Council",
        rhi_recipient="missing.children@leeds.example",
    )
    services.episode_found(actor=u[OFFICER], episode=episode, data=found)
    created += 1
    # Not missing after all.
    with clock.moved(-timedelta(days=2)):
        episode = _report(u, cancelled, 3, grade=None, home=3)
        cancel = EpisodeCancelIn(reason="Was asleep at a neighbour's; seen by PC.")
        services.episode_cancel(actor=u[HANDLER], episode=episode, data=cancel)
    created += 1
    return created
