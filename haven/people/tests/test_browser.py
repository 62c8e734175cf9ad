"""The person register in a real headless Chromium: search (nothing until typed, every result says why
it matched), recording a person past the duplicate warning, the person page with its photograph, and
changing and removing a linked record. axe-core finds no WCAG 2.2 AA violations on any of these
pages, and the browser reports no Content Security Policy violations."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from haven.core.heartbeat import WORKER, heartbeat_record
from haven.people import services
from haven.people.choices import Sex
from haven.people.schemas import PersonCreateIn
from haven.people.tests import records
from haven.people.tests.images import jpeg_with_metadata
from haven.ui.tests.test_browser import ConsoleWatch, assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_search_shows_nothing_until_typed_and_says_why_each_result_matched(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    handler = make_user("handler", roles=("call_handler",), team="CONTROL")
    person = services.person_create(
        actor=handler, data=PersonCreateIn(forenames="Jayden", surname="O'Brien", date_of_birth=date(2013, 4, 3))
    )
    records.add(handler, person, "alias", surname="JB", kind="street_name")
    watch = ConsoleWatch(page)
    sign_in(page, live_server, handler)

    page.goto(f"{live_server.url}/people/")
    assert page.get_by_role("heading", level=1).inner_text() == "Find a person"
    assert page.get_by_test_id("search-results").count() == 0
    assert "result" not in page.locator("main").inner_text().lower()
    assert_accessible(page, "person search")

    page.get_by_label("Name").fill("jaden obrien")
    for part, typed in {"day": "3", "month": "4", "year": "2013"}.items():  # the GOV.UK date input's boxes
        page.locator(f"#id_dob-{part}").fill(typed)
    page.get_by_role("button", name="Search").click()
    results = page.get_by_test_id("search-results")
    results.wait_for()
    row = results.locator("tbody tr").first
    assert "Jayden O'Brien" in row.inner_text()
    assert "Same date of birth" in row.inner_text()  # why it matched, in words (no figures, no algorithm)
    assert "Surname sounds the same" in row.inner_text()
    assert_accessible(page, "person search results")
    page.screenshot(path=artifacts / "people-search.png", full_page=True)
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)


def test_recording_a_likely_duplicate_needs_a_reason_then_the_person_page_takes_a_photo(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, artifacts: Path, tmp_path: Path
) -> None:
    heartbeat_record(name=WORKER)
    officer = make_user("officer", roles=("investigator",), team="CATE")
    services.person_create(
        actor=officer,
        data=PersonCreateIn(forenames="Grace", surname="Holloway", date_of_birth=date(2012, 6, 1), sex=Sex.FEMALE),
    )
    watch = ConsoleWatch(page)
    sign_in(page, live_server, officer)

    page.goto(f"{live_server.url}/people/new/")
    assert_accessible(page, "record a person")
    page.get_by_label("Forenames").fill("Grace")
    page.get_by_label("Surname").fill("Holoway")
    for part, typed in {"day": "1", "month": "6", "year": "2012"}.items():
        page.locator(f"#id_date_of_birth-{part}").fill(typed)
    page.get_by_role("button", name="Record person").click()
    page.get_by_test_id("likely-matches").wait_for()
    assert "Grace Holloway" in page.locator("main").inner_text()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Surname").input_value() == "Holoway"  # what was typed is kept
    assert_accessible(page, "likely duplicate warning")
    page.screenshot(path=artifacts / "people-duplicate-warning.png", full_page=True)

    page.get_by_label("Why are you creating a new person instead of using a match?").fill("A cousin, checked")
    page.get_by_role("button", name="Record person").click()
    page.wait_for_url("**/people/*/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Grace Holoway")

    page.get_by_role("link", name="Upload a photograph").click()
    assert_accessible(page, "upload a photograph")
    photo = tmp_path / "grace.jpg"
    photo.write_bytes(jpeg_with_metadata())
    page.get_by_label("Upload a photograph").set_input_files(str(photo))
    page.get_by_role("button", name="Save the photograph").click()
    image = page.get_by_role("img", name="Photograph of Grace Holoway")
    image.wait_for()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.querySelector('.haven-person-photo').naturalWidth") == 800
    assert_accessible(page, "person page with photograph")
    page.screenshot(path=artifacts / "people-person.png", full_page=True)
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)
    assert watch.errors == []


def test_a_linked_record_is_changed_then_removed_from_the_person_page(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any, artifacts: Path
) -> None:
    heartbeat_record(name=WORKER)
    officer = make_user("officer", roles=("investigator",), team="CATE")
    person = services.person_create(actor=officer, data=PersonCreateIn(forenames="Kai", surname="Ward"))
    records.add(officer, person, "alias", surname="Smith", kind="nickname")
    records.add(officer, person, "flag", kind="philomena", start_date=date(2025, 1, 1))
    watch = ConsoleWatch(page)
    sign_in(page, live_server, officer)

    page.goto(f"{live_server.url}/people/{person.public_id}/")
    assert_accessible(page, "person page")
    page.get_by_test_id("aliases").get_by_role("link", name="Change nickname Smith").click()
    assert_accessible(page, "change a name")
    page.get_by_label("Surname").fill("")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page, "change a name with an error")
    page.get_by_label("Surname").fill("Smithers")
    page.get_by_role("button", name="Save").click()
    page.get_by_test_id("aliases").wait_for()
    assert "Smithers" in page.get_by_test_id("aliases").inner_text()

    page.get_by_test_id("flags").get_by_role("link", name="End or remove Philomena form held").click()
    assert_accessible(page, "end or remove a flag")
    page.screenshot(path=artifacts / "people-remove-record.png", full_page=True)
    page.get_by_label("Why is this being removed?").fill("Recorded against the wrong child")
    page.get_by_role("button", name="Remove the flag").click()
    page.get_by_role("heading", name="Flags").wait_for()
    assert "No flags." in page.locator("main").inner_text()
    assert watch.csp_violations(page) == [], "\n".join(watch.messages)


def test_restricted_person_offers_to_break_the_glass_accessibly(
    live_server: Any, transactional_db: Any, page: Any, make_user: Any
) -> None:
    heartbeat_record(name=WORKER)
    member = make_user("member", roles=("investigator",), team="CATE")
    person = services.person_create(
        actor=member, data=PersonCreateIn(forenames="Ivy", surname="Stone", is_restricted=True)
    )
    inspector = make_user("inspector", roles=("inspector",), team="CATE", rank="INSP")
    sign_in(page, live_server, inspector)

    response = page.goto(f"{live_server.url}/people/{person.public_id}/")
    assert response is not None
    assert response.status == 404
    assert_accessible(page, "restricted person")
    page.get_by_role("link", name="Break the glass").click()
    assert_accessible(page, "break the glass")
    page.get_by_label("Why do you need to see this person now?").fill("Child found on my incident")
    page.get_by_role("button", name="Break the glass and open the person").click()
    page.get_by_test_id("glass-broken").wait_for()
    assert_accessible(page, "person opened by breaking the glass")
