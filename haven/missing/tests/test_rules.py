"""The missing-children rules M-01..M-13 and M-16, each proved through the writes: the permission,
the input model and the service, as a page or the API makes them (the ``write`` fixture)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.db import IntegrityError, transaction

from haven import factories
from haven.cases.choices import CaseKind, CaseState
from haven.core import clock
from haven.core.errors import Conflict, Forbidden, ValidationFailed
from haven.factories import source
from haven.missing import deadlines as dl
from haven.missing import operations
from haven.missing.choices import RISK_VOCABULARY_VERSION, EpisodeState, Obligation
from haven.missing.models import Episode, InformationSource, RiskAssessment

pytestmark = pytest.mark.django_db


def _deadline(episode, key):
    from haven.deadlines.models import Deadline

    return Deadline.objects.filter(case=episode.case, key=key).order_by("-id").first()


@pytest.fixture
def assess(write):
    """``assess(actor, episode, **answers)``: a medium grade with one source, Child Rescue Alert considered."""

    def make(actor, episode, **kw):
        values: dict[str, Any] = {
            "grade": "medium",
            "rationale": "Out of character; phone off.",
            "sources": [source()],
            "cra_decision": "not_appropriate",
            "cra_reason": "No abduction indicators.",
        }
        values.update(kw)
        return write(operations.risk_assess, actor, episode, **values)

    return make


@pytest.fixture
def found(write):
    """``found(actor, episode, **answers)``: found at the bus station now, the RHI notice to Leeds."""

    def make(actor, episode, **kw):
        values: dict[str, Any] = {
            "found_at": clock.now(),
            "found_where": "Leeds bus station",
            "found_where_code": "transport",
            "found_by": "PC Amir Shah",
            "condition": "Cold, no injuries",
            "rhi_authority": "Leeds City Council",
            "rhi_recipient": "missing.children@leeds.example",
        }
        values.update(kw)
        return write(operations.episode_found, actor, episode, **values)

    return make


def _report_of(child, **kw):
    return {"child": child.public_id, **cast(dict[str, Any], factories.ReportData(**kw))}


# --- Report -------------------------------------------------------------------------------------


def test_report_opens_a_missing_case_owned_by_the_call_handler(report, call_handler):
    episode = report()
    assert episode.case.kind == CaseKind.MISSING
    assert episode.case.owner == call_handler
    assert episode.state == EpisodeState.REPORTED
    assert _deadline(episode, dl.pnc_key(episode)) is not None


def test_report_refused_for_a_child_already_missing(report, make_child):
    child = make_child()
    report(child=child)
    with pytest.raises(Conflict):
        report(child=child)


def test_report_with_the_same_idempotency_key_returns_the_same_episode(report, make_child):
    child = make_child()
    first = report(child=child, idempotency_key="cad-123")
    again = report(child=child, idempotency_key="cad-123")
    assert again.pk == first.pk
    assert Episode.objects.filter(child=child).count() == 1


def test_report_refused_for_roles_without_create(write, officer, make_child):
    with pytest.raises(Forbidden):
        write(operations.episode_report, officer, **_report_of(make_child()))


def test_report_needs_when_and_where_last_seen(write, call_handler, make_child):
    child = make_child()
    with pytest.raises(ValidationFailed) as exc:
        write(operations.episode_report, call_handler, **_report_of(child, last_seen_at=None, last_seen_where=""))
    assert {"last_seen_at", "last_seen_where"} <= set(exc.value.fields)
    assert not Episode.objects.filter(child=child).exists()


def test_report_refused_for_a_child_last_seen_in_the_future(write, call_handler, make_child):
    later = clock.now() + timedelta(hours=1)
    with pytest.raises(ValidationFailed) as exc:
        write(operations.episode_report, call_handler, **_report_of(make_child(), last_seen_at=later))
    assert exc.value.fields["last_seen_at"] == ["The date the child was last seen must be in the past"]


def test_report_refused_for_a_child_the_reporter_cannot_see(write, call_handler, make_child):
    hidden = make_child(is_restricted=True)
    with pytest.raises(ValidationFailed) as exc:
        write(operations.episode_report, call_handler, **_report_of(hidden))
    assert list(exc.value.fields) == ["child"]


# --- M-01 ---------------------------------------------------------------------------------------


def test_m01_grade_comes_from_the_vocabulary_and_stores_its_version(report, supervisor, assess):
    episode = report()
    with pytest.raises(ValidationFailed) as exc:
        assess(supervisor, episode, grade="absent")
    assert "grade" in exc.value.fields
    assessment = assess(supervisor, episode)
    assert assessment.vocabulary_version == RISK_VOCABULARY_VERSION
    episode.refresh_from_db()
    assert episode.grade == "medium"
    assert episode.state == EpisodeState.OPEN


def test_m01_an_ungraded_episode_has_a_deadline_for_its_first_assessment(report):
    episode = report()
    deadline = _deadline(episode, dl.review_key(episode))
    assert deadline is not None
    assert deadline.rule_id == "M-04"
    assert deadline.due_at <= clock.now() + timedelta(minutes=30)


def test_m01_grading_meets_the_first_assessment_deadline_and_the_review_is_a_deadline_of_its_own(
    report, supervisor, assess
):
    from haven.deadlines.models import Deadline

    episode = report()
    first = _deadline(episode, dl.review_key(episode))
    assert first.what == "Grade the risk (first risk assessment)"
    assert dl.REVIEW.label == "Risk assessment"  # the tag beside it on the home page: grading and reviews alike
    assess(supervisor, episode, grade="high")
    first.refresh_from_db()
    assert first.state == "met"  # met by the grading, not moved on to the review time
    assert first.met_by == supervisor
    review = _deadline(episode, dl.review_key(episode))
    assert review.pk != first.pk
    assert review.state == "open"
    assert review.what.startswith("Review the risk")
    episode.refresh_from_db()
    assert review.due_at == episode.next_review_due
    assert not Deadline.objects.filter(case=episode.case, what__startswith="Grade the risk", state="open").exists()
    # A re-grade moves the review; it never opens a second first-assessment deadline.
    assess(supervisor, episode, grade="medium")
    assert Deadline.objects.filter(case=episode.case, key=dl.review_key(episode)).count() == 2


def test_m01_the_database_refuses_an_assessment_without_a_vocabulary_version(graded):
    episode = graded()
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAssessment.objects.create(
            episode=episode,
            grade="low",
            vocabulary_version="",
            rationale="x",
            assessed_by=episode.case.owner,
            next_review_due=clock.now(),
        )


# --- M-02 ---------------------------------------------------------------------------------------


def test_m02_assessment_needs_a_rationale_and_a_source(report, supervisor, assess):
    episode = report()
    with pytest.raises(ValidationFailed) as exc:
        assess(supervisor, episode, rationale="", sources=[])
    assert "rationale" in exc.value.fields
    assert "sources" in exc.value.fields
    assert not RiskAssessment.objects.filter(episode=episode).exists()


def test_m02_each_source_needs_information_provider_contact_and_time(report, supervisor, assess):
    episode = report()
    with pytest.raises(ValidationFailed) as exc:
        assess(supervisor, episode, sources=[source(), source(provider_contact="", obtained_at=None)])
    assert set(exc.value.fields) == {"sources.1.provider_contact", "sources.1.obtained_at"}
    assert exc.value.fields["sources.1.provider_contact"] == ["Enter how to contact who gave it"]


def test_m02_sources_are_kept_with_the_assessment(report, supervisor, assess):
    episode = report()
    assessment = assess(supervisor, episode, sources=[source(), source(provider_name="School DSL")])
    assert [s.provider_name for s in assessment.sources.all()] == ["Jo Carer", "School DSL"]


# --- M-03 ---------------------------------------------------------------------------------------


def test_m03_regrade_appends_and_the_latest_is_current(graded, supervisor, assess):
    episode = graded("medium")
    assess(supervisor, episode, grade="high")
    episode.refresh_from_db()
    assert list(episode.assessments.values_list("grade", flat=True)) == ["medium", "high"]
    assert episode.grade == "high"


def test_m03_assessments_and_sources_cannot_be_edited_or_deleted(graded):
    episode = graded()
    assessment = episode.assessments.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAssessment.objects.filter(pk=assessment.pk).update(grade="low")
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationSource.objects.filter(assessment=assessment).update(information="changed")
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationSource.objects.filter(assessment=assessment).delete()
    assert RiskAssessment.objects.get(pk=assessment.pk).grade == "medium"


# --- M-04 ---------------------------------------------------------------------------------------


def test_m04_grade_sets_next_review_from_the_force_interval_as_a_deadline(report, supervisor, assess):
    episode = report()
    before = clock.now()
    assess(supervisor, episode, grade="high")
    episode.refresh_from_db()
    assert timedelta(minutes=59) <= episode.next_review_due - before <= timedelta(minutes=61)
    deadline = _deadline(episode, dl.review_key(episode))
    assert deadline.due_at == episode.next_review_due
    assert deadline.state == "open"


def test_m04_supervisor_review_meets_the_review_and_sets_the_next(graded, supervisor, write):
    episode = graded("medium")
    review = write(operations.review_record, supervisor, episode, decision="Grade right; chase CCTV.")
    episode.refresh_from_db()
    assert episode.next_review_due == review.next_review_due
    assert _deadline(episode, dl.review_key(episode)).due_at == review.next_review_due


def test_m04_no_meaningful_activity_deadline_for_medium_met_by_a_completed_enquiry(graded, supervisor, officer, write):
    episode = graded("medium")
    activity = _deadline(episode, dl.activity_key(episode))
    assert activity is not None
    assert activity.state == "open"
    enquiry = write(
        operations.enquiry_raise,
        supervisor,
        episode,
        type="address_check",
        description="Check 4 Elm Road",
        allocated_to=officer.username,
    )
    write(operations.enquiry_complete, officer, enquiry, result="Not there; friend says she went to town.")
    activity.refresh_from_db()
    assert activity.state == "met"


def test_m04_an_overdue_enquiry_is_shown_as_overdue_and_has_a_deadline(graded, supervisor, clock, write):
    episode = graded()
    enquiry = write(
        operations.enquiry_raise,
        supervisor,
        episode,
        type="cctv",
        description="Bus station CCTV",
        due_at=clock.now() + timedelta(hours=1),
    )
    from haven.deadlines.models import Deadline

    assert Deadline.objects.get(case=episode.case, key=dl.enquiry_key(enquiry)).due_at == enquiry.due_at
    assert not enquiry.is_overdue
    clock.travel(timedelta(hours=2))
    assert enquiry.is_overdue


# --- M-05 ---------------------------------------------------------------------------------------


def test_m05_very_low_needs_agreed_actions_and_a_latest_review_time(report, supervisor, assess):
    episode = report()
    with pytest.raises(ValidationFailed) as exc:
        assess(supervisor, episode, grade="very_low", floor_override_reason="17, known whereabouts")
    assert {"agreed_actions", "next_review_due"} <= set(exc.value.fields)
    with pytest.raises(ValidationFailed) as exc:
        assess(supervisor, episode, grade="very_low", next_review_due=clock.now() - timedelta(minutes=1))
    assert exc.value.fields["next_review_due"] == ["The date of the next review must be in the future"]
    assessment = assess(
        supervisor,
        episode,
        grade="very_low",
        floor_override_reason="Known to be at her aunt's; aunt called.",
        agreed_actions="Carer rings when she is back; police ring aunt at 22:00.",
        next_review_due=clock.now() + timedelta(hours=3),
    )
    assert assessment.agreed_actions


# --- M-06 ---------------------------------------------------------------------------------------


def test_m06_grade_below_floor_needs_supervisor_override(report, call_handler, assess):
    episode = report()
    with pytest.raises(ValidationFailed) as exc:
        assess(call_handler, episode, grade="low")
    assert "grade" in exc.value.fields
    assert not episode.assessments.exists()


def test_m06_supervisor_override_below_floor_needs_a_reason_and_is_recorded(report, supervisor, assess):
    episode = report()
    with pytest.raises(ValidationFailed) as exc:
        assess(supervisor, episode, grade="low")
    assert "floor_override_reason" in exc.value.fields
    assessment = assess(supervisor, episode, grade="low", floor_override_reason="Seen on CCTV with her mother.")
    assert assessment.floor_override_by == supervisor
    assert assessment.floor_override_reason == "Seen on CCTV with her mother."


def test_m06_the_floor_is_force_policy(report, call_handler, make_user, assess):
    from haven.policy import registry
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    admin = make_user("admin1", roles=("administrator",))
    policy_set(
        actor=admin,
        setting=registry.get("missing.child_grade_floor"),
        data=PolicySetIn(value="low", reason="Force decision 2026/14"),
    )
    episode = report()
    assessment = assess(call_handler, episode, grade="low")
    assert assessment.floor_override_by is None


def test_m06_an_adult_has_no_child_floor(report, call_handler, make_child, assess):
    episode = report(child=make_child(age=19))
    assert assess(call_handler, episode, grade="low").grade == "low"


# --- M-07 ---------------------------------------------------------------------------------------


def test_m07_high_risk_creates_a_deadline_per_obligation_met_when_recorded(graded, supervisor, make_user, write):
    episode = graded("high")
    for what in ("senior_manager", "investigating_officer", "ukmpu", "childrens_services", "media"):
        assert _deadline(episode, dl.high_risk_key(episode, Obligation(what))).state == "open", what
    inspector = make_user("insp", roles=("inspector",), team="MISS")
    write(operations.obligation_record, supervisor, episode, obligation="senior_manager", officer=inspector.username)
    write(operations.obligation_record, supervisor, episode, obligation="childrens_services")
    assert _deadline(episode, dl.high_risk_key(episode, Obligation.SENIOR_MANAGER)).state == "met"
    assert _deadline(episode, dl.high_risk_key(episode, Obligation.CHILDRENS_SERVICES)).state == "met"
    from haven.missing.rules import outstanding_obligations

    episode.refresh_from_db()
    assert [o.value for o in outstanding_obligations(episode)] == ["investigating_officer", "ukmpu", "media"]


def test_m07_media_decision_needs_the_decision(graded, supervisor, write):
    episode = graded("high")
    with pytest.raises(ValidationFailed) as exc:
        write(operations.obligation_record, supervisor, episode, obligation="media")
    assert list(exc.value.fields) == ["note"]


def test_m07_the_senior_manager_is_a_haven_user_named_by_username(graded, supervisor, write):
    episode = graded("high")
    with pytest.raises(ValidationFailed) as exc:
        write(operations.obligation_record, supervisor, episode, obligation="senior_manager")
    assert exc.value.fields == {"officer": ["Enter the name or collar number of the officer"]}
    with pytest.raises(ValidationFailed) as exc:
        write(operations.obligation_record, supervisor, episode, obligation="senior_manager", officer="nobody")
    assert exc.value.fields == {"officer": ["There is no Haven user called nobody"]}


# --- M-08 ---------------------------------------------------------------------------------------


def test_m08_child_at_medium_or_high_needs_a_child_rescue_alert_consideration(report, supervisor, assess):
    episode = report()
    with pytest.raises(ValidationFailed) as exc:
        assess(supervisor, episode, cra_decision="", cra_reason="")
    assert "cra_decision" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        assess(supervisor, episode, cra_decision="not_appropriate", cra_reason="")
    assert "cra_reason" in exc.value.fields
    assess(supervisor, episode)
    episode.refresh_from_db()
    assert episode.cra_decision == "not_appropriate"
    assert episode.cra_by == supervisor


def test_m08_not_needed_for_an_adult(report, supervisor, make_child, assess):
    episode = report(child=make_child(age=20))
    assert assess(supervisor, episode, cra_decision="", cra_reason="").grade == "medium"


# --- M-09 ---------------------------------------------------------------------------------------


def test_m09_pnc_circulation_deadline_is_force_policy_and_met_when_recorded(report, call_handler, write):
    episode = report()
    deadline = _deadline(episode, dl.pnc_key(episode))
    assert deadline.rule_id == "M-09"
    assert timedelta(hours=47) < deadline.due_at - episode.reported_at <= timedelta(hours=48)
    write(operations.obligation_record, call_handler, episode, obligation="pnc")
    deadline.refresh_from_db()
    episode.refresh_from_db()
    assert deadline.state == "met"
    assert episode.pnc_circulated_at is not None


# --- M-10 ---------------------------------------------------------------------------------------


def test_m10_handover_of_an_episode_needs_acknowledgement(graded, supervisor, officer):
    from haven.cases.schemas import HandoverIn
    from haven.cases.services import case_handover, case_handover_acknowledge

    episode = graded()
    handover = HandoverIn(to_user=officer.username, reason="Response to trace.")
    case_handover(actor=supervisor, case=episode.case, data=handover)
    episode.case.refresh_from_db()
    assert episode.case.owner != officer
    assert episode.case.pending_owner == officer
    case_handover_acknowledge(actor=officer, case=episode.case)
    episode.case.refresh_from_db()
    assert episode.case.owner == officer


# --- M-11 ---------------------------------------------------------------------------------------


def test_m11_close_refused_until_prevention_interview_recorded(graded, supervisor, found, write):
    episode = graded()
    found(supervisor, episode)
    with pytest.raises(ValidationFailed) as exc:
        write(operations.episode_close, supervisor, episode, reason_missing="friends", reason="Found safe.")
    assert "episode" in exc.value.fields
    write(
        operations.prevention_interview_record,
        supervisor,
        episode,
        done_at=clock.now(),
        mode="in_person",
        why_went="Argument at the home.",
        what_happened="Stayed at a friend's.",
    )
    closed = write(operations.episode_close, supervisor, episode, reason_missing="friends", reason="Found safe.")
    assert closed.state == EpisodeState.CLOSED
    closed.case.refresh_from_db()
    assert closed.case.state == CaseState.CLOSED


def test_m11_case_close_refused_for_a_missing_case_without_prevention_interview(graded, supervisor, found):
    from haven.cases.schemas import CaseCloseIn
    from haven.cases.services import case_close

    episode = graded()
    found(supervisor, episode)
    with pytest.raises(ValidationFailed):
        case_close(actor=supervisor, case=episode.case, data=CaseCloseIn(reason="Done"))


def test_m11_supervisor_waiver_with_reason_allows_closure(graded, supervisor, officer, found, write):
    episode = graded()
    found(supervisor, episode)
    with pytest.raises(Forbidden):
        write(operations.prevention_waive, officer, episode, reason="Refused")
    with pytest.raises(ValidationFailed) as exc:
        write(operations.prevention_waive, supervisor, episode, reason=" ")
    assert exc.value.fields == {"reason": ["Enter why no prevention interview was possible"]}
    write(operations.prevention_waive, supervisor, episode, reason="Moved out of area same day; LA informed.")
    closed = write(operations.episode_close, supervisor, episode, reason_missing="unknown", reason="Closed.")
    assert closed.state == EpisodeState.CLOSED


def test_m11_prevention_interview_deadline_starts_when_found(graded, supervisor, found):
    episode = graded()
    found(supervisor, episode)
    deadline = _deadline(episode, dl.prevention_key(episode))
    assert deadline.rule_id == "M-11"
    assert deadline.state == "open"


# --- M-12 ---------------------------------------------------------------------------------------


def test_m12_found_child_gets_an_rhi_notification_due_72h_logged_as_disclosure(graded, supervisor, found):
    from haven.audit.models import AccessEvent

    episode = graded()
    found_at = clock.now() - timedelta(hours=1)
    found(supervisor, episode, found_at=found_at)
    rhi = episode.return_interview
    assert rhi.due_at == found_at + timedelta(hours=72)
    assert rhi.status == "requested"
    assert _deadline(episode, dl.rhi_key(episode)).due_at == rhi.due_at
    disclosure = AccessEvent.objects.filter(operation="disclosure", case_ids__contains=[episode.case.public_id]).get()
    assert disclosure.recipients[0]["organisation"] == "Leeds City Council"


def test_m12_found_child_needs_the_authority_and_recipient(graded, supervisor, found):
    episode = graded()
    with pytest.raises(ValidationFailed) as exc:
        found(supervisor, episode, rhi_authority="", rhi_recipient="")
    assert {"rhi_authority", "rhi_recipient"} <= set(exc.value.fields)


def test_m12_declined_or_not_done_needs_a_reason_and_meets_the_deadline(graded, supervisor, found, write):
    episode = graded()
    found(supervisor, episode)
    with pytest.raises(ValidationFailed) as exc:
        write(operations.rhi_update, supervisor, episode, status="declined")
    assert list(exc.value.fields) == ["reason"]
    write(operations.rhi_update, supervisor, episode, status="declined", reason="Child declined by phone.")
    assert _deadline(episode, dl.rhi_key(episode)).state == "met"


# --- M-13 ---------------------------------------------------------------------------------------


def test_m13_looked_after_child_needs_responsible_authority_and_philomena_answer(
    report, write, call_handler, make_child
):
    looked_after = _report_of(make_child(), looked_after=True, responsible_authority="", philomena_exists=None)
    with pytest.raises(ValidationFailed) as exc:
        write(operations.episode_report, call_handler, **looked_after)
    assert {"responsible_authority", "philomena_exists"} <= set(exc.value.fields)
    episode = report(looked_after=True, responsible_authority="Bradford", host_authority="Leeds", philomena_exists=True)
    assert (episode.responsible_authority, episode.host_authority) == ("Bradford", "Leeds")


def test_m13_flags_of_a_looked_after_child_fill_the_report(report, make_child):
    from haven.people.models import Flag

    child = make_child()
    Flag.objects.create(person=child, kind="looked_after", responsible_authority="Wakefield", host_authority="Leeds")
    Flag.objects.create(person=child, kind="philomena")
    episode = report(child=child)
    assert episode.looked_after
    assert episode.responsible_authority == "Wakefield"
    assert episode.philomena_exists is True


def test_m13_philomena_obtained_when_its_enquiry_is_completed(graded, supervisor, write):
    episode = graded()
    enquiry = write(operations.enquiry_raise, supervisor, episode, type="philomena", description="Ask the home")
    write(operations.enquiry_complete, supervisor, enquiry, result="Received by e-mail")
    episode.refresh_from_db()
    assert episode.philomena_obtained_at is not None


# --- M-16 ---------------------------------------------------------------------------------------


def test_m16_child_with_exploitation_flag_prompts_review_on_new_episode(report, make_child):
    from haven.people.models import Flag

    child = make_child()
    Flag.objects.create(person=child, kind="exploitation_risk")
    episode = report(child=child)
    assert "exploitation" in episode.exploitation_prompt


def test_m16_found_with_adults_of_concern_prompts_review(graded, supervisor, found, write):
    episode = graded()
    assert episode.exploitation_prompt == ""
    found(supervisor, episode, with_adults_of_concern=True)
    episode.refresh_from_db()
    assert "adults of concern" in episode.exploitation_prompt
    write(operations.exploitation_record, supervisor, episode, outcome="review_requested", note="Referred to CE team")
    episode.refresh_from_db()
    assert episode.exploitation_outcome == "review_requested"


def test_m16_found_far_from_home_prompts_review(graded, supervisor, found):
    episode = graded()
    found(supervisor, episode, found_where_code="out_of_area")
    episode.refresh_from_db()
    assert "far from home" in episode.exploitation_prompt


# --- Other endings ------------------------------------------------------------------------------


def test_cancel_not_missing_closes_case_and_cancels_deadlines(graded, supervisor, write):
    episode = graded()
    write(operations.episode_cancel, supervisor, episode, reason="Was upstairs asleep.")
    episode.refresh_from_db()
    assert episode.state == EpisodeState.CANCELLED
    assert episode.case.state == CaseState.CLOSED
    assert _deadline(episode, dl.review_key(episode)).state == "cancelled"


def test_escalate_to_crime_and_found_deceased_end_the_episode(graded, supervisor, write):
    first = graded()
    write(operations.episode_escalate, supervisor, first, crime_reference="CR/123/26", reason="Abduction suspected")
    first.refresh_from_db()
    assert first.state == EpisodeState.ESCALATED
    second = graded()
    write(operations.episode_found_deceased, supervisor, second, found_at=clock.now(), found_where="River", reason="x")
    second.refresh_from_db()
    assert second.state == EpisodeState.DECEASED
    assert not hasattr(second, "return_interview") or second.return_interview is None


def test_a_new_episode_after_closure_is_a_new_episode(graded, supervisor, report, write):
    first = graded()
    write(operations.episode_cancel, supervisor, first, reason="Found at home")
    second = report(child=first.child)
    assert second.pk != first.pk
    assert second.case_id != first.case_id


def test_officer_allocated_an_enquiry_records_its_result(graded, supervisor, make_user, write):
    episode = graded()
    other_team = make_user("pc2", roles=("response_officer",), team="MISS")
    enquiry = write(
        operations.enquiry_raise,
        supervisor,
        episode,
        type="associates",
        description="Speak to Tia",
        allocated_to=other_team.username,
    )
    done = write(operations.enquiry_complete, other_team, enquiry, result="Tia has not seen her")
    assert done.status == "completed"
    assert done.completed_by == other_team


def test_m06_a_team_s_covering_supervisor_may_override_the_grade_and_another_team_s_sergeant_may_not(
    report, make_user, assess
):
    from haven.accounts.models import Team

    covering = make_user("coversgt", roles=("supervisor",), team="RESP")
    other = make_user("othersgt", roles=("supervisor",), team="CATE")
    Team.objects.filter(code="MISS").update(covering_supervisor=covering)
    episode = report()
    with pytest.raises(Forbidden):
        assess(other, episode, grade="low", floor_override_reason="Seen with her mother.")
    assessment = assess(covering, episode, grade="low", floor_override_reason="Seen with her mother.")
    assert assessment.floor_override_by == covering
