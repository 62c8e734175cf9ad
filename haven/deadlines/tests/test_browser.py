"""The inbox and the home page's deadline sections in a real Chromium: axe-core finds no WCAG 2.2 AA
violations, no CSP violations, and the header's inbox count goes up by itself (htmx, no reload)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from haven.core import clock
from haven.core.heartbeat import WORKER, heartbeat_record
from haven.deadlines import services
from haven.deadlines.selectors import SWEEP
from haven.notifications.services import notification_send
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(ranks, make_case, settings):
    settings.HAVEN_INBOX_POLL_SECONDS = 1
    heartbeat_record(name=WORKER)
    heartbeat_record(name=SWEEP)
    case = make_case(ranks["officer"])
    for key, minutes, user in (("late", -35, "officer"), ("soon", 130, "officer"), ("team", 45, "sergeant")):
        services.deadline_create(
            actor=ranks["officer"],
            case=case,
            kind="tests.one_hour",
            what=f"Task {key}",
            due_at=clock.now() + timedelta(minutes=minutes),
            key=key,
            responsible_user=ranks[user],
        )
    notification_send(
        recipient=ranks["officer"],
        subject=f"Critical: case {case.reference} overdue",
        body="Overdue by 35 min.",
        case=case,
        link=f"/cases/{case.public_id}/",
        requires_ack=True,
        severity="critical",
        email=False,
    )
    return case


def test_home_deadlines_and_inbox_are_accessible_and_the_count_updates_live(
    live_server: Any, page: Any, ranks: Any, scene: Any, artifacts: Path
) -> None:
    watch = ConsoleWatch(page)
    sign_in(page, live_server, ranks["officer"])
    page.wait_for_load_state("networkidle")
    mine = page.get_by_test_id("my-deadlines")
    assert "Overdue by 35 min" in mine.inner_text()
    assert "Task sarge" not in mine.inner_text()
    assert "Task team" in page.get_by_test_id("team-deadlines").inner_text()
    assert page.get_by_test_id("inbox-count").inner_text().startswith("1")
    assert_accessible(page, "home with deadlines")
    page.screenshot(path=artifacts / "home-deadlines.png", full_page=True)

    # A new notification arrives while the page is open: the count changes without a reload.
    page.evaluate("window.__sameDocument = true")
    notification_send(recipient=ranks["officer"], subject=f"Warning: case {scene.reference}", body="", email=False)
    expect(page.get_by_test_id("inbox-count")).to_have_text(re.compile(r"^\s*2"), timeout=15_000)
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"

    page.get_by_test_id("inbox-link").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_test_id("notification").count() == 2
    assert_accessible(page, "inbox")
    page.screenshot(path=artifacts / "inbox.png", full_page=True)
    page.get_by_test_id("acknowledge").click()
    page.wait_for_url("**/notifications/")
    assert "Notification acknowledged." in page.content()
    assert page.get_by_test_id("awaiting-ack").count() == 0
    assert_accessible(page, "inbox after acknowledging")

    page.goto(f"{live_server.url}/deadlines/?show=mine")
    assert_accessible(page, "deadlines")
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []


def test_sweep_warning_shows_on_every_page_when_the_sweep_is_stale(
    live_server: Any, page: Any, ranks: Any, scene: Any
) -> None:
    sign_in(page, live_server, ranks["officer"])
    assert page.get_by_test_id("sweep-warning").count() == 0
    clock.travel(timedelta(minutes=3))
    heartbeat_record(name=WORKER)  # the worker is alive; only the sweep stopped
    page.goto(f"{live_server.url}/notifications/")
    warning = page.get_by_test_id("sweep-warning")
    assert "Deadlines are not being escalated" in warning.inner_text()
    assert_accessible(page, "inbox with the sweep warning")
