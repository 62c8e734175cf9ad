"""The user picker on the handover page, in a real headless Chromium: typing a name offers people
with their collar number and team (an ARIA 1.2 combobox), the keyboard chooses one, the case is handed
to them, and axe-core finds no WCAG 2.2 AA violation with the list open; no CSP violation either."""

from __future__ import annotations

from typing import Any

import pytest

from haven.accounts.models import Team
from haven.cases.models import Case
from haven.core.heartbeat import WORKER, heartbeat_record
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_handover_page_picks_the_new_owner_by_name(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, make_case: Any
) -> None:
    heartbeat_record(name=WORKER)
    inspector = make_user("insp", roles=("inspector",), rank="INSP", team="RESP-A")
    tom = make_user("response", roles=("response_officer",), rank="PC", team="RESP-A")
    tom.first_name, tom.last_name, tom.collar_number = "Tom", "Jones", "4521"
    tom.save()
    Team.objects.filter(code="RESP-A").update(name="Response team A")
    case = make_case(inspector)
    watch = ConsoleWatch(page)
    sign_in(page, live_server, inspector)

    page.goto(f"{live_server.url}/cases/{case.public_id}/handover/")
    field = page.get_by_role("combobox", name="New owner")
    assert field.get_attribute("aria-expanded") == "false"
    field.press_sequentially("tom jo", delay=30)
    option = page.get_by_role("option", name="PC Tom Jones 4521, Response team A")
    option.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "handover with the user picker open")

    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == option.get_attribute("id")
    field.press("Enter")
    assert field.input_value() == "PC Tom Jones (4521), Response team A"
    assert field.get_attribute("aria-expanded") == "false"
    page.get_by_label("Reason for the handover").fill("Nearest officer to the child's home.")
    page.get_by_role("button", name="Hand over").click()
    page.get_by_test_id("awaiting-acknowledgement").wait_for()

    assert Case.objects.get(pk=case.pk).pending_owner == tom
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []
