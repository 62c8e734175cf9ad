"""M-15 (HARD): a trigger plan has an owner, agencies, directive actions, a review date that becomes a
deadline, and versions; superseded versions are read-only; an information-only plan is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from haven.cases.choices import CaseKind
from haven.core.errors import Conflict, Forbidden, ValidationFailed
from haven.core.operations import run
from haven.triggerplans import operations, selectors, services
from haven.triggerplans.deadlines import review_key
from haven.triggerplans.models import PlanAction, PlanVersion, TriggerPlan
from haven.triggerplans.tests.helpers import review

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(make_user):
    return make_user("mpc", roles=("investigator",), team="MISS")


def test_m15_information_only_plan_is_refused(writer, make_child, make_plan):
    child = make_child()
    for actions in (
        [],
        [{"kind": "other", "instructions": "Likes trains; often upset after contact visits."}],
    ):
        with pytest.raises(ValidationFailed) as refused:
            make_plan(writer, child, actions=actions)
        assert "information only" in refused.value.fields["actions"][0]
    assert not TriggerPlan.objects.exists()


def test_m15_each_directive_action_must_name_what_it_is_about(writer, make_child, make_plan):
    with pytest.raises(ValidationFailed) as refused:
        make_plan(
            writer, make_child(), actions=[{"kind": "address", "target": ""}, {"kind": "phone", "target": "07700"}]
        )
    assert refused.value.fields == {"actions.0.target": ["Enter the address"]}


def test_m15_an_action_may_name_a_person_from_the_register(writer, make_child, make_plan):
    child, associate = make_child(), make_child("Dean", "Associate")
    plan = make_plan(writer, child, actions=[{"kind": "associate", "person": associate.public_id}])
    [action] = plan.current.actions.all()
    assert action.person == associate
    assert action.enquiry_type == "associates"
    assert action.text == f"Contact or check an associate: {associate}"


def test_m15_plan_needs_an_agency_and_a_future_review_date_within_policy(writer, make_child, make_plan, clock):
    child = make_child()
    today = selectors.today()
    with pytest.raises(ValidationFailed) as no_agency:
        make_plan(writer, child, agencies=[])
    assert no_agency.value.fields == {"agencies": ["Name at least one agency involved in the plan"]}
    with pytest.raises(ValidationFailed) as blank_agency:
        make_plan(writer, child, agencies=[" "])
    assert blank_agency.value.fields == {"agencies.0": ["Name at least one agency involved in the plan"]}
    with pytest.raises(ValidationFailed) as not_ahead:
        make_plan(writer, child, review_date=today)
    assert not_ahead.value.fields == {"review_date": ["The review date must be in the future"]}
    with pytest.raises(ValidationFailed) as too_far:
        make_plan(writer, child, review_date=today + timedelta(days=91))
    assert "at the latest" in too_far.value.fields["review_date"][0]


def test_m15_create_opens_a_trigger_plan_case_owned_by_the_writer_and_logs_collection(
    writer, make_child, make_plan, events
):
    child = make_child()
    plan = make_plan(writer, child)
    assert plan.case.kind == CaseKind.TRIGGER_PLAN
    assert plan.case.subject == child
    assert plan.owner == writer
    assert plan.number == 1
    assert plan.current.agencies == ["Leeds children's social care", "Police missing coordinator"]
    assert [a.kind for a in plan.actions] == ["address", "phone"]
    assert events(case=plan.case, operation="collection", detail__version=1)


def test_m15_only_officers_who_record_enquiries_may_write_plans(make_user, make_child, make_plan):
    with pytest.raises(Forbidden):
        make_plan(make_user(roles=("call_handler",), team="IMU"), make_child())


def test_m15_a_child_has_one_open_plan(writer, make_child, make_plan):
    child = make_child()
    make_plan(writer, child)
    with pytest.raises(Conflict):
        make_plan(writer, child)


def test_m15_revision_supersedes_the_current_version(writer, make_child, make_plan, events):
    plan = make_plan(writer, make_child())
    new = run(
        operations.plan_revise,
        actor=writer,
        target=plan,
        data={
            "version": 1,
            "agencies": ["Leeds children's social care"],
            "review_date": plan.current.review_date + timedelta(days=7),
            "actions": [{"kind": "social", "target": "Snapchat: kayla_x"}],
            "note": "New associate found through Snapchat.",
        },
    )
    old = PlanVersion.objects.get(plan=plan, number=1)
    assert new.number == 2
    assert new.previous == old
    assert new.is_current
    assert old.superseded_at is not None
    assert [a.target for a in old.actions.all()] == ["14 Mill Lane, Leeds LS9 8AB", "07700 900123"]
    current = selectors.current_plan(user=writer, child=plan.case.subject)
    assert current is not None
    assert current.current == new
    assert events(case=plan.case, operation="alteration", detail__version=2)


def test_m15_superseded_versions_are_read_only_in_the_database(writer, make_child, make_plan):
    plan = make_plan(writer, make_child())
    review(writer, plan, review_date=plan.current.review_date, note="No change.")
    old = PlanVersion.objects.get(plan=plan, number=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanVersion.objects.filter(pk=old.pk).update(note="Rewritten history")
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanVersion.objects.filter(pk=old.pk).update(superseded_at=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanAction.objects.filter(version=old).update(target="Somewhere else")
    old.refresh_from_db()
    assert old.note == ""
    assert old.superseded_at is not None


def test_m15_the_current_version_content_cannot_be_edited_in_place(writer, make_child, make_plan):
    plan = make_plan(writer, make_child())
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanVersion.objects.filter(pk=plan.current.pk).update(review_date=plan.current.review_date + timedelta(days=1))


def test_m15_one_current_version_per_plan_is_a_database_constraint(writer, make_child, make_plan):
    plan = make_plan(writer, make_child())
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.create(
            plan=plan, number=2, author=writer, review_date=plan.current.review_date, previous=plan.current
        )


def test_m15_revising_from_an_old_version_is_a_conflict(writer, make_child, make_plan):
    plan = make_plan(writer, make_child())
    review(writer, plan, review_date=plan.current.review_date, note="No change.")
    with pytest.raises(Conflict):
        review(writer, plan, review_date=plan.current.review_date, note="Again.")


def test_m15_review_date_becomes_a_deadline_and_moves_with_each_version(
    writer, make_child, make_plan, live_deadlines, clock
):
    plan = make_plan(writer, make_child())
    key = review_key(plan.public_id)
    [first] = live_deadlines(case=plan.case, key=key)
    assert first.kind == "triggerplans.review"
    assert first.rule_id == "M-15"
    assert first.responsible_user_id == writer.pk
    due_local = first.due_at.astimezone(services.LONDON)
    assert due_local.date() == plan.current.review_date + timedelta(days=1)
    assert (due_local.hour, due_local.minute) == (0, 0)

    later = plan.current.review_date + timedelta(days=20)
    review(writer, plan, review_date=later, note="Reviewed at the DMM.")
    [second] = live_deadlines(case=plan.case, key=key)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.state == "met"
    assert second.due_at.astimezone(services.LONDON).date() == later + timedelta(days=1)


def test_m15_review_without_change_keeps_the_actions(writer, make_child, make_plan):
    plan = make_plan(writer, make_child())
    new = review(writer, plan, review_date=plan.current.review_date, note="Ok.")
    assert new.kind == "reviewed"
    assert [(a.kind, a.target) for a in new.actions.all()] == [
        ("address", "14 Mill Lane, Leeds LS9 8AB"),
        ("phone", "07700 900123"),
    ]
    assert new.agencies == PlanVersion.objects.get(plan=plan, number=1).agencies


def test_m15_plan_status_goes_out_of_date_after_the_review_date(writer, make_user, make_child, make_plan, clock):
    child = make_child()
    assert selectors.plan_status(user=writer, child=child) == "none"
    plan = make_plan(writer, child, review_date=selectors.today() + timedelta(days=2))
    assert selectors.plan_status(user=writer, child=child) == "current"
    inspector = make_user(roles=("inspector",), team="IMU")
    assert selectors.plans_past_review(user=inspector) == []
    clock.travel(timedelta(days=4))
    assert selectors.plan_status(user=writer, child=child) == "out_of_date"
    assert [p.pk for p in selectors.plans_past_review(user=inspector)] == [plan.pk]


def test_m15_plan_actions_are_offered_with_their_enquiry_types(writer, make_child, make_plan):
    child = make_child()
    make_plan(writer, child)
    actions = selectors.plan_actions(user=writer, child=child)
    assert [(a.enquiry_type, a.text) for a in actions] == [
        ("address_check", "Check an address: 14 Mill Lane, Leeds LS9 8AB — Ask for Dean."),
        ("phone", "Check a phone number: 07700 900123"),
    ]


def test_m15_plan_is_need_to_know(writer, make_user, make_child, make_plan, events):
    child = make_child()
    plan = make_plan(writer, child)
    outsider = make_user(roles=("response_officer",), team="OTHER")  # team view only
    assert selectors.current_plan(user=outsider, child=child) is None
    assert selectors.plan_actions(user=outsider, child=child) == []
    handler = make_user(roles=("call_handler",), team="IMU")  # force-wide view at first contact
    seen = selectors.current_plan(user=handler, child=child)
    assert seen is not None
    assert seen.pk == plan.pk
    assert events(case=plan.case, actor=handler, operation="consultation")


def test_m15_revision_needs_edit_rights_on_the_plan_case(writer, make_user, make_child, make_plan):
    plan = make_plan(writer, make_child())
    other = make_user(roles=("investigator",), team="MISS")  # same team: sees it, may not edit (OWN)
    with pytest.raises(Forbidden):
        review(other, plan, review_date=plan.current.review_date, note="x")
