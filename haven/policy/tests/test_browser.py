"""The force policy pages in Chromium: accessible, and a bad value is summarised and kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.policy import registry
from haven.policy.selectors import policy_value
from haven.ui.tests.test_browser import assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # A live-server test empties every table afterwards; put back the ranks the migrations seed.
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_an_administrator_changes_a_setting_in_the_browser(
    live_server: Any, page: Any, make_user: Any, settings_registered: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    sign_in(page, live_server, make_user(roles=("administrator",)))

    page.goto(f"{live_server.url}/policy/")
    assert page.get_by_role("heading", level=1).inner_text() == "Force policy"
    assert_accessible(page, "force policy")

    page.get_by_role("link", name="Change review after").click()
    page.get_by_label("Hours").fill("0")
    page.get_by_label("Minutes").fill("2")
    page.get_by_label("Why are you changing it?").fill("Inspection recommendation 4")
    page.get_by_role("button", name="Save the change").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Enter 5 minutes or more" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Why are you changing it?").input_value() == "Inspection recommendation 4"
    assert_accessible(page, "policy change with errors")
    page.screenshot(path=artifacts / "policy-error.png", full_page=True)

    page.get_by_label("Minutes").fill("45")
    page.get_by_label("Minutes").press("Enter")  # Enter saves: the form's default button is "Save"
    page.wait_for_url(f"{live_server.url}/policy/")
    assert "has been changed" in page.get_by_role("alert", name="Success").inner_text()
    assert str(policy_value(registry.get("tests.review_after"))) == "0:45:00"


def test_an_administrator_edits_a_ladder_as_rows_in_the_browser(
    live_server: Any, page: Any, make_user: Any, settings_registered: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    sign_in(page, live_server, make_user(roles=("administrator",)))
    page.goto(f"{live_server.url}/policy/tests.ladder/")
    assert_accessible(page, "policy ladder")

    page.get_by_role("button", name="Add another step").click()
    third = page.get_by_test_id("policy-row").nth(2)
    third.get_by_label("Hours").fill("3")
    third.get_by_label("Before or after").select_option("after")
    third.get_by_label("Who is told").select_option("inspector")
    first = page.get_by_test_id("policy-row").nth(0)
    first.get_by_role("button", name="Remove step 1").click()
    assert page.get_by_test_id("policy-row").count() == 2
    page.get_by_label("Why are you changing it?").fill("Escalate later")
    page.get_by_role("button", name="Save the change").click()
    page.wait_for_url(f"{live_server.url}/policy/")
    assert policy_value(registry.get("tests.ladder")) == [
        {"at": 0, "who": "inspector"},
        {"at": 180, "who": "inspector"},
    ]
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/policy/tests.ladder/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "policy ladder at 375 px")
    page.screenshot(path=artifacts / "policy-ladder-375.png", full_page=True)
