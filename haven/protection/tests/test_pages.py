"""Police protection pages and API: the journey through the pages, the GOV.UK error summary, 4xx with
nothing written, 404 for what one may not see, and PP-10 (never "police protection order")."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from haven.core import clock
from haven.core.testing import sign_in
from haven.protection.models import Notification, PoliceProtection
from haven.protection.tests.conftest import record_all
from haven.ui.forms import GovukDateInput

pytestmark = pytest.mark.django_db

APP = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile(r"police\s+protection\s+order", re.IGNORECASE)


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_constable_records_police_protection_through_the_pages(client, force, child):
    sign_in(client, force["constable"])
    page = client.get("/protection/start/", {"q": "Lily Marsh"}).content.decode()
    assert f"?child={child.public_id}" in page
    form = client.get("/protection/start/", {"child": str(child.public_id)})
    assert form.status_code == 200
    started = clock.now() - timedelta(minutes=30)
    body = {
        "child": str(child.public_id),
        "power": "remove",
        "grounds": "Alone at 2am; mother arrested.",
        "place": "14 Canal Street",
        "designated_officer": force["designated"].username,
        **GovukDateInput.post_data("started_at", started),
    }
    bad = client.post(
        f"/protection/start/?child={child.public_id}", {**body, "designated_officer": "ppsergeant", "check": "1"}
    )
    assert bad.status_code == 422
    assert "govuk-error-summary" in bad.content.decode()
    assert "inspector rank or above" in bad.content.decode()
    assert not PoliceProtection.objects.exists()
    check = client.post(f"/protection/start/?child={child.public_id}", {**body, "check": "1"})
    assert check.status_code == 200
    assert "Check before you record police protection" in check.content.decode()
    assert not PoliceProtection.objects.exists()
    change = client.post(f"/protection/start/?child={child.public_id}", {**body, "change": "1"})
    assert "14 Canal Street" in change.content.decode()
    response = client.post(f"/protection/start/?child={child.public_id}", {**body, "confirm": "1"})
    protection = PoliceProtection.objects.get()
    assert response["Location"] == f"/protection/{protection.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "71 hours left" in page
    assert "Not yet recorded" in page
    listing = client.get("/protection/").content.decode()
    assert "Lily Marsh" in listing
    home = client.get("/").content.decode()
    assert "Children in police protection" in home


def test_an_adult_the_search_finds_is_said_to_be_one_and_not_offered(client, force, child, make_child):
    adult = make_child("Lily", "Marsh", age=34)
    sign_in(client, force["constable"])

    page = client.get("/protection/start/", {"q": "Lily Marsh"}).content.decode()

    assert f"?child={child.public_id}" in page
    assert f"?child={adult.public_id}" not in page
    assert "an adult, so not for police protection" in page


def test_the_station_needs_its_reason_in_the_error_summary(client, force, start):
    protection = start()
    sign_in(client, force["constable"])
    response = client.post(f"/protection/{protection.public_id}/accommodation/", {"accommodation": "police_station"})
    assert response.status_code == 422
    assert "exceptional circumstances" in response.content.decode()


def test_the_designated_officer_ends_it_through_the_pages(client, force, start, events):
    protection = start(hours_ago=60)
    record_all(protection, force)
    sign_in(client, force["constable"])
    assert client.get(f"/protection/{protection.public_id}/end/").status_code == 403
    client.logout()
    sign_in(client, force["relief"])  # an inspector, but not this child's designated officer
    assert client.get(f"/protection/{protection.public_id}/end/").status_code == 404
    client.logout()
    sign_in(client, force["designated"])
    page = client.get(f"/protection/{protection.public_id}/end/").content.decode()
    assert "Check the notifications" in page
    read = events(case=protection.case, person=protection.child, actor=force["designated"], operation="consultation")
    assert read  # the end page's read is logged (s62), naming the child and the case
    late = clock.now() + timedelta(hours=13)
    refused = client.post(
        f"/protection/{protection.public_id}/end/",
        {"outcome": "released", "decision": "Released to grandmother.", **GovukDateInput.post_data("ended_at", late)},
    )
    assert refused.status_code == 422
    response = client.post(
        f"/protection/{protection.public_id}/end/",
        {
            "outcome": "released",
            "decision": "Released to grandmother.",
            **GovukDateInput.post_data("ended_at", clock.now()),
        },
    )
    assert response.status_code == 302
    assert PoliceProtection.objects.get().outcome == "released"


def test_api_starts_reads_and_refuses_bad_input_with_nothing_written(client, force, child):
    sign_in(client, force["constable"])
    body = {
        "child": str(child.public_id),
        "power": "remove",
        "grounds": "Alone at 2am.",
        "started_at": clock.now().isoformat(),
        "place": "14 Canal Street",
        "designated_officer": force["designated"].username,
    }
    for bad in (
        {**body, "designated_officer": force["constable"].username},  # PP-03
        {**body, "power": "order"},
        {**body, "started_at": (clock.now() + timedelta(hours=2)).isoformat()},
        {**body, "started_at": (clock.now() - timedelta(hours=80)).isoformat()},
        {**body, "grounds": ""},
        {k: v for k, v in body.items() if k != "designated_officer"},
    ):
        response = _post(client, "/api/v1/protection", bad)
        assert 400 <= response.status_code < 500, bad
        assert "detail" in response.json() or "errors" in response.json() or response.json()
    assert not PoliceProtection.objects.exists()
    response = _post(client, "/api/v1/protection", body)
    assert response.status_code == 201, response.content
    found = response.json()
    assert found["hours_left"] == 71
    pid = found["id"]
    bad_note = _post(
        client, f"/api/v1/protection/{pid}/notifications", {"item": "la_found", "at": clock.now().isoformat()}
    )
    assert bad_note.status_code == 422
    assert not Notification.objects.exists()
    assert client.get(f"/api/v1/protection/{pid}").status_code == 200
    assert client.get("/api/v1/protection").json()[0]["notifications_missing"]
    end = _post(
        client,
        f"/api/v1/protection/{pid}/endings",
        {"ended_at": clock.now().isoformat(), "outcome": "released", "decision": "Released."},
    )
    assert end.status_code == 403  # a constable has not the designated officer's permission


def test_hidden_from_a_stranger_404(client, force, start):
    protection = start()
    sign_in(client, force["stranger"])
    assert client.get(f"/protection/{protection.public_id}/").status_code == 404
    assert client.get(f"/api/v1/protection/{protection.public_id}").status_code == 404


def test_pp10_never_called_a_police_protection_order(client, force, start):
    """PP-10: every template and source of the app, every page, the API document: no "police protection
    order" (the app makes no PDF: none is found here either)."""
    for source in APP.rglob("*"):
        if source.suffix in (".html", ".py", ".txt") and "tests" not in source.parts:
            assert not FORBIDDEN.search(source.read_text()), source
    assert not list(APP.rglob("*.pdf"))
    docs = APP.parents[1] / "docs" / "protection.md"
    if docs.exists():
        assert not FORBIDDEN.search(docs.read_text())
    protection = start(hours_ago=3)
    record_all(protection, force)
    pages = []
    sign_in(client, force["designated"])
    for path in (
        "/protection/",
        f"/protection/{protection.public_id}/",
        f"/protection/{protection.public_id}/end/",
        f"/protection/{protection.public_id}/inquiry/",
        f"/protection/{protection.public_id}/contact/",
        f"/protection/{protection.public_id}/epo/",
        f"/protection/{protection.public_id}/strategy-discussion/",
        f"/protection/{protection.public_id}/designated-officer/",
        f"/protection/{protection.public_id}/accommodation/",
        f"/protection/{protection.public_id}/notifications/?item=parents",
        "/protection/start/",
        f"/protection/start/?child={protection.child.public_id}",
        "/",
        "/api/v1/openapi.json",
        f"/api/v1/protection/{protection.public_id}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        pages.append(response.content.decode())
    for text in pages:
        assert not FORBIDDEN.search(text)
    assert "police protection" in pages[1].lower()


def test_the_case_page_leads_to_the_record_and_offers_police_protection_on_other_cases(
    client, force, start, make_case, child
):
    protection = start()
    sign_in(client, force["constable"])
    page = client.get(f"/cases/{protection.case.public_id}/").content.decode()
    assert f"/protection/{protection.public_id}/" in page
    other = make_case(force["constable"], subject=child)
    page = client.get(f"/cases/{other.public_id}/").content.decode()
    assert f"/protection/start/?child={child.public_id}" in page


def test_pp07_the_refuge_address_page_only_with_need_to_know(client, force, start):
    from haven.core.operations import run
    from haven.protection import operations

    protection = start()
    run(
        operations.accommodation_record,
        actor=force["constable"],
        target=protection,
        data={"accommodation": "refuge", "address": "Safe House, 1 Hidden Lane"},
    )
    sign_in(client, force["relief"])  # an inspector who may see the case, without need-to-know
    page = client.get(f"/protection/{protection.public_id}/").content.decode()
    assert "Address withheld (refuge)" in page
    assert "Hidden Lane" not in page
    assert client.get(f"/protection/{protection.public_id}/accommodation/address/").status_code == 404
    client.logout()
    sign_in(client, force["designated"])
    assert "Hidden Lane" not in client.get(f"/protection/{protection.public_id}/").content.decode()
    shown = client.get(f"/protection/{protection.public_id}/accommodation/address/")
    assert shown.status_code == 200
    assert "Hidden Lane" in shown.content.decode()


def test_pp09_the_strategy_discussion_is_recorded_from_the_police_protection_page(client, force, start):
    from haven.deadlines.models import Deadline

    protection = start()
    sign_in(client, force["designated"])
    body = {
        "form": "record",
        "attendees": "DS Kaur; SW Patel",
        "agencies": "Police\nChildren's services",
        "outcome": "s47",
        "decision": "Section 47 enquiries.",
        **GovukDateInput.post_data("held_on", clock.now().date(), time=False),
    }
    bad = client.post(f"/protection/{protection.public_id}/strategy-discussion/", {**body, "attendees": ""})
    assert bad.status_code == 422
    assert "govuk-error-summary" in bad.content.decode()
    response = client.post(f"/protection/{protection.public_id}/strategy-discussion/", body)
    assert response.status_code == 302
    assert PoliceProtection.objects.get().strategy_discussion is not None
    assert Deadline.objects.get(case=protection.case, kind="protection.strategy").state == "met"


def test_pp05_only_the_child_told_and_the_parents_may_be_recorded_as_not_done(client, force, start):
    protection = start()
    sign_in(client, force["constable"])
    must = client.get(f"/protection/{protection.public_id}/notifications/?item=la_found").content.decode()
    assert "Was it done?" not in must
    may = client.get(f"/protection/{protection.public_id}/notifications/?item=parents").content.decode()
    assert "Was it done?" in may
    assert "Why was it not done?" in may
    assert client.get(f"/protection/{protection.public_id}/notifications/?item=order").status_code == 404
