"""A partner user in a real Chromium at 375 px: signs in (password and second factor), finds the
referral shared with their agency on their home page, acknowledges receipt and records the decision.
No axe-core WCAG 2.2 AA violation, no Content Security Policy violation, on each page."""

from __future__ import annotations

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


def test_a_partner_acknowledges_and_records_the_decision_at_375_px(
    live_server: Any,
    page: Any,
    make_agency: Any,
    make_partner: Any,
    make_share: Any,
    ranks: Any,
    artifacts: Path,
) -> None:
    heartbeat_record(name=WORKER)
    leeds = make_agency()
    worker = make_partner(leeds, "leeds_sw")
    item = make_share(leeds, sharer=ranks["officer"], reference="CCR-0042", restricted=True)
    page.set_viewport_size({"width": 375, "height": 800})
    watch = ConsoleWatch(page)

    sign_in(page, live_server, worker)
    waiting = page.get_by_test_id("partner-waiting")
    assert "Ava Testchild" in waiting.inner_text()
    assert_accessible(page, "partner home")
    waiting.get_by_role("link", name="Child concern referral: Ava Testchild, 12").click()

    assert "Found alone at home" in page.get_by_test_id("projection").inner_text()
    assert "Not yet acknowledged" in page.get_by_test_id("acknowledged").inner_text()
    assert_accessible(page, "shared referral")
    page.screenshot(path=artifacts / "partner-item.png", full_page=True)
    page.get_by_test_id("acknowledge").click()
    assert "Acknowledged" in page.get_by_test_id("acknowledged").inner_text()

    page.get_by_test_id("decide-link").click()
    page.get_by_test_id("respond-submit").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page, "decision with an error")
    page.get_by_label("Strategy discussion (section 47)").check()
    page.get_by_label("Notes (optional)").fill("Strategy discussion tomorrow at 10:00 with health.")
    page.get_by_test_id("respond-submit").click()

    assert "Strategy discussion (section 47)" in page.get_by_test_id("decision").inner_text()
    item.refresh_from_db()
    assert item.decision == "s47"
    page.goto(f"{live_server.url}/partner/")
    assert "Answered" in page.get_by_test_id("answered").inner_text()
    assert_accessible(page, "partner portal")
    page.screenshot(path=artifacts / "partner-portal.png", full_page=True)
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []
