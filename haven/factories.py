"""Test data made the way Haven makes it: through the services.

Every person, case, missing episode and trigger plan a test needs is created by the same service a
page or the API calls, so it carries what the real thing carries (normalised names, the s62 row,
deadlines) and obeys the same rules. Like haven.demo, this module sits at the top of the layers:
tests use it (through the fixtures in the root conftest.py), no app imports it.

factory-boy builds each write's data (defaults, names unique in the run, times relative to Haven's
clock); each factory function then makes exactly one write with it, in one place: the service, or
the declared operation that checks the permission and calls it (haven.core.operations.run), as a
page or the API would. When a write's signature changes, only that one call changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

import factory

from haven.accounts import services as account_services
from haven.accounts.models import Team, User
from haven.accounts.schemas import UserOnServerIn
from haven.cases import services as case_services
from haven.cases.choices import CaseKind, Sensitivity
from haven.core import clock
from haven.core.operations import run
from haven.core.testing import DEFAULT_PASSWORD
from haven.missing import operations as missing_operations
from haven.people import services as people_services
from haven.people.schemas import PersonCreateIn
from haven.triggerplans import operations as plan_operations

if TYPE_CHECKING:
    from haven.cases.models import Case
    from haven.missing.models import Episode, RiskAssessment
    from haven.people.models import Person
    from haven.triggerplans.models import TriggerPlan

RECORDER = "recorder"


# --- Users -------------------------------------------------------------------------------------


class UserData(factory.DictFactory):
    username = factory.Sequence(lambda n: f"member{n}")
    first_name = "Test"
    last_name = factory.LazyAttribute(lambda o: o.username.title())
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = DEFAULT_PASSWORD


def user(
    *, roles: Iterable[str] = ("response_officer",), rank: str | None = "PC", team: str | None = "TEST", **data: Any
) -> User:
    """A user with ``roles``, of rank ``rank`` (a code) in team ``team`` (a code, made if new)."""
    # Reference data the migrations seed; a live-server test's flush may have removed it.
    account_services.rank_seed_defaults()
    if team:
        Team.objects.get_or_create(code=team, defaults={"name": f"Team {team}"})
    values = {**cast(dict[str, Any], UserData(**data)), "rank": rank, "team": team, "roles": list(roles)}
    return account_services.user_create(actor=None, data=UserOnServerIn.model_validate(values))


def recorder() -> User:
    """The investigator who records the people a test needs but does not say who recorded.

    One per test (found again by name), in no team, so they appear in no team's lists or alerts.
    """
    return User.objects.filter(username=RECORDER).first() or user(username=RECORDER, roles=("investigator",), team=None)


# --- People ------------------------------------------------------------------------------------


class PersonData(factory.DictFactory):
    forenames = "Child"
    surname = factory.Sequence(lambda n: f"Testchild{n}")
    # Names made in one run look alike to the duplicate check; every test person is someone new.
    duplicate_reason = "Test data: a different person"


def person(*, actor: User | None = None, **data: Any) -> Person:
    """A person recorded through ``person_create`` by ``actor`` (else the recorder).

    ``data``: forenames, surname, date_of_birth, is_restricted, duplicate_reason, or any other field
    ``person_create`` takes; unnamed ones get defaults (a surname unique in the run).
    """
    return people_services.person_create(
        actor=actor or recorder(), data=PersonCreateIn.model_validate(PersonData(**data))
    )


def born_years_ago(age: int) -> date:
    """A date of birth on 1 January that makes someone exactly ``age`` today (by Haven's clock)."""
    today = clock.now().date()
    years = age if (today.month, today.day) != (1, 1) else age + 1
    return date(today.year - years, 1, 1)


def child(*, age: int | None = 14, actor: User | None = None, **data: Any) -> Person:
    """A person aged ``age`` (None: date of birth unknown), unless ``date_of_birth`` is given."""
    if age is not None:
        data.setdefault("date_of_birth", born_years_ago(age))
    return person(actor=actor, **data)


_child = child  # for the factories below whose ``child`` argument hides the function


# --- Cases -------------------------------------------------------------------------------------


def case(
    *,
    owner: User,
    subject: Person | None = None,
    restricted: bool = False,
    members: Iterable[User] = (),
    kind: str = CaseKind.GENERAL,
    summary: str = "",
) -> Case:
    """A case about ``subject`` (else a new person) opened by ``owner`` through ``case_open``.

    ``restricted`` makes it a restricted case; ``members`` are then named through ``members_set``.
    """
    opened = case_services.case_open(
        actor=owner,
        subject=subject or person(),
        kind=kind,
        summary=summary,
        sensitivity=Sensitivity.RESTRICTED if restricted else Sensitivity.NORMAL,
    )
    if members:
        case_members(actor=owner, case=opened, members=members)
    return opened


def case_members(*, actor: User, case: Case, members: Iterable[User]) -> list[User]:
    """Name who may see a restricted case, through ``members_set``; the members, by username."""
    chosen = case_services.MembersIn(members=[member.username for member in members])
    saved = case_services.members_set(actor=actor, case=case, data=chosen)
    return list(saved.members.order_by("username"))


# --- Missing episodes --------------------------------------------------------------------------


class ReportData(factory.DictFactory):
    """A report of a child missing from a care home, last seen two hours ago."""

    informant_name = "Jo Carer"
    informant_relationship = "Residential carer"
    informant_contact = "07700 900123"
    last_seen_at = factory.LazyFunction(lambda: clock.now() - timedelta(hours=2))
    last_seen_where = "Oak House children's home, Leeds"
    missing_from = "care_home"
    circumstances = "Left after an argument, did not return by curfew."
    out_of_character = False


class SourceData(factory.DictFactory):
    information = "Took her phone; has been seen with older males."
    provider_name = "Jo Carer"
    provider_contact = "07700 900123"
    obtained_at = factory.LazyFunction(lambda: clock.now() - timedelta(minutes=5))


def source(**data: Any) -> dict[str, Any]:
    """One information source of a risk assessment (M-02), obtained five minutes ago."""
    return cast(dict[str, Any], SourceData(**data))


class AssessmentData(factory.DictFactory):
    """A medium grade for a looked-after child, Child Rescue Alert considered (M-08)."""

    grade = "medium"
    rationale = "Looked-after child, exploitation concerns."
    sources = factory.LazyFunction(lambda: [source()])
    cra_decision = "not_appropriate"
    cra_reason = "No evidence of abduction."


def episode(
    *, reporter: User, child: Person | None = None, grade: str = "", assessor: User | None = None, **data: Any
) -> Episode:
    """A child (else a new one aged 14) reported missing by ``reporter`` through ``episode_report``.

    ``data``: any field of the report. With ``grade``, the episode is then graded by ``assessor``
    (else the reporter) through :func:`assessment`.
    """
    report = {"child": (child or _child()).public_id, **cast(dict[str, Any], ReportData(**data))}
    reported = run(missing_operations.episode_report, actor=reporter, data=report)
    if grade:
        assessment(assessor=assessor or reporter, episode=reported, grade=grade)
        reported.refresh_from_db()
    return reported


def assessment(*, assessor: User, episode: Episode, **data: Any) -> RiskAssessment:
    """A risk assessment of ``episode`` by ``assessor`` through ``risk_assess`` (medium unless ``grade``)."""
    return run(missing_operations.risk_assess, actor=assessor, target=episode, data=AssessmentData(**data))


# --- Trigger plans -----------------------------------------------------------------------------


class PlanData(factory.DictFactory):
    """Two agencies, one threshold, a review in 30 days, an address and a phone number to try."""

    agencies = factory.LazyFunction(lambda: ["Leeds children's social care", "Police missing coordinator"])
    thresholds = factory.LazyFunction(lambda: ["Missing overnight"])
    review_date = factory.LazyFunction(lambda: (clock.now() + timedelta(days=30)).date())
    actions = factory.LazyFunction(
        lambda: [
            {"kind": "address", "target": "14 Mill Lane, Leeds LS9 8AB", "instructions": "Ask for Dean."},
            {"kind": "phone", "target": "07700 900123"},
        ]
    )


def plan(*, author: User, child: Person | None = None, **data: Any) -> TriggerPlan:
    """A trigger plan for ``child`` (else a new one aged 14) written by ``author`` through ``plan_create``."""
    return run(plan_operations.plan_create, actor=author, target=child or _child(), data=PlanData(**data))
