"""Referrals fixtures: a response officer who raises referrals, the CRSU (a signed-off officer, a trainee,
an officer not yet in training, the unit's sergeant) and a way to raise a referral through the writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.core.operations import run
from haven.partners import services as partners
from haven.partners.choices import AgencyKind
from haven.partners.schemas import AgencyIn
from haven.referrals import operations
from haven.workforce import services as workforce
from haven.workforce.choices import Activity
from haven.workforce.schemas import CompetenceStartIn, CompetenceStepIn, QualificationRecordIn

COMPLETE = {
    "categories": ["neglect", "domestic_abuse"],
    "narrative": "Called to a domestic at 4 Elm Row. The kitchen had no food and the children were alone.",
    "child_seen": True,
    "child_spoken_to": True,
    "child_words": "Mum's friend shouts at us. I look after my brother.",
    "child_demeanour": "Quiet, watchful, flinched when the door banged.",
    "officer_grade": "high",
    "immediate_actions": "Children taken to their grandmother's with the mother's agreement.",
}


@pytest.fixture
def crsu(make_user: Callable[..., Any]) -> dict[str, Any]:
    """The CRSU: ``lead`` signed off to share; ``trainee`` in training (shares with approval);
    ``untrained`` holding nothing (refused); ``sergeant``, the unit's DS (mentor); an inspector."""
    people = {
        "sergeant": make_user("crsuds", roles=("supervisor",), rank="DS", team="CRSU"),
        "inspector": make_user("crsuinsp", roles=("inspector",), rank="DI", team="CRSU"),
        "lead": make_user("crsulead", roles=("crsu_officer",), rank="DC", team="CRSU"),
        "trainee": make_user("crsutrainee", roles=("crsu_officer",), rank="DC", team="CRSU"),
        "untrained": make_user("crsunew", roles=("crsu_officer",), rank="DC", team="CRSU"),
    }
    sergeant, inspector = people["sergeant"], people["inspector"]
    day = clock.now().date() - timedelta(days=60)
    activity = Activity.CRSU_SHARE_INFORMATION
    for who in ("lead", "trainee", "sergeant"):
        workforce.qualification_record(
            actor=inspector,
            officer=people[who],
            data=QualificationRecordIn(qualification="crsu_researcher", achieved_on=day, evidence_reference="Course"),
        )
    for who in ("lead", "trainee", "sergeant"):
        mentor = inspector if who == "sergeant" else sergeant
        workforce.competence_start(
            actor=mentor,
            officer=people[who],
            data=CompetenceStartIn(activity=activity, mentor=mentor.username, started_on=day),
        )
    for who in ("lead", "sergeant"):
        workforce.competence_assess(actor=inspector, officer=people[who], data=CompetenceStepIn(activity=activity))
        signer = inspector if who == "lead" else people.get("other_signer")
        if signer is None:
            signer = make_user("crsusigner", roles=("inspector",), rank="DCI", team="CRSU")
            people["other_signer"] = signer
        workforce.competence_sign_off(actor=signer, officer=people[who], data=CompetenceStepIn(activity=activity))
    return people


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user("pcjones", roles=("response_officer",), rank="PC", team="RESP-A")


@pytest.fixture
def child(make_child: Callable[..., Any]) -> Any:
    return make_child("Maisie", "Holt", age=9)


@pytest.fixture
def raise_referral(officer: Any, child: Any) -> Callable[..., Any]:
    """``raise_referral(by=officer, about=child, submit=True, **changes)``: a referral written in full
    (``COMPLETE`` with ``changes``) and, unless ``submit=False``, sent to the CRSU."""

    def make(*, by: Any = None, about: Any = None, submit: bool = True, **changes: Any) -> Any:
        by, about = by or officer, about or child
        referral = run(operations.referral_start, actor=by, data={"child": str(about.public_id)})
        run(operations.referral_update, actor=by, target=referral, data={**COMPLETE, **changes})
        if submit:
            run(operations.referral_submit, actor=by, target=referral, data={})
        referral.refresh_from_db()
        return referral

    return make


@pytest.fixture
def agency(make_user: Callable[..., Any]) -> Any:
    """Northshire's children's services, a partner agency (haven.partners)."""
    admin = make_user("partneradmin", roles=("administrator",), team="ADMIN")
    return partners.agency_create(
        actor=admin,
        data=AgencyIn(
            name="Northshire children's services",
            kind=AgencyKind.CHILDRENS_SERVICES,
            local_authority="Northshire County Council",
            notice_email="mash@northshire.example",
        ),
    )


@pytest.fixture
def share(agency: Any) -> dict[str, Any]:
    """A decision to share with the agency, with its lawful basis and reason (S-04)."""
    return {
        "decision": "share",
        "lawful_basis": "safeguarding",
        "reason": "The children are at risk of neglect; children's services must assess today.",
        "agency": str(agency.public_id),
    }
