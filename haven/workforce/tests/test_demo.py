"""The demo skills register: a CRSU trainee with a mentor, an investigator whose ABE refresher expired
last week; idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from haven.accounts.models import User
from haven.workforce.choices import Activity, Answer
from haven.workforce.demo import seed_workforce
from haven.workforce.selectors import _day, may, today

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_crsu_trainee_and_an_expired_abe_once():
    from haven.demo.seed import seed_demo

    seed_demo()

    trainee = User.objects.get(username="crsu")
    decision = may(trainee, Activity.CRSU_SHARE_INFORMATION)
    assert decision.answer == Answer.WITH_APPROVAL
    assert "Owen Hughes" in decision.reason
    investigator = User.objects.get(username="investigator")
    interview = may(investigator, Activity.VISUALLY_RECORDED_INTERVIEW)
    assert interview.answer == Answer.REFUSED
    assert interview.reason == f"Achieving Best Evidence interviewing expired on {_day(today() - timedelta(days=7))}."
    assert may(investigator, Activity.LEAD_CHILD_ABUSE_INVESTIGATION).answer == Answer.ALONE  # signed off
    assert may(investigator, Activity.HIGH_RISK_MISSING_INVESTIGATION).answer == Answer.ALONE
    assert seed_workforce() == 0


def test_demo_response_team_a_is_at_70_percent_on_the_missing_people_modules_with_posts_set():
    from haven.demo.seed import seed_demo
    from haven.workforce.reports import capacity, force_report

    seed_demo()
    admin = User.objects.get(username="admin")

    report = force_report(user=admin, log=False)
    line = next(t for t in report.teams if t.team == "Response team A")
    modules = [m.code for m in report.modules]
    cells = dict(zip(modules, line.cells, strict=True))
    for code in ("missing_elearning_1", "missing_elearning_2"):
        cell = cells[code]
        assert cell is not None
        assert (cell.current, cell.officers, cell.percent) == (7, 10, 70)
    assert any(r.officer.username == "resp6" and r.since for r in report.overdue)
    teams = {t.team.code: t for t in capacity(user=admin, log=False).teams}
    assert (teams["RESP-A"].posts, teams["RESP-A"].in_post) == (12, 10)
    assert seed_workforce() == 0
