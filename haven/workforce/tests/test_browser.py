"""An officer's training record and the team page in a real Chromium at 375 px: no axe-core WCAG 2.2 AA
violation, no Content Security Policy violation."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_t01_the_record_and_team_pages_at_375_px(
    live_server: Any, page: Any, make_user: Any, qualify: Any, sergeant: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    officer = make_user("dcb", roles=("investigator",), rank="DC", team="TEST")
    qualify(officer, "pip2", on=date(2022, 1, 5))
    qualify(officer, "abe", on=date(2020, 1, 5), evidence="ABE course 2020")
    page.set_viewport_size({"width": 375, "height": 800})
    watch = ConsoleWatch(page)
    sign_in(page, live_server, sergeant)

    page.goto(f"{live_server.url}/workforce/team/")
    assert "Expired" in page.get_by_test_id("team").inner_text()
    assert_accessible(page, "team training page")
    page.screenshot(path=artifacts / "workforce-team.png", full_page=True)
    page.get_by_role("link", name=officer.rank_and_name).click()

    decisions = page.get_by_test_id("decisions").inner_text()
    assert "Achieving Best Evidence interviewing expired on 5 January 2023." in decisions
    assert_accessible(page, "an officer's training record")
    page.screenshot(path=artifacts / "workforce-record.png", full_page=True)
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []


def test_t01_a_supervisor_signs_off_a_trainee_and_records_pip2_and_the_investigator_picker_changes(
    live_server: Any, page: Any, make_user: Any, make_episode: Any, qualify: Any, artifacts: Path
) -> None:
    """Force policy makes investigating a high-risk episode need sign-off. The trainee (PIP2, assessed,
    mentored by another sergeant) is "with approval" in the picker; the newcomer (no PIP2) is greyed
    out with that reason. The sergeant signs off the trainee (checked first) and records the newcomer's
    PIP2: the picker then allows the trainee alone, and greys out the newcomer for the next reason (not
    yet in training). At 375 px, axe-core clean on every page."""
    from haven.core.operations import run
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set
    from haven.workforce import operations, policy
    from haven.workforce.choices import Activity

    heartbeat_record(name=WORKER)
    work = Activity.HIGH_RISK_MISSING_INVESTIGATION
    admin = make_user("admin", roles=("administrator",), team=None)
    policy_set(
        actor=admin, setting=policy.SIGN_OFF_ACTIVITIES, data=PolicySetIn(value=[work.value], reason="Force policy")
    )
    sergeant = make_user("ps1", roles=("supervisor",), rank="PS", team="MISS")
    mentor = make_user("ps2", roles=("supervisor",), rank="PS", team="MISS")
    trainee = make_user("trainee", roles=("investigator",), rank="DC", team="MISS")
    newcomer = make_user("newcomer", roles=("investigator",), rank="DC", team="MISS")
    qualify(trainee, "pip2", on=date(2024, 2, 1))
    run(
        operations.competence_start,
        actor=mentor,
        target=trainee,
        data={"activity": work, "mentor": "ps2", "started_on": "2026-01-05"},
    )
    run(operations.competence_assess, actor=mentor, target=trainee, data={"activity": work, "note": "Ran two episodes"})
    episode = make_episode(sergeant, grade="high", assessor=sergeant)
    page.set_viewport_size({"width": 375, "height": 800})
    watch = ConsoleWatch(page)
    sign_in(page, live_server, sergeant)
    picker_url = f"{live_server.url}/missing/{episode.public_id}/investigating-officer/"

    page.goto(picker_url)
    picker = page.get_by_test_id("investigating-officer-picker")
    assert page.get_by_label(trainee.rank_and_name, exact=False).is_enabled()
    assert "With approval" in picker.inner_text()
    assert page.get_by_label(newcomer.rank_and_name, exact=False).is_disabled()
    newcomer_item = page.get_by_test_id("candidate").filter(has_text=newcomer.rank_and_name).inner_text()
    assert "has no record of PIP level 2" in newcomer_item
    assert_accessible(page, "investigating officer picker (before)")
    page.screenshot(path=artifacts / "workforce-picker-before.png", full_page=True)

    page.goto(f"{live_server.url}/workforce/officers/{trainee.public_id}/")
    page.get_by_test_id("sign-off-link").click()
    assert_accessible(page, "sign-off form")
    page.get_by_test_id("signoff-submit").click()
    assert "Check before you sign off" in page.locator("h1").inner_text()
    assert_accessible(page, "sign-off check")
    page.get_by_test_id("signoff-confirm").click()
    assert "signed off" in page.locator(".govuk-notification-banner--success").inner_text()
    assert_accessible(page, "record after sign-off")

    page.goto(f"{live_server.url}/workforce/officers/{newcomer.public_id}/")
    page.get_by_test_id("qualification-link").click()
    page.get_by_label("Qualification or course").select_option("pip2")
    for part, typed in (("day", "2"), ("month", "3"), ("year", "2025")):
        page.locator(f"#id_achieved_on-{part}").fill(typed)
    page.get_by_test_id("qualification-submit").click()
    assert "govuk-error-summary" in page.content()  # no evidence reference yet
    assert_accessible(page, "qualification form with an error")
    page.get_by_label("Evidence reference").fill("PIP2 cert 5521")
    page.get_by_test_id("qualification-submit").click()
    assert "is recorded" in page.locator(".govuk-notification-banner--success").inner_text()

    page.goto(picker_url)
    picker = page.get_by_test_id("investigating-officer-picker")
    assert "With approval" not in picker.inner_text()
    assert "Signed off for this work on" in picker.inner_text()
    assert page.get_by_label(newcomer.rank_and_name, exact=False).is_disabled()
    newcomer_item = page.get_by_test_id("candidate").filter(has_text=newcomer.rank_and_name).inner_text()
    assert "has no record of PIP level 2" not in newcomer_item
    assert "Not yet in training or signed off for this work." in newcomer_item
    assert_accessible(page, "investigating officer picker (after)")
    page.get_by_label(trainee.rank_and_name, exact=False).check()
    page.get_by_test_id("investigating-officer-submit").click()
    assert trainee.rank_and_name in page.get_by_test_id("investigating-officer").inner_text()
    page.screenshot(path=artifacts / "workforce-picker-after.png", full_page=True)
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []
