"""Guidance pages: the library, an item (mark as read, who must read it), the administrators' pages
with GOV.UK forms, and the panel on the missing report page."""

from __future__ import annotations

from datetime import date

import pytest

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.guidance.models import GuidanceItem, GuidanceRead
from haven.guidance.tests.conftest import publish
from haven.workforce.models import OfficerQualification

pytestmark = pytest.mark.django_db


def _date(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_the_library_lists_filters_and_searches(signed_in, make_item):
    client, _ = signed_in(username="pc", roles=("response_officer",))
    make_item("What to do when a child is reported missing", places=("reporting_missing",))
    make_item("Sharing information with partners", kind="document", places=("child_concern_referral",))

    everything = client.get("/guidance/").content.decode()
    by_place = client.get("/guidance/?place=child_concern_referral").content.decode()
    by_title = client.get("/guidance/?q=missing").content.decode()

    assert "What to do when a child is reported missing" in everything
    assert "Sharing information" in everything
    assert "Sharing information" in by_place
    assert "reported missing" not in by_place
    assert "reported missing" in by_title
    assert "Sharing information" not in by_title
    assert 'href="/guidance/new/"' not in everything  # officers do not manage the library


def test_the_item_page_shows_the_current_version_and_its_history(signed_in, make_item, librarian):
    client, _ = signed_in(username="pc", roles=("response_officer",))
    item = publish(librarian, make_item(), what="Adds the trigger plan check.")

    body = client.get(f"/guidance/{item.public_id}/").content.decode()

    assert "Version 2, published 1 June 2026" in body
    assert "Adds the trigger plan check." in body
    assert "First published." in body
    assert "https://learning.example.police.uk/briefing" in body


def test_an_officer_marks_a_required_briefing_watched(signed_in, make_item):
    client, officer = signed_in(username="pc", roles=("response_officer",))
    item = make_item(roles=("response_officer",))

    before = client.get(f"/guidance/{item.public_id}/").content.decode()
    assert "You must watch version 1." in before
    assert "I have watched this" in before
    answer = client.post(f"/guidance/{item.public_id}/read/", {"version": "1"}, follow=True)

    body = answer.content.decode()
    assert "You have recorded that you watched version 1." in body
    assert "I have watched this" not in body
    assert GuidanceRead.objects.filter(reader=officer).count() == 1
    assert OfficerQualification.objects.filter(officer=officer, qualification__code=item.qualification_code).exists()


def test_marking_an_old_version_read_says_why_on_the_page(signed_in, make_item, librarian):
    client, _ = signed_in(username="pc", roles=("response_officer",))
    item = make_item(roles=("response_officer",))
    publish(librarian, item)

    answer = client.post(f"/guidance/{item.public_id}/read/", {"version": "1"})

    assert answer.status_code == 422
    assert "Version 2 is the current one" in answer.content.decode()
    assert "govuk-error-summary" in answer.content.decode()


def test_an_item_past_its_review_date_says_so(signed_in, make_item):
    client, _ = signed_in(username="pc", roles=("response_officer",))
    item = make_item()
    GuidanceItem.objects.filter(pk=item.pk).update(review_date=date(2026, 5, 1))

    assert "past its review date" in client.get(f"/guidance/{item.public_id}/").content.decode()
    assert "Past its review date" in client.get("/guidance/").content.decode()


def test_the_owner_sees_their_items_due_for_review_in_the_library(signed_in, make_item):
    client, _ = signed_in(username="insp", roles=("inspector",), rank="INSP")
    make_item("Police protection checklist", owner="insp", review_date=date(2026, 6, 10))

    body = client.get("/guidance/").content.decode()

    assert "Your guidance due for review" in body
    assert "review by 10 June 2026" in body


def test_a_manager_sees_who_must_read_it_with_the_percentage_and_the_read_is_logged(
    client, make_user, make_item, read, librarian
):
    from haven.core.testing import sign_in

    reader = make_user("ch1", roles=("call_handler",))
    make_user("ch2", roles=("call_handler",))
    item = make_item(roles=("call_handler",))
    read(reader, item)
    sign_in(client, librarian)

    body = client.get(f"/guidance/{item.public_id}/").content.decode()

    assert "50% have watched the current version (1 of 2 officers)." in body
    row = AccessEvent.objects.filter(actor=librarian, operation=Operation.CONSULTATION).latest("pk")
    assert sorted(row.detail["officers"]) == ["ch1", "ch2"]


def test_an_officer_cannot_reach_the_manage_pages(signed_in, make_item):
    client, _ = signed_in(username="pc", roles=("response_officer",))
    item = make_item()

    for url in ("/guidance/new/", f"/guidance/{item.public_id}/versions/new/", f"/guidance/{item.public_id}/required/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/guidance/{item.public_id}/retire/", {"reason": "x"}).status_code == 403
    assert not GuidanceItem.objects.get(pk=item.pk).is_retired


def test_an_unknown_item_is_404(signed_in):
    client, _ = signed_in(username="pc", roles=("response_officer",))

    assert client.get("/guidance/not-an-id/").status_code == 404
    assert client.get("/guidance/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_an_administrator_adds_an_item_after_correcting_the_form(client, librarian):
    from haven.core.testing import sign_in

    sign_in(client, librarian)
    assert client.get("/guidance/new/").status_code == 200

    wrong = client.post(
        "/guidance/new/",
        {"title": "", "kind": "video", "review_date-day": "30", "review_date-month": "2", "review_date-year": "2026"},
    )

    body = wrong.content.decode()
    assert wrong.status_code == 422
    assert "govuk-error-summary" in body
    assert "Enter the title" in body
    assert "Select where it applies" in body
    assert "must be a real date" in body

    right = client.post(
        "/guidance/new/",
        {
            "title": "Sharing information with partners",
            "kind": "document",
            "summary": "When and how the CRSU shares.",
            "places": ["child_concern_referral", "online_referrals"],
            "file_reference": "POL/CRSU/014",
            **_date("review_date", date(2026, 9, 1)),
        },
    )
    item = GuidanceItem.objects.get(title="Sharing information with partners")
    assert right.status_code == 302
    assert right["Location"] == f"/guidance/{item.public_id}/"
    assert item.owner == librarian
    assert item.places == ["child_concern_referral", "online_referrals"]


def test_an_administrator_publishes_requires_and_retires(client, librarian, make_item):
    from haven.core.testing import sign_in

    sign_in(client, librarian)
    item = make_item()

    published = client.post(
        f"/guidance/{item.public_id}/versions/new/",
        {"what_changed": "New number.", **_date("review_date", date(2027, 3, 1))},
    )
    required = client.post(f"/guidance/{item.public_id}/required/", {"roles": ["call_handler"]})
    assert "Call handler" in client.get(f"/guidance/{item.public_id}/").content.decode()
    retired = client.post(f"/guidance/{item.public_id}/retire/", {"reason": "Replaced."})

    assert (published.status_code, required.status_code, retired.status_code) == (302, 302, 302)
    item.refresh_from_db()
    assert (item.versions.count(), item.required_roles, item.is_retired) == (2, ["call_handler"], True)


def test_the_missing_report_page_shows_the_guidance_for_reporting(signed_in, make_item):
    client, _ = signed_in(username="ch", roles=("call_handler",))
    make_item("What to do when a child is reported missing", places=("reporting_missing",), roles=("call_handler",))
    make_item("Police protection checklist", kind="document", places=("police_protection",))

    body = client.get("/missing/report/").content.decode()

    assert 'data-testid="guidance-panel"' in body
    assert "What to do when a child is reported missing" in body
    assert "Police protection checklist" not in body
    assert "Required reading" in body


def test_the_navigation_has_guidance(signed_in):
    client, _ = signed_in(username="pc", roles=("response_officer",))

    assert 'href="/guidance/"' in client.get("/").content.decode()
