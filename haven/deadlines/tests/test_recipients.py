"""Who a ladder level means uses the duty rota: the supervisor level is the team's duty sergeant on
duty (else, by force policy, its supervisors or covering supervisor), and the duty inspector level is
the team's duty inspector on duty (else its inspectors, else the force's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from haven.accounts.choices import Duty
from haven.accounts.models import DutyAssignment, Team
from haven.core import clock
from haven.deadlines import recipients
from haven.policy.models import PolicyOverride

pytestmark = pytest.mark.django_db


def _on_duty(team: Team, duty: str, user: Any) -> None:
    now = clock.now()
    DutyAssignment.objects.create(
        team=team, duty=duty, user=user, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=7)
    )


@pytest.fixture
def force(make_user: Any) -> dict[str, Any]:
    return {
        "pc": make_user("pc", roles=("response_officer",)),
        "ps1": make_user("ps1", roles=("supervisor",), rank="PS"),
        "ps2": make_user("ps2", roles=("supervisor",), rank="PS"),
        "insp1": make_user("insp1", roles=("inspector",), rank="INSP"),
        "insp2": make_user("insp2", roles=("inspector",), rank="INSP"),
        "far_insp": make_user("farinsp", roles=("inspector",), rank="INSP", team="FAR"),
        "team": Team.objects.get(code="TEST"),
    }


def _level(level: str, force: dict[str, Any], user: str = "pc") -> set[str]:
    told = recipients.at_level(level, responsible_user=force[user], responsible_team=None)
    return {u.username for u in told}


def test_the_supervisor_level_is_the_duty_sergeant_on_duty(force):
    assert _level("supervisor", force) == {"ps1", "ps2"}

    _on_duty(force["team"], Duty.DUTY_SERGEANT, force["ps2"])

    assert _level("supervisor", force) == {"ps2"}


def test_the_duty_inspector_level_is_the_duty_inspector_on_duty(force):
    assert _level("duty_inspector", force) == {"insp1", "insp2"}

    _on_duty(force["team"], Duty.DUTY_INSPECTOR, force["insp1"])

    assert _level("duty_inspector", force) == {"insp1"}


def test_a_team_without_sergeants_escalates_to_its_covering_supervisor(make_user):
    covering = make_user("covps", roles=("supervisor",), rank="PS", team="RESP")
    handler = make_user("handler", roles=("call_handler",), team="IMU")
    Team.objects.filter(code="IMU").update(covering_supervisor=covering)
    handler.refresh_from_db()

    level, told = recipients.resolve("supervisor", responsible_user=handler, responsible_team=None)

    assert (level, told) == ("supervisor", [covering])


def test_force_policy_chooses_the_covering_supervisor_over_the_teams_sergeants(force, make_user):
    covering = make_user("covps", roles=("supervisor",), rank="PS", team="RESP")
    Team.objects.filter(pk=force["team"].pk).update(covering_supervisor=covering)
    force["pc"].refresh_from_db()
    PolicyOverride.objects.create(key="accounts.no_duty_sergeant", value="covering_supervisor", changed_by=force["ps1"])

    assert _level("supervisor", force) == {"covps"}


def test_force_policy_may_send_the_duty_inspector_level_to_every_inspector_of_the_force(force):
    PolicyOverride.objects.create(key="accounts.no_duty_inspector", value="force", changed_by=force["ps1"])

    assert _level("duty_inspector", force) == {"insp1", "insp2", "farinsp"}
