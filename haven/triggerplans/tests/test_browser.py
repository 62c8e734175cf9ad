"""Writing and revising a trigger plan in a real Chromium, with "add another" action rows. Every
page checked passes axe-core's WCAG 2.2 AA rules and raises no Content Security Policy violation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.triggerplans.selectors import today
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_m15_write_and_revise_a_trigger_plan_in_the_browser(
    live_server: Any, page: Any, make_user: Any, make_child: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    officer = make_user("mpc", roles=("investigator",), rank="DC", team="MISS")
    child = make_child("Kayla", "Browserchild")
    watch = ConsoleWatch(page)
    sign_in(page, live_server, officer)

    page.goto(f"{live_server.url}/trigger-plans/child/{child.public_id}/")
    assert page.get_by_test_id("plan-status").inner_text() == "No trigger plan"
    assert_accessible(page, "child without a plan")
    page.get_by_role("link", name="Write a trigger plan").click()

    page.get_by_label("Agencies involved").fill("Leeds children's social care\nPolice missing coordinator")
    review = today() + timedelta(days=30)
    for part, value in (("day", review.day), ("month", review.month), ("year", review.year)):
        page.locator(f"#id_review_date-{part}").fill(str(value))
    # An information-only plan is refused (M-15), with the error summary.
    page.locator("#id_actions-0-kind").select_option("other")
    page.locator("#id_actions-0-instructions").fill("Likes the park.")
    page.get_by_role("button", name="Save the plan").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "information only" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "plan form with errors")

    page.locator("#id_actions-0-kind").select_option("address")
    page.locator("#id_actions-0-target").fill("14 Mill Lane, Leeds LS9 8AB")
    page.get_by_role("button", name="Add another action").click()
    page.locator("#id_actions-1-kind").wait_for()
    assert page.locator("#id_actions-0-target").input_value() == "14 Mill Lane, Leeds LS9 8AB"
    page.locator("#id_actions-1-kind").select_option("phone")
    page.locator("#id_actions-1-target").fill("07700 900123")
    assert_accessible(page, "plan form with two actions")
    page.screenshot(path=artifacts / "trigger-plan-form.png", full_page=True)
    page.get_by_role("button", name="Save the plan").click()

    page.get_by_test_id("plan-status").wait_for()
    assert page.get_by_test_id("plan-status").inner_text() == "Current"
    actions = page.get_by_test_id("plan-actions").inner_text()
    assert "14 Mill Lane" in actions
    assert "07700 900123" in actions
    assert_accessible(page, "child's trigger plan")

    page.get_by_role("link", name="Revise the plan").click()
    page.get_by_role("button", name="Remove action 2").click()
    page.locator("#id_actions-0-target").wait_for()
    assert page.locator("#id_actions-1-target").count() == 0
    page.get_by_label("What changed and why").fill("The phone number is no longer in use.")
    page.get_by_role("button", name="Save the plan").click()

    page.get_by_test_id("plan-versions").wait_for()
    assert "2 (revised" in page.get_by_test_id("plan-version").inner_text()
    assert "07700 900123" not in page.get_by_test_id("plan-actions").inner_text()
    page.screenshot(path=artifacts / "trigger-plan.png", full_page=True)
    page.get_by_role("link", name="Version 1").click()
    page.get_by_test_id("superseded").wait_for()
    assert "07700 900123" in page.get_by_test_id("plan-actions").inner_text()
    assert_accessible(page, "superseded version")

    page.goto(f"{live_server.url}/trigger-plans/")
    assert page.get_by_role("heading", level=1).inner_text() == "Trigger plans"
    assert_accessible(page, "trigger plan lists")
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []
