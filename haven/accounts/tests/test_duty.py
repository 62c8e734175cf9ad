"""Duty per shift (duty sergeant, duty inspector, duty officer), who stands in when nobody is on duty
(force policy), and every team's supervisor chain (its sergeants, else a covering supervisor)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from haven.accounts import operations, policy, selectors
from haven.accounts.choices import Duty
from haven.accounts.models import DutyAssignment, Team
from haven.accounts.policy import NO_DUTY_INSPECTOR, NO_DUTY_SERGEANT
from haven.core import clock
from haven.core.errors import Forbidden, ValidationFailed
from haven.core.operations import run

pytestmark = pytest.mark.django_db


def _iso(delta: timedelta) -> str:
    return (clock.now() + delta).isoformat()


def shift(
    user: Any, *, duty: str = Duty.DUTY_SERGEANT, start: timedelta = timedelta(hours=-1), hours: int = 8
) -> dict[str, Any]:
    return {
        "duty": duty,
        "user": user.username,
        "starts_at": _iso(start),
        "ends_at": _iso(start + timedelta(hours=hours)),
    }


@pytest.fixture
def team(make_user: Any) -> dict[str, Any]:
    """Team TEST: two sergeants, an inspector, a constable; and an inspector of another team."""
    return {
        "ps1": make_user("ps1", roles=("supervisor",), rank="PS"),
        "ps2": make_user("ps2", roles=("supervisor",), rank="PS"),
        "insp": make_user("insp", roles=("inspector",), rank="INSP"),
        "pc": make_user("pc", roles=("response_officer",)),
        "other_insp": make_user("oinsp", roles=("inspector",), rank="INSP", team="OTHER"),
        "team": Team.objects.get(code="TEST"),
    }


@pytest.fixture
def override(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set a duty setting as the force's policy would (haven.policy's reader is proved in deadlines' tests)."""
    values: dict[str, Any] = {}
    monkeypatch.setattr(policy, "_reader", lambda setting: values.get(setting.key, setting.default))

    def set_value(setting: Any, value: str) -> None:
        values[setting.key] = value

    return set_value


# --- Setting a duty -------------------------------------------------------------------------------------


def test_a_teams_sergeant_puts_a_sergeant_on_duty_and_they_alone_supervise_until_it_ends(team):
    duty = run(operations.duty_set, actor=team["ps1"], target=team["team"], data=shift(team["ps2"], hours=2))

    assert (duty.duty, duty.user, duty.set_by) == (Duty.DUTY_SERGEANT, team["ps2"], team["ps1"])
    assert selectors.team_supervisors(team["team"]) == [team["ps2"]]
    later = clock.now() + timedelta(hours=3)
    assert set(selectors.team_supervisors(team["team"], at=later)) == {team["ps1"], team["ps2"]}


def test_a_sergeant_of_another_team_may_not_set_this_teams_duty(team, make_user):
    outsider = make_user("outps", roles=("supervisor",), rank="PS", team="OTHER")

    with pytest.raises(Forbidden):
        run(operations.duty_set, actor=outsider, target=team["team"], data=shift(team["ps2"]))
    assert not DutyAssignment.objects.exists()


def test_an_officer_without_the_permission_may_not_set_duty(team):
    with pytest.raises(Forbidden):
        run(operations.duty_set, actor=team["pc"], target=team["team"], data=shift(team["ps2"]))


def test_an_administrator_sets_any_teams_duty(team, make_user):
    admin = make_user("admin", roles=("administrator",), team=None)

    run(operations.duty_set, actor=admin, target=team["team"], data=shift(team["insp"], duty=Duty.DUTY_INSPECTOR))

    assert selectors.team_duty_inspectors(team["team"]) == [team["insp"]]


@pytest.mark.parametrize(
    ("who", "duty", "words"),
    [
        ("pc", Duty.DUTY_SERGEANT, "The duty sergeant must be a supervisor (sergeant)"),
        ("ps2", Duty.DUTY_INSPECTOR, "The duty inspector must be an inspector"),
        ("other_insp", Duty.DUTY_INSPECTOR, "is not in Team TEST and is not its covering supervisor"),
    ],
)
def test_a_duty_needs_a_member_of_the_team_with_a_fitting_role(team, who, duty, words):
    with pytest.raises(ValidationFailed) as refused:
        run(operations.duty_set, actor=team["ps1"], target=team["team"], data=shift(team[who], duty=duty))

    assert words in refused.value.fields["user"][0]


def test_the_covering_supervisor_may_be_put_on_duty_and_may_set_duty(make_user):
    covering = make_user("covps", roles=("supervisor",), rank="PS", team="OTHER")
    imu = Team.objects.create(code="IMU", name="Intelligence management unit", covering_supervisor=covering)
    handler = make_user("handler", roles=("call_handler",), team="IMU")

    run(operations.duty_set, actor=covering, target=imu, data=shift(covering))
    run(operations.duty_set, actor=covering, target=imu, data=shift(handler, duty=Duty.DUTY_OFFICER))

    assert selectors.team_supervisors(imu) == [covering]
    assert selectors.on_duty(imu, Duty.DUTY_OFFICER) == [handler]


def test_an_inactive_user_cannot_be_put_on_duty(team):
    team["ps2"].is_active = False
    team["ps2"].save()

    with pytest.raises(ValidationFailed) as refused:
        run(operations.duty_set, actor=team["ps1"], target=team["team"], data=shift(team["ps2"]))

    assert refused.value.fields == {"user": ["There is no Haven user called ps2"]}


def test_a_duty_ends_after_it_starts_in_the_input_and_in_the_database(team):
    data = {**shift(team["ps2"]), "ends_at": _iso(timedelta(hours=-2))}
    with pytest.raises(ValidationFailed) as refused:
        run(operations.duty_set, actor=team["ps1"], target=team["team"], data=data)
    assert refused.value.fields == {"ends_at": ["The end must be after the start"]}

    now = clock.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyAssignment.objects.create(
            team=team["team"], duty=Duty.DUTY_SERGEANT, user=team["ps2"], starts_at=now, ends_at=now
        )


def test_overlapping_shifts_of_one_duty_are_allowed_and_both_people_are_on_duty(team):
    run(
        operations.duty_set,
        actor=team["ps1"],
        target=team["team"],
        data=shift(team["ps1"], start=timedelta(hours=-8), hours=9),
    )
    run(
        operations.duty_set,
        actor=team["ps1"],
        target=team["team"],
        data=shift(team["ps2"], start=timedelta(minutes=-30)),
    )

    assert set(selectors.team_supervisors(team["team"])) == {team["ps1"], team["ps2"]}


def test_a_duty_is_ended_early_and_one_not_yet_begun_is_removed(team):
    now_on = run(operations.duty_set, actor=team["ps1"], target=team["team"], data=shift(team["ps2"]))
    ahead = run(
        operations.duty_set, actor=team["ps1"], target=team["team"], data=shift(team["ps2"], start=timedelta(days=1))
    )

    run(operations.duty_end, actor=team["ps1"], target=now_on, data={})
    run(operations.duty_end, actor=team["ps1"], target=ahead, data={"ends_at": ahead.starts_at.isoformat()})

    now_on.refresh_from_db()
    assert now_on.ends_at <= clock.now()
    assert now_on.ended_early_by == team["ps1"]
    assert not DutyAssignment.objects.filter(pk=ahead.pk).exists()
    assert selectors.on_duty(team["team"], Duty.DUTY_SERGEANT) == []


def test_a_duty_cannot_be_ended_after_its_planned_end(team):
    duty = run(
        operations.duty_set,
        actor=team["ps1"],
        target=team["team"],
        data=shift(team["ps2"], start=timedelta(minutes=-10), hours=1),
    )

    with pytest.raises(ValidationFailed) as refused:
        run(operations.duty_end, actor=team["ps1"], target=duty, data={"ends_at": _iso(timedelta(hours=5))})

    assert refused.value.fields == {"ends_at": ["This duty already ends by then"]}


# --- Nobody on duty: force policy -----------------------------------------------------------------------


def test_with_no_duty_sergeant_every_supervisor_of_the_team_is_told_by_default(team):
    assert set(selectors.team_supervisors(team["team"])) == {team["ps1"], team["ps2"]}


def test_policy_may_send_a_teams_supervision_to_its_covering_supervisor(team, make_user, override):
    covering = make_user("covps", roles=("supervisor",), rank="PS", team="OTHER")
    team["team"].covering_supervisor = covering
    team["team"].save()
    override(NO_DUTY_SERGEANT, "covering_supervisor")

    assert selectors.team_supervisors(team["team"]) == [covering]


def test_a_team_without_sergeants_is_supervised_by_its_covering_supervisor(make_user):
    covering = make_user("covps", roles=("supervisor",), rank="PS", team="OTHER")
    make_user("handler", roles=("call_handler",), team="IMU")
    imu = Team.objects.get(code="IMU")
    assert selectors.team_supervisors(imu) == []

    imu.covering_supervisor = covering
    imu.save()

    assert selectors.team_supervisors(imu) == [covering]


def test_with_no_duty_inspector_the_teams_inspectors_are_told_else_the_forces(team, make_user, override):
    make_user("handler", roles=("call_handler",), team="IMU")
    imu = Team.objects.get(code="IMU")

    assert selectors.team_duty_inspectors(team["team"]) == [team["insp"]]
    assert set(selectors.team_duty_inspectors(imu)) == {team["insp"], team["other_insp"]}

    override(NO_DUTY_INSPECTOR, "force")
    assert set(selectors.team_duty_inspectors(team["team"])) == {team["insp"], team["other_insp"]}


def test_a_superintendent_is_not_a_duty_inspector_by_default(team, make_user):
    make_user("supt", roles=("inspector",), rank="SUPT")

    assert selectors.team_duty_inspectors(team["team"]) == [team["insp"]]


# --- May this person supervise this team's work? ---------------------------------------------------------


def test_is_team_supervisor_answers_for_sergeants_inspectors_covering_and_duty_holders(team, make_user):
    covering = make_user("covps", roles=("supervisor",), rank="PS", team="OTHER")
    visiting = make_user("visiting", roles=("supervisor",), rank="PS", team="OTHER2")
    team["team"].covering_supervisor = covering
    team["team"].save()
    DutyAssignment.objects.create(
        team=team["team"],
        duty=Duty.DUTY_SERGEANT,
        user=visiting,
        starts_at=clock.now(),
        ends_at=clock.now() + timedelta(hours=1),
    )

    answers = {name: selectors.is_team_supervisor(user, team["team"]) for name, user in team.items() if name != "team"}
    assert answers == {"ps1": True, "ps2": True, "insp": True, "pc": False, "other_insp": False}
    assert selectors.is_team_supervisor(covering, team["team"])
    assert selectors.is_team_supervisor(visiting, team["team"])


# --- Every team has a supervisor chain ------------------------------------------------------------------


def test_teams_without_supervisor_lists_active_teams_with_no_sergeant_nor_cover(team, make_user):
    make_user("handler", roles=("call_handler",), team="IMU")
    Team.objects.create(code="OLD", name="Old team", is_active=False)

    # OTHER has an inspector but no sergeant: its work has nobody at the supervisor level either.
    assert sorted(t.code for t in selectors.teams_without_supervisor()) == ["IMU", "OTHER"]
    assert not selectors.has_supervisor_chain(Team.objects.get(code="IMU"))


def test_a_duty_lasts_at_most_a_day_each_shift_entered_on_its_own(team):
    with pytest.raises(ValidationFailed) as refused:
        run(operations.duty_set, actor=team["ps1"], target=team["team"], data=shift(team["ps2"], hours=25))
    assert refused.value.fields == {"ends_at": ["A duty can last at most 24 hours: enter each shift on its own"]}


def test_a_duty_whose_end_has_passed_is_refused(team):
    data = shift(team["ps2"], start=timedelta(hours=-3), hours=2)
    with pytest.raises(ValidationFailed) as refused:
        run(operations.duty_set, actor=team["ps1"], target=team["team"], data=data)
    assert refused.value.fields == {"ends_at": ["The end has passed: enter a duty that is still to come or under way"]}
