"""The journey in a real Chromium at 375 px: an officer raises a referral with the voice of the child, the
CRSU researches it and decides to share it; no axe-core WCAG 2.2 AA violation, no CSP violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.referrals.models import ChildConcernReferral
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("leave_database_as_found"),
]


def test_an_officer_raises_a_referral_and_the_crsu_researches_and_decides_to_share(
    live_server: Any, browser: Any, page: Any, officer: Any, child: Any, crsu: Any, agency: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    page.set_viewport_size({"width": 375, "height": 800})
    watch = ConsoleWatch(page)
    sign_in(page, live_server, officer)

    page.goto(f"{live_server.url}/referrals/new/?q=Maisie+Holt")
    assert_accessible(page, "raise a referral: find the child")
    page.get_by_role("button", name="Raise a referral about Maisie").click()
    page.get_by_label("Neglect").check()
    page.get_by_label("What happened?").fill("No food in the house; the children alone at 11pm.")
    page.get_by_role("group", name="Did you see the child?").get_by_label("Yes").check()
    page.get_by_role("group", name="Did you speak to the child?").get_by_label("Yes").check()
    page.get_by_label("What did the child say?").fill("Mum goes out. I make the tea.")
    page.get_by_label("The child's behaviour and demeanour").fill("Tired and hungry; very polite.")
    page.get_by_role("group", name="Your view of the risk").get_by_label("High").check()
    page.get_by_label("What did you do straight away?").fill("Stayed until the grandmother came.")
    assert_accessible(page, "the referral form")
    page.get_by_role("button", name="Save and check").click()
    assert_accessible(page, "check the referral")
    page.screenshot(path=artifacts / "referral-check.png", full_page=True)
    page.get_by_role("button", name="Send to the CRSU").click()
    assert "Waiting for the CRSU" in page.get_by_test_id("referral-state").inner_text()
    referral = ChildConcernReferral.objects.get()

    crsu_page = browser.new_context().new_page()
    crsu_page.set_viewport_size({"width": 375, "height": 800})
    crsu_watch = ConsoleWatch(crsu_page)
    sign_in(crsu_page, live_server, crsu["lead"])
    crsu_page.goto(f"{live_server.url}/referrals/queue/")
    assert referral.reference in crsu_page.get_by_test_id("queue").inner_text()
    assert_accessible(crsu_page, "the CRSU queue")
    crsu_page.screenshot(path=artifacts / "referral-queue.png", full_page=True)
    crsu_page.get_by_role("link", name=referral.reference).click()
    crsu_page.get_by_test_id("research").click()
    crsu_page.get_by_label("Where the information came from").fill("Intelligence system")
    crsu_page.get_by_label("What the research found").fill("Two earlier calls to the address about neglect.")
    crsu_page.get_by_role("button", name="Add the research").click()
    assert_accessible(crsu_page, "the CRSU research")
    crsu_page.get_by_role("link", name="Back to the referral").click()
    crsu_page.get_by_test_id("decide").click()
    crsu_page.get_by_role("group", name="Decision").get_by_label("Share with a partner agency").check()
    crsu_page.get_by_role("group", name="Lawful basis").get_by_label("Safeguarding a child at risk").check()
    crsu_page.get_by_label("Reason for the decision").fill("Neglect of a young child: children's services today.")
    crsu_page.get_by_label("Partner agency to share with").select_option(label=agency.name)
    assert_accessible(crsu_page, "share or not")
    crsu_page.get_by_role("button", name="Record the decision").click()

    assert "Shared" in crsu_page.get_by_test_id("referral-state").inner_text()
    assert agency.name in crsu_page.get_by_test_id("shared-state").inner_text()
    assert_accessible(crsu_page, "the shared referral")
    crsu_page.screenshot(path=artifacts / "referral-shared.png", full_page=True)
    for w, p in ((watch, page), (crsu_watch, crsu_page)):
        assert w.csp_violations(p) == [], "\n".join(w.messages)
        assert w.errors == []
