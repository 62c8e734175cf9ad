"""The gate (T-01): allowed alone, allowed with approval by a signed-off colleague, or refused, with
the reason in words; from force policy; expiry on the day; sign-off not by the mentor; overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps

from haven.audit.models import AccessEvent
from haven.core.errors import Conflict, ValidationFailed
from haven.core.operations import run
from haven.policy.schemas import PolicySetIn
from haven.policy.services import policy_set
from haven.workforce import operations, policy
from haven.workforce.choices import Activity, Answer, CompetenceState
from haven.workforce.models import Competence, OfficerQualification
from haven.workforce.services import may

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # 12:00 in London (BST)


@pytest.fixture(autouse=True)
def _noon(clock):
    clock.freeze(NOON)


def _set(make_user, setting, value):
    admin = make_user("admin", roles=("administrator",), team=None)
    policy_set(actor=admin, setting=setting, data=PolicySetIn(value=value, reason="Force training policy 2026"))


def test_t01_an_officer_without_the_qualification_is_refused_with_the_reason(make_user):
    officer = make_user("pc", roles=("investigator",))

    decision = may(officer, Activity.HIGH_RISK_MISSING_INVESTIGATION)

    assert decision.answer == Answer.REFUSED
    assert "has no record of PIP level 2" in decision.reason


def test_t01_an_officer_with_the_qualification_is_allowed_alone(make_user, qualify):
    officer = make_user("pc", roles=("investigator",))
    qualify(officer, "pip2", on=date(2024, 3, 1))

    decision = may(officer, Activity.HIGH_RISK_MISSING_INVESTIGATION)

    assert decision.answer == Answer.ALONE
    assert decision.allowed


def test_t01_the_qualifications_needed_are_force_policy(make_user, qualify):
    officer = make_user("pc", roles=("investigator",))
    qualify(officer, "pip2", on=date(2024, 3, 1))
    _set(make_user, policy.HIGH_RISK_MISSING_INVESTIGATION, ["pip2", "scaidp"])

    decision = may(officer, Activity.HIGH_RISK_MISSING_INVESTIGATION)

    assert decision.answer == Answer.REFUSED
    assert "Specialist Child Abuse Investigator Development Programme" in decision.reason


def test_t01_abe_expiry_moves_an_officer_from_allowed_to_refused_on_the_day(make_user, qualify, clock):
    officer = make_user("pc", roles=("investigator",))
    qualify(officer, "abe", on=date(2023, 6, 2))  # a 36-month refresher: due by 2 June 2026
    assert OfficerQualification.objects.get(officer=officer).expires_on == date(2026, 6, 2)

    clock.freeze(datetime(2026, 6, 1, 22, 59, tzinfo=UTC))  # 23:59 on 1 June in London
    assert may(officer, Activity.VISUALLY_RECORDED_INTERVIEW).answer == Answer.ALONE

    clock.freeze(datetime(2026, 6, 1, 23, 0, tzinfo=UTC))  # midnight: 2 June in London
    decision = may(officer, Activity.VISUALLY_RECORDED_INTERVIEW)
    assert decision.answer == Answer.REFUSED
    assert decision.reason == "Achieving Best Evidence interviewing expired on 2 June 2026."


def test_t01_a_refresher_renews_the_expiry(make_user, qualify, clock):
    officer = make_user("pc", roles=("investigator",))
    qualify(officer, "abe", on=date(2023, 5, 1))
    assert may(officer, Activity.VISUALLY_RECORDED_INTERVIEW).answer == Answer.REFUSED

    qualify(officer, "abe", on=date(2026, 5, 20), evidence="Refresher 2026/17")

    record = OfficerQualification.objects.get(officer=officer)
    assert (record.expires_on, record.evidence_reference) == (date(2029, 5, 20), "Refresher 2026/17")
    assert may(officer, Activity.VISUALLY_RECORDED_INTERVIEW).answer == Answer.ALONE
    assert apps.get_model("workforce", "OfficerQualificationEvent").objects.filter(pgh_obj=record).count() == 2


def _start(actor, officer, mentor, activity=Activity.CRSU_SHARE_INFORMATION):
    return run(
        operations.competence_start,
        actor=actor,
        target=officer,
        data={"activity": activity, "mentor": mentor.username, "started_on": "2026-05-01"},
    )


def _step(op, actor, officer, activity=Activity.CRSU_SHARE_INFORMATION, **data):
    return run(op, actor=actor, target=officer, data={"activity": activity, **data})


def test_t01_a_trainee_with_a_mentor_is_allowed_only_with_approval(make_user, qualify, sergeant):
    trainee = make_user("trainee", roles=("crsu_officer",))
    mentor = make_user("mentor", roles=("crsu_officer",))
    qualify(trainee, "crsu_researcher", on=date(2026, 4, 1))
    assert may(trainee, Activity.CRSU_SHARE_INFORMATION).answer == Answer.REFUSED  # not yet in training

    _start(sergeant, trainee, mentor)

    decision = may(trainee, Activity.CRSU_SHARE_INFORMATION)
    assert decision.answer == Answer.WITH_APPROVAL
    assert "needs the approval of a colleague signed off" in decision.reason
    assert mentor.display_name in decision.reason


def test_t01_a_supervisor_who_is_not_the_mentor_signs_off_every_step_dated(make_user, qualify, sergeant, clock):
    trainee = make_user("trainee", roles=("crsu_officer",))
    mentor = make_user("mentor", roles=("supervisor",))
    qualify(trainee, "crsu_researcher", on=date(2026, 4, 1))
    _start(sergeant, trainee, mentor)
    _step(operations.competence_assess, mentor, trainee, note="Observed three shares")
    clock.travel(timedelta(days=2))

    _step(operations.competence_sign_off, sergeant, trainee)

    competence = Competence.objects.get(officer=trainee)
    assert competence.state == CompetenceState.SIGNED_OFF
    assert (competence.started_on, competence.assessed_on, competence.signed_off_on) == (
        date(2026, 5, 1),
        date(2026, 6, 1),
        date(2026, 6, 3),
    )
    assert (competence.assessed_by, competence.signed_off_by) == (mentor, sergeant)
    events = apps.get_model("workforce", "CompetenceEvent").objects.filter(pgh_obj=competence).order_by("pgh_id")
    assert [e.state for e in events] == ["in_training", "assessed", "signed_off"]
    assert may(trainee, Activity.CRSU_SHARE_INFORMATION).answer == Answer.ALONE


def test_t01_a_mentor_cannot_sign_off_their_own_mentee(make_user, qualify, sergeant):
    trainee = make_user("trainee", roles=("crsu_officer",))
    qualify(trainee, "crsu_researcher", on=date(2026, 4, 1))
    _start(sergeant, trainee, sergeant)  # the sergeant mentors
    _step(operations.competence_assess, sergeant, trainee)

    with pytest.raises(Conflict, match="A mentor cannot sign off their own mentee"):
        _step(operations.competence_sign_off, sergeant, trainee)

    assert Competence.objects.get(officer=trainee).state == CompetenceState.ASSESSED


def test_t01_force_policy_may_let_a_mentor_sign_off(make_user, qualify, sergeant):
    trainee = make_user("trainee", roles=("crsu_officer",))
    qualify(trainee, "crsu_researcher", on=date(2026, 4, 1))
    _set(make_user, policy.MENTOR_MAY_SIGN_OFF, True)
    _start(sergeant, trainee, sergeant)
    _step(operations.competence_assess, sergeant, trainee)

    _step(operations.competence_sign_off, sergeant, trainee)

    assert Competence.objects.get(officer=trainee).state == CompetenceState.SIGNED_OFF


def test_t01_sign_off_needs_an_assessment_first(make_user, qualify, sergeant):
    trainee = make_user("trainee", roles=("crsu_officer",))
    _start(sergeant, trainee, make_user("mentor"))

    with pytest.raises(Conflict, match="Only an assessed officer"):
        _step(operations.competence_sign_off, sergeant, trainee)


def test_t01_withdrawn_sign_off_refuses_with_the_date(make_user, qualify, sergeant):
    trainee = make_user("trainee", roles=("crsu_officer",))
    qualify(trainee, "crsu_researcher", on=date(2026, 4, 1))
    _start(sergeant, trainee, make_user("mentor"))

    _step(operations.competence_withdraw, sergeant, trainee, reason="Left the unit")

    decision = may(trainee, Activity.CRSU_SHARE_INFORMATION)
    assert decision.answer == Answer.REFUSED
    assert decision.reason == "Sign-off for this work was withdrawn on 1 June 2026."


def test_t01_an_inspector_s_override_needs_a_reason_is_logged_and_shown(make_user):
    officer = make_user("pc", roles=("investigator",))
    inspector = make_user("insp", roles=("inspector",), rank="DI")
    grant = {"activity": Activity.HIGH_RISK_MISSING_INVESTIGATION}

    with pytest.raises(ValidationFailed) as refused:
        run(operations.override_grant, actor=inspector, target=officer, data={**grant, "reason": ""})
    assert refused.value.fields["reason"] == ["Enter the reason"]

    run(operations.override_grant, actor=inspector, target=officer, data={**grant, "reason": "Only DC on duty"})

    decision = may(officer, Activity.HIGH_RISK_MISSING_INVESTIGATION)
    assert decision.answer == Answer.ALONE
    assert decision.reason.startswith("Allowed by DI ")
    assert decision.reason.endswith(": Only DC on duty")
    row = AccessEvent.objects.get(detail__step="override_grant")
    assert (row.actor, row.detail["reason"], row.detail["officer"]) == (inspector, "Only DC on duty", "pc")


def test_t01_an_override_ends(make_user, clock):
    officer = make_user("pc", roles=("investigator",))
    inspector = make_user("insp", roles=("inspector",))
    data = {"activity": Activity.HIGH_RISK_MISSING_INVESTIGATION, "reason": "Only DC on duty"}
    run(operations.override_grant, actor=inspector, target=officer, data=data)

    clock.travel(timedelta(days=7))

    assert may(officer, Activity.HIGH_RISK_MISSING_INVESTIGATION).answer == Answer.REFUSED


def test_t01_a_sergeant_cannot_override_the_gate(make_user):
    from haven.core.errors import Forbidden

    officer = make_user("pc", roles=("investigator",))
    sergeant = make_user("sgt2", roles=("supervisor",))

    with pytest.raises(Forbidden):
        run(
            operations.override_grant,
            actor=sergeant,
            target=officer,
            data={"activity": Activity.HIGH_RISK_MISSING_INVESTIGATION, "reason": "Busy"},
        )


def test_t01_a_picker_asks_the_gate_for_many_officers_in_as_many_queries_as_for_few(make_user, qualify, sergeant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haven.workforce.selectors import candidates

    def officers(count, start):
        made = [make_user(f"pc{start + i}", roles=("investigator",)) for i in range(count)]
        for officer in made[::2]:
            qualify(officer, "pip2", on=date(2025, 1, 1))
        return made

    few, many = officers(2, 0), officers(12, 10)
    queries = []
    for group in (few, many):
        with CaptureQueriesContext(connection) as captured:
            listed = candidates(user=sergeant, activity=Activity.HIGH_RISK_MISSING_INVESTIGATION, officers=group)
        queries.append(len(captured))
        assert [c.decision.allowed for c in listed].count(True) == (len(group) + 1) // 2

    assert queries[0] == queries[1]
