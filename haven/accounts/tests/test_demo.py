"""The demo force's teams and users: every team has a supervisor chain, the IMU has its own sergeant,
and the shift under way has its duty sergeant and duty inspector."""

from __future__ import annotations

import pytest

from haven.accounts import selectors
from haven.accounts.choices import Duty
from haven.accounts.models import Team, User
from haven.demo.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_every_demo_team_has_a_supervisor_chain_and_the_imu_its_own_sergeant(settings):
    settings.DEMO_MODE = True
    seed_demo()

    assert list(selectors.teams_without_supervisor()) == []
    imu = Team.objects.get(code="IMU")
    assert [u.username for u in User.objects.filter(team=imu, roles__contains=["supervisor"])] == ["imusergeant"]
    callhandler = User.objects.get(username="callhandler")
    assert selectors.is_team_supervisor(User.objects.get(username="imusergeant"), callhandler.team)
    assert not selectors.is_team_supervisor(User.objects.get(username="sergeant"), callhandler.team)


def test_the_demo_shift_has_its_duty_sergeant_and_duty_inspector(settings):
    settings.DEMO_MODE = True
    seed_demo()
    resp, imu = Team.objects.get(code="RESP-A"), Team.objects.get(code="IMU")

    on_duty = {
        (team.code, duty): [u.username for u in selectors.on_duty(team, duty)]
        for team in (resp, imu)
        for duty in (Duty.DUTY_SERGEANT, Duty.DUTY_INSPECTOR)
    }

    assert on_duty == {
        ("RESP-A", Duty.DUTY_SERGEANT): ["sergeant"],
        ("RESP-A", Duty.DUTY_INSPECTOR): ["inspector"],
        ("IMU", Duty.DUTY_SERGEANT): ["imusergeant"],
        ("IMU", Duty.DUTY_INSPECTOR): ["inspector"],
    }
    assert selectors.team_supervisors(imu) == [User.objects.get(username="imusergeant")]


def test_the_demo_has_a_role_grant_waiting_for_the_second_administrator(settings):
    from haven.accounts.models import RoleGrant
    from haven.accounts.schemas import RoleGrantDecisionIn
    from haven.accounts.services import role_grant_approve

    settings.DEMO_MODE = True
    seed_demo()

    (grant,) = RoleGrant.objects.filter(state="pending")
    assert (grant.user.username, grant.role, grant.requested_by.username) == ("analyst", "auditor", "admin")
    assert "auditor" not in User.objects.get(username="analyst").roles
    role_grant_approve(actor=User.objects.get(username="admin2"), grant=grant, data=RoleGrantDecisionIn())
    assert "auditor" in User.objects.get(username="analyst").roles
