"""M-14 (CONF): the repeat-missing threshold flags the child, lists them for the DMM and starts a
"trigger plan needed" deadline; the threshold is force policy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from haven.core.operations import run
from haven.triggerplans import operations, selectors, services
from haven.triggerplans.deadlines import required_key
from haven.triggerplans.models import RepeatMissingFlag
from haven.triggerplans.tests.helpers import review

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(roles=("call_handler",), team="IMU")


def test_m14_third_episode_in_90_days_flags_child_and_starts_plan_deadline(
    officer, make_child, past_episode, live_deadlines, events, clock
):
    child = make_child()
    past_episode(child, ago=timedelta(days=80))
    past_episode(child, ago=timedelta(days=20))
    latest = past_episode(child, ago=timedelta(hours=1), state="reported")

    services.repeat_missing_check(actor=officer, child=child)

    flag = RepeatMissingFlag.objects.get(child=child)
    assert flag.is_active
    assert (flag.episodes, flag.threshold, flag.window_days) == (3, 3, 90)
    [deadline] = live_deadlines(case=latest.case, key=required_key(child.public_id))
    assert deadline.kind == "triggerplans.required"
    assert deadline.rule_id == "M-14"
    assert deadline.due_at == pytest.approx(clock.now() + timedelta(days=7), abs=timedelta(seconds=5))
    assert "trigger plan" in deadline.what.lower()
    assert events(person=child, operation="collection", detail__repeat_missing=True)


def test_m14_two_episodes_do_not_flag(officer, make_child, past_episode, live_deadlines):
    child = make_child()
    past_episode(child, ago=timedelta(days=10))
    past_episode(child, ago=timedelta(days=1))
    services.repeat_missing_check(actor=officer, child=child)
    assert not RepeatMissingFlag.objects.filter(child=child).exists()
    assert live_deadlines(kind="triggerplans.required") == []


def test_m14_episodes_outside_the_window_and_cancelled_reports_do_not_count(officer, make_child, past_episode):
    child = make_child()
    past_episode(child, ago=timedelta(days=95))  # outside the rolling 90 days
    past_episode(child, ago=timedelta(days=5), state="cancelled")  # "not missing after all"
    past_episode(child, ago=timedelta(days=3))
    past_episode(child, ago=timedelta(days=1))
    services.repeat_missing_check(actor=officer, child=child)
    assert not RepeatMissingFlag.objects.filter(child=child).exists()


def test_m14_policy_override_changes_the_threshold(officer, make_user, make_child, past_episode):
    from haven.policy import registry
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    admin = make_user(roles=("administrator",), team=None)
    child = make_child()
    past_episode(child, ago=timedelta(days=30))
    past_episode(child, ago=timedelta(days=1))
    services.repeat_missing_check(actor=officer, child=child)
    assert not RepeatMissingFlag.objects.filter(child=child).exists()

    policy_set(
        actor=admin,
        setting=registry.get("triggerplans.repeat_episodes"),
        data=PolicySetIn(value=2, reason="Local protocol: 2 episodes."),
    )
    services.repeat_missing_check(actor=officer, child=child)
    flag = RepeatMissingFlag.objects.get(child=child)
    assert (flag.episodes, flag.threshold) == (2, 2)


def test_m14_policy_override_changes_the_window(officer, make_user, make_child, past_episode):
    from haven.policy import registry
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    admin = make_user(roles=("administrator",), team=None)
    child = make_child()
    for days in (100, 50, 1):
        past_episode(child, ago=timedelta(days=days))
    services.repeat_missing_check(actor=officer, child=child)
    assert not RepeatMissingFlag.objects.filter(child=child).exists()
    policy_set(
        actor=admin,
        setting=registry.get("triggerplans.repeat_window"),
        data=PolicySetIn(value=timedelta(days=120), reason="Longer window."),
    )
    services.repeat_missing_check(actor=officer, child=child)
    assert RepeatMissingFlag.objects.get(child=child).window_days == 120


def test_m14_policy_sets_the_time_allowed_for_the_plan(
    officer, make_user, make_child, past_episode, live_deadlines, clock
):
    from haven.policy import registry
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    policy_set(
        actor=make_user(roles=("administrator",), team=None),
        setting=registry.get("triggerplans.plan_within"),
        data=PolicySetIn(value=timedelta(days=3), reason="DMM agreed 3 days."),
    )
    child = make_child()
    for days in (40, 20, 0):
        past_episode(child, ago=timedelta(days=days))
    services.repeat_missing_check(actor=officer, child=child)
    [deadline] = live_deadlines(key=required_key(child.public_id))
    assert deadline.due_at == pytest.approx(clock.now() + timedelta(days=3), abs=timedelta(seconds=5))


def test_m14_checking_again_keeps_one_flag_and_one_live_deadline(officer, make_child, past_episode, live_deadlines):
    child = make_child()
    for days in (40, 20, 2):
        past_episode(child, ago=timedelta(days=days))
    services.repeat_missing_check(actor=officer, child=child)
    past_episode(child, ago=timedelta(hours=1))
    services.repeat_missing_check(actor=officer, child=child)
    assert RepeatMissingFlag.objects.filter(child=child).count() == 1
    assert RepeatMissingFlag.objects.get(child=child).episodes == 4
    assert len(live_deadlines(key=required_key(child.public_id))) == 1


def test_m14_writing_the_plan_meets_the_deadline_and_takes_the_child_off_the_dmm_list(
    officer, make_user, make_child, past_episode, make_plan, live_deadlines
):
    inspector = make_user(roles=("inspector",), team="IMU")
    child = make_child()
    for days in (40, 20, 2):
        past_episode(child, ago=timedelta(days=days))
    services.repeat_missing_check(actor=officer, child=child)
    assert [r.child for r in selectors.repeat_missing_without_plan(user=inspector)] == [child]

    make_plan(make_user(roles=("investigator",), team="MISS"), child)

    assert live_deadlines(key=required_key(child.public_id)) == []
    assert selectors.repeat_missing_without_plan(user=inspector) == []


def test_m14_new_episode_of_a_child_with_a_plan_asks_for_a_review_on_the_plan_case(
    officer, make_user, make_child, past_episode, make_plan, live_deadlines
):
    writer = make_user(roles=("investigator",), team="MISS")
    child = make_child()
    plan = make_plan(writer, child)
    for days in (40, 20, 2):
        past_episode(child, ago=timedelta(days=days))
    services.repeat_missing_check(actor=officer, child=child)
    [deadline] = live_deadlines(key=required_key(child.public_id))
    assert deadline.case_id == plan.case_id
    assert deadline.responsible_user_id == writer.pk
    assert deadline.what.startswith("Review the trigger plan")
    # A review (a new version) meets it.
    review(writer, plan, review_date=plan.current.review_date, note="Seen at DMM.")
    assert live_deadlines(key=required_key(child.public_id)) == []


def test_m14_report_through_haven_missing_runs_the_check(make_user, make_child, past_episode, clock):
    """The real path: haven.missing's episode_report calls repeat_missing_check in its transaction."""
    from haven import factories

    handler = make_user(roles=("call_handler",), team="IMU")
    child = make_child()
    past_episode(child, ago=timedelta(days=30))
    past_episode(child, ago=timedelta(days=10))
    factories.episode(  # through haven.missing's episode_report
        reporter=handler,
        child=child,
        informant_name="Foster carer",
        last_seen_at=clock.now() - timedelta(hours=3),
        last_seen_where="Placement",
        missing_from="foster",
        circumstances="Did not return from school.",
    )
    assert RepeatMissingFlag.objects.filter(child=child, ended_at__isnull=True).exists()


def test_m14_dmm_list_needs_the_board_permission_and_logs_the_read(
    officer, make_user, make_child, past_episode, events
):
    child = make_child()
    for days in (40, 20, 2):
        past_episode(child, ago=timedelta(days=days))
    services.repeat_missing_check(actor=officer, child=child)
    partner = make_user(roles=("partner",), team=None)
    assert selectors.repeat_missing_without_plan(user=partner) == []
    sergeant = make_user(roles=("supervisor",), team="RESP")
    assert len(selectors.repeat_missing_without_plan(user=sergeant)) == 1
    assert events(person=child, actor=sergeant, operation="consultation")


def test_m14_ending_the_flag_needs_a_supervisor(officer, make_user, make_child, past_episode):
    from haven.core.errors import Forbidden

    child = make_child()
    for days in (40, 20, 2):
        past_episode(child, ago=timedelta(days=days))
    services.repeat_missing_check(actor=officer, child=child)
    with pytest.raises(Forbidden):
        run(
            operations.repeat_missing_flag_end, actor=officer, target=child, data={"reason": "No longer going missing."}
        )
    run(
        operations.repeat_missing_flag_end,
        actor=make_user(roles=("inspector",), team="IMU"),
        target=child,
        data={"reason": "Agreed at the DMM."},
    )
    assert selectors.repeat_missing_flag(child=child) is None


def test_m14_plan_due_is_shown_for_every_flagged_child_on_the_dmm_and_trigger_plans_pages(
    officer, make_user, make_child, past_episode, client
):
    from haven.core.testing import sign_in

    inspector = make_user(roles=("inspector",), team="IMU")
    flagged = make_child()
    past_episode(flagged, ago=timedelta(days=80))
    past_episode(flagged, ago=timedelta(days=20))
    past_episode(flagged, ago=timedelta(hours=1), state="reported")
    services.repeat_missing_check(actor=officer, child=flagged)
    without = make_child()  # flagged with no "plan required" deadline (as the demo's and older data are)
    bare = RepeatMissingFlag.objects.create(child=without, episodes=3, threshold=3, window_days=90)
    due = {row.child.pk: row.due_at for row in selectors.repeat_missing_without_plan(user=inspector)}
    assert due[flagged.pk] is not None
    assert due[without.pk] == bare.raised_at + timedelta(days=7)
    sign_in(client, inspector)
    page = client.get("/trigger-plans/").content.decode()
    assert "—" not in page.split('data-testid="without-plan"')[1].split("</table>")[0]
