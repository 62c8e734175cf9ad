"""Demo data for the workforce (called by haven.demo.seed.seed_demo): every demo officer's skills as
the force's learning and development department would hold them, a CRSU trainee with a mentor (allowed
to share information with partners only with a signed-off colleague's approval), and a CATE
investigator whose ABE refresher expired last week (refused a visually recorded interview). Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from haven.accounts.models import User
from haven.workforce import services
from haven.workforce.choices import Activity
from haven.workforce.models import Competence, OfficerQualification, Override, add_months
from haven.workforce.schemas import (
    CompetenceStartIn,
    CompetenceStepIn,
    EstablishmentSetIn,
    OverrideGrantIn,
    QualificationRecordIn,
)
from haven.workforce.selectors import today

# (officer, qualification, months ago it was gained, evidence reference, verified by)
RECORDS = [
    ("investigator", "pip2", 50, "PIP2 registration 2022/118", "cateds"),
    ("investigator", "scaidp", 40, "SCAIDP cohort 14 certificate", "cateds"),
    ("investigator", "missing_elearning_1", 3, "College Learn completion", "cateds"),
    ("investigator", "missing_elearning_2", 3, "College Learn completion", "cateds"),
    ("cateds", "pip2", 90, "PIP2 registration 2019/042", "inspector"),
    ("cateds", "abe", 10, "ABE refresher 2026/03", "inspector"),
    ("crsu", "crsu_researcher", 2, "CRSU induction course, week 1-3", "crsuds"),
    ("crsu", "missing_elearning_1", 1, "College Learn completion", "crsuds"),
    ("crsuds", "crsu_researcher", 60, "CRSU researcher course 2021", "inspector"),
    ("response", "pip1", 30, "PIP1 portfolio signed 2024", "sergeant"),
    ("response", "missing_elearning_1", 11, "College Learn completion", "sergeant"),
    ("custody", "custody_officer", 48, "Custody officer course 2022", "inspector"),
    ("inspector", "designated_officer", 24, "Police protection input 2024", "inspector"),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def seed_workforce() -> int:
    """Create what is missing of the demo skills register; return how many records were created."""
    created = services.standard_qualifications_ensure()
    day = today()
    for username, code, months, evidence, verifier in RECORDS:
        officer, verified_by = _user(username), _user(verifier)
        if officer is None or verified_by is None:
            continue
        if OfficerQualification.objects.filter(officer=officer, qualification__code=code).exists():
            continue
        achieved = add_months(day, -months)
        services.qualification_record(
            actor=verified_by,
            officer=officer,
            data=QualificationRecordIn(qualification=code, achieved_on=achieved, evidence_reference=evidence),
        )
        created += 1
    created += _abe_expired_last_week(day)
    created += _crsu_trainee(day)
    created += _investigator_signed_off(day)
    created += seed_reports()
    return created


def _abe_expired_last_week(day: date) -> int:
    """The CATE investigator's ABE (a 36-month refresher) ran out seven days ago."""
    officer, sergeant = _user("investigator"), _user("cateds")
    if officer is None or sergeant is None:
        return 0
    if OfficerQualification.objects.filter(officer=officer, qualification__code="abe").exists():
        return 0
    services.qualification_record(
        actor=sergeant,
        officer=officer,
        data=QualificationRecordIn(
            qualification="abe",
            achieved_on=add_months(day - timedelta(days=7), -36),
            evidence_reference="ABE initial course certificate",
        ),
    )
    return 1


def _crsu_trainee(day: date) -> int:
    """The CRSU officer, five weeks into training to share information with partners, mentored by the
    unit's DS (so another supervisor signs them off, by force policy)."""
    officer, mentor = _user("crsu"), _user("crsuds")
    if officer is None or mentor is None:
        return 0
    if Competence.objects.filter(officer=officer, activity=Activity.CRSU_SHARE_INFORMATION).exists():
        return 0
    services.competence_start(
        actor=mentor,
        officer=officer,
        data=CompetenceStartIn(
            activity=Activity.CRSU_SHARE_INFORMATION, mentor=mentor.username, started_on=day - timedelta(weeks=5)
        ),
    )
    return 1


def _investigator_signed_off(day: date) -> int:
    """The CATE investigator was mentored by her DS, assessed, and signed off by the inspector."""
    officer, mentor, inspector = _user("investigator"), _user("cateds"), _user("inspector")
    if officer is None or mentor is None or inspector is None:
        return 0
    activity = Activity.LEAD_CHILD_ABUSE_INVESTIGATION
    if Competence.objects.filter(officer=officer, activity=activity).exists():
        return 0
    start = CompetenceStartIn(activity=activity, mentor=mentor.username, started_on=add_months(day, -30))
    services.competence_start(actor=mentor, officer=officer, data=start)
    services.competence_assess(actor=mentor, officer=officer, data=CompetenceStepIn(activity=activity))
    services.competence_sign_off(actor=inspector, officer=officer, data=CompetenceStepIn(activity=activity))
    return 1


# --- The force's report and capacity (reports.py) ----------------------------------------------------

# Response team A's constables who do not sign in to the demo (the report counts them): with PC Tom Jones,
# PS Ngozi Okafor and Insp Declan Walsh, ten officers. (username, first name, last name, collar number,
# months ago module 1 was done, months ago module 2 was done: None never; over 12 it has run out.)
RESPONSE_CONSTABLES = [
    ("resp1", "Ellie", "Marsh", "4602", 2, 2),
    ("resp2", "Ben", "Harper", "4613", 4, 3),
    ("resp3", "Nadia", "Rahman", "4628", 6, 6),
    ("resp4", "Liam", "O'Neill", "4631", 8, 7),
    ("resp5", "Grace", "Ward", "4645", 9, 9),
    ("resp6", "Josh", "Pike", "4650", None, 14),  # module 2 ran out two months ago
    ("resp7", "Maya", "Singh", "4662", None, None),
]
# The rest of the team's modules: PC Tom Jones did module 1 eleven months ago (RECORDS) and module 2
# with it; PS Okafor both five months ago; the inspector neither. 7 of 10 on each: 70 %.
RESPONSE_MODULES = [
    ("response", "missing_elearning_2", 11),
    ("sergeant", "missing_elearning_1", 5),
    ("sergeant", "missing_elearning_2", 5),
]
ESTABLISHMENT = {"IMU": 6, "RESP-A": 12, "CATE": 8, "OCSET": 4, "CRSU": 5, "CUSTODY": 6, "MOSOVO": 4}


def seed_reports() -> int:
    """Response team A at 70 % on the two missing-people modules (ten officers), every team's posts,
    and an inspector's override in force (the DMM board's officers working beyond their competence).
    Idempotent: returns how many things were created."""
    from haven.accounts.models import Team

    team, sergeant, admin = Team.objects.filter(code="RESP-A").first(), _user("sergeant"), _user("admin")
    if team is None or sergeant is None or admin is None:
        return 0
    created, day = 0, today()
    for username, first, last, collar, m1, m2 in RESPONSE_CONSTABLES:
        officer = _user(username) or _constable(username, first, last, collar)
        created += _module(officer, "missing_elearning_1", m1, sergeant, day)
        created += _module(officer, "missing_elearning_2", m2, sergeant, day)
    for username, code, months in RESPONSE_MODULES:
        member = _user(username)
        if member is not None:
            created += _module(member, code, months, sergeant, day)
    for code, posts in ESTABLISHMENT.items():
        found = Team.objects.filter(code=code).first()
        if found is not None and not hasattr(found, "establishment"):
            services.establishment_set(actor=admin, team=found, data=EstablishmentSetIn(posts=posts))
            created += 1
    return created + _override_in_force()


def _constable(username: str, first: str, last: str, collar: str) -> User:
    import secrets

    from haven.accounts.schemas import UserOnServerIn
    from haven.accounts.services import user_create
    from haven.core.permissions import Role

    return user_create(
        actor=None,
        data=UserOnServerIn(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.haven.invalid",
            password=secrets.token_urlsafe(24),  # they do not sign in to the demo
            rank="PC",
            team="RESP-A",
            roles=[Role.RESPONSE_OFFICER],
            collar_number=collar,
        ),
    )


def _module(officer: User, code: str, months: int | None, verifier: User, day: date) -> int:
    if months is None or OfficerQualification.objects.filter(officer=officer, qualification__code=code).exists():
        return 0
    services.qualification_record(
        actor=verifier,
        officer=officer,
        data=QualificationRecordIn(
            qualification=code, achieved_on=add_months(day, -months), evidence_reference="College Learn completion"
        ),
    )
    return 1


def _override_in_force() -> int:
    """DC Cerys Evans may complete ARMS assessments this week: MOSOVO's assessor is on leave."""
    officer, inspector = _user("investigator"), _user("inspector")
    if officer is None or inspector is None:
        return 0
    if Override.objects.filter(officer=officer, activity=Activity.ARMS_ASSESSMENT).exists():
        return 0
    services.override_grant(
        actor=inspector,
        officer=officer,
        data=OverrideGrantIn(
            activity=Activity.ARMS_ASSESSMENT,
            reason="MOSOVO's only ARMS assessor is on leave this week; DS Bello reviews each assessment.",
        ),
    )
    return 1
