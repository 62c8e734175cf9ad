"""The demo mail page in Chromium: an e-mail caught by the `make run` mail sink is listed and opens,
both pages accessible (axe-core, WCAG 2.2 AA) and free of Content Security Policy violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.core.mail import mail_user
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caught_email_is_listed_and_read_on_accessible_pages(
    live_server: Any, page: Any, make_user: Any, sink: Path, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    user = make_user(roles=("administrator",))
    mail_user(to=user, subject="a test notice", body=f"Open it in Haven: {live_server.url}/notifications/")
    watch = ConsoleWatch(page)
    sign_in(page, live_server, user)

    page.goto(f"{live_server.url}/demo/mail/")
    assert page.get_by_role("heading", level=1).inner_text() == "E-mail sent by this demo"
    row = page.get_by_test_id("demo-mail-message")
    assert user.email in row.inner_text()
    assert_accessible(page, "demo mail")

    subject = f"Haven ({settings.HAVEN_FORCE_NAME}): a test notice"
    row.get_by_role("link", name=subject).click()
    page.get_by_test_id("demo-mail-body").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == subject
    assert_accessible(page, "demo mail message")
    page.screenshot(path=artifacts / "demo-mail-message.png", full_page=True)

    page.get_by_role("link", name=f"{live_server.url}/notifications/").click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
