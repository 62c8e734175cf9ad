"""Custody pages: booking in with the GOV.UK date input and error summary, each step, the detail page
in people's words, the certificate for court as a PDF, the home page and the DMM board."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.core import clock
from haven.core.operations import run
from haven.core.testing import sign_in
from haven.custody import operations
from haven.custody.models import Detention

pytestmark = pytest.mark.django_db


def _when(prefix: str, value: Any) -> dict[str, str]:
    local = timezone.localtime(value)
    return {
        f"{prefix}-day": str(local.day),
        f"{prefix}-month": str(local.month),
        f"{prefix}-year": str(local.year),
        f"{prefix}-time": f"{local:%H:%M}",
    }


def test_booking_in_by_page_with_the_error_summary(client: Any, staff: Any, child: Any) -> None:
    sign_in(client, staff["officer"])
    found = client.get("/custody/new/", {"q": "Kai Morgan"})
    assert found.status_code == 200
    assert f'href="?child={child.public_id}"'.encode() in found.content
    form = client.get("/custody/new/", {"child": str(child.public_id)})
    assert b"Time of arrest" in form.content
    now = clock.now()
    answers = {
        "child": str(child.public_id),
        "custody_reference": "NS-77",
        "offences": "Robbery",
        **_when("arrested_at", now - timedelta(minutes=40)),
        **_when("relevant_time", now - timedelta(minutes=20)),
        **_when("authorised_at", now - timedelta(minutes=10)),
    }
    missing = client.post("/custody/new/", answers)
    assert missing.status_code == 422
    assert b"govuk-error-summary" in missing.content
    assert b"Enter the time the appropriate adult was requested" in missing.content
    assert not Detention.objects.exists()
    done = client.post("/custody/new/", {**answers, **_when("aa_requested_at", now - timedelta(minutes=5))})
    assert done.status_code == 302
    Detention.objects.get()
    page = client.get(done["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Next review due" in text
    assert "C-0" not in text


def test_every_step_page_renders_and_the_charge_is_recorded(client: Any, staff: Any, book: Any) -> None:
    detention = book()
    sign_in(client, staff["officer"])
    for step in ("appropriate-adult", "welfare", "cell", "interview", "charge", "end"):
        assert client.get(f"/custody/{detention.public_id}/{step}/").status_code == 200, step
    now = clock.now()
    charged = client.post(
        f"/custody/{detention.public_id}/charge/",
        {
            "charges": "Robbery",
            "bail_decision": "refused",
            "bail_refused_grounds": "Fail to appear",
            **_when("charged_at", now),
            **_when("court_at", now + timedelta(hours=18)),
        },
    )
    assert charged.status_code == 302, charged.content.decode()[:2000]
    page = client.get(f"/custody/{detention.public_id}/").content.decode()
    assert "request local authority accommodation now" in page
    for step in ("accommodation-request", "certificate"):
        assert client.get(f"/custody/{detention.public_id}/{step}/").status_code == 200, step


def test_the_certificate_prints_for_court(client: Any, staff: Any, charged: Any) -> None:
    detention = charged()
    run(
        operations.certificate_record,
        actor=staff["officer"],
        target=detention,
        data={
            "reason": "impracticable",
            "circumstances": ["no_bed"],
            "details": "No beds.",
            "monitoring_inspector": "custodyinsp",
        },
    )
    sign_in(client, staff["officer"])
    page = client.get(f"/custody/{detention.public_id}/").content.decode()
    assert "A lack of a bed does not make a move impracticable" in page
    pdf = client.get(f"/custody/{detention.public_id}/certificate.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_home_list_and_board_show_the_child(client: Any, staff: Any, charged: Any) -> None:
    charged()
    sign_in(client, staff["officer"])
    home = client.get("/").content.decode()
    assert 'data-testid="home-in-custody"' in home
    assert "Kai Morgan" in home
    listing = client.get("/custody/").content.decode()
    assert "No request for accommodation" in listing
    client.logout()
    sign_in(client, staff["inspector"])
    board = client.get("/dmm/").content.decode()
    assert "Children in custody" in board
    assert "Not requested" in board


def test_a_review_page_is_the_inspectors(client: Any, staff: Any, book: Any) -> None:
    detention = book()
    sign_in(client, staff["officer"])
    assert client.get(f"/custody/{detention.public_id}/review/").status_code == 403


def test_c04_a_review_left_without_its_decision_is_not_taken_as_detention_continuing(
    client: Any, staff: Any, book: Any
) -> None:
    detention = book()
    sign_in(client, staff["inspector"])
    page = client.get(f"/custody/{detention.public_id}/review/").content.decode()
    assert "Does detention continue? (optional)" not in page
    now = clock.now()
    when = {"done_at-day": now.day, "done_at-month": now.month, "done_at-year": now.year}
    refused = client.post(f"/custody/{detention.public_id}/review/", {**when, "done_at-time": now.strftime("%H:%M")})
    assert refused.status_code == 422
    words = refused.content.decode()
    assert "There is a problem" in words
    assert "whether detention continues" in words.lower()
    assert not detention.reviews.exists()


def test_the_case_page_leads_on_to_the_detention(client: Any, staff: Any, book: Any) -> None:
    detention = book()
    sign_in(client, staff["officer"])
    page = client.get(f"/cases/{detention.case.public_id}/").content.decode()
    assert f"/custody/{detention.public_id}/" in page
    assert "Open the detention record" in page


def test_a_refused_appropriate_adult_is_explained_in_the_error_summary(client: Any, staff: Any, book: Any) -> None:
    detention = book()
    sign_in(client, staff["officer"])
    answer = {"aa_type": "other", "aa_name": "PC Lane", "aa_occupation": "police_officer"}
    refused = client.post(f"/custody/{detention.public_id}/appropriate-adult/", answer)
    assert refused.status_code == 422
    page = refused.content.decode().replace("&#x27;", "'")
    assert "govuk-error-summary" in page
    assert "The appropriate adult cannot be a police officer" in page
    detention.refresh_from_db()
    assert detention.aa_name == ""


def test_a_certificate_under_12_for_reason_b_is_refused_in_words(
    client: Any, staff: Any, charged: Any, make_child: Any
) -> None:
    detention = charged(about=make_child("Alfie", "Ward", age=11))
    sign_in(client, staff["officer"])
    answer = {"reason": "no_secure", "details": "Serious violence.", "monitoring_inspector": "custodyinsp"}
    refused = client.post(f"/custody/{detention.public_id}/certificate/", answer)
    assert refused.status_code == 422
    assert "This reason applies only to a child aged 12 or over" in refused.content.decode()
