"""The custody events API: /api/v1/custody. Every event idempotent (a retry answers 200 with the record as
it is, the key reused for another event 409), bad events 4xx with nothing written, hidden records 404."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.core.testing import sign_in
from haven.custody.models import Detention, EventKey, Review
from haven.custody.tests.conftest import booking

pytestmark = pytest.mark.django_db

BASE = "/api/v1/custody"


def _post(client: Any, path: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(BASE + path, data=json.dumps(body), content_type="application/json", **headers)


def test_booking_in_is_idempotent(client: Any, staff: Any, child: Any) -> None:
    sign_in(client, staff["officer"])
    body = booking(child)
    first = _post(client, "/detentions", body, HTTP_IDEMPOTENCY_KEY="cust-0412-1")
    assert first.status_code == 201, first.content
    again = _post(client, "/detentions", body, HTTP_IDEMPOTENCY_KEY="cust-0412-1")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Detention.objects.count() == 1
    other = _post(client, "/detentions", {**body, "offences": "Burglary"}, HTTP_IDEMPOTENCY_KEY="cust-0412-1")
    assert other.status_code == 409
    assert other.json()["error"]["fields"]["idempotency_key"]
    assert Detention.objects.count() == 1


def test_every_event_is_idempotent_and_a_reused_key_for_another_event_is_409(
    client: Any, staff: Any, book: Any
) -> None:
    detention = book()
    clock.travel(timedelta(hours=2))
    sign_in(client, staff["inspector"])
    path = f"/detentions/{detention.public_id}/reviews"
    body = {"done_at": clock.now().isoformat(), "continued": True, "aa_present": True, "idempotency_key": "rev-1"}
    first = _post(client, path, body)
    assert first.status_code == 201, first.content
    assert len(first.json()["reviews"]) == 1
    again = _post(client, path, body)
    assert again.status_code == 200
    assert Review.objects.count() == 1
    other = _post(client, path, {**body, "note": "Another review"})
    assert other.status_code == 409
    assert Review.objects.count() == 1
    assert EventKey.objects.count() == 1


def test_bad_events_are_4xx_with_nothing_written(client: Any, staff: Any, book: Any, child: Any) -> None:
    sign_in(client, staff["officer"])
    no_aa = _post(client, "/detentions", booking(child, aa_requested_at=None, custody_reference="X-1"))
    assert no_aa.status_code == 422
    assert "aa_requested_at" in no_aa.json()["error"]["fields"]
    naive = _post(client, "/detentions", booking(child, arrested_at="2026-12-01T10:00:00", custody_reference="X-2"))
    assert naive.status_code == 422
    assert not Detention.objects.exists()
    detention = book()
    adult_cell = _post(client, f"/detentions/{detention.public_id}/cell", {"cell": "C1", "cell_occupants": "adult"})
    assert adult_cell.status_code == 422
    too_early = _post(
        client,
        f"/detentions/{detention.public_id}/accommodation-requests",
        {"la_requested_at": clock.now().isoformat(), "la_authority": "Northshire", "la_type": "non_secure"},
    )
    assert too_early.status_code == 409  # not charged
    detention.refresh_from_db()
    assert (detention.cell, detention.la_requested_at) == ("", None)
    assert not EventKey.objects.exists()


def test_reads_and_a_hidden_detention_is_404(client: Any, staff: Any, book: Any, make_user: Any) -> None:
    detention = book()
    sign_in(client, staff["inspector"])
    one = client.get(f"{BASE}/detentions/{detention.public_id}")
    assert one.status_code == 200
    assert one.json()["custody_reference"] == detention.custody_reference
    listing = client.get(f"{BASE}/detentions")
    assert [r["custody_reference"] for r in listing.json()] == [detention.custody_reference]
    response_officer = make_user("respo", roles=("response_officer",), team="RESP-A")
    client.logout()
    sign_in(client, response_officer)
    assert client.get(f"{BASE}/detentions/{detention.public_id}").status_code in (403, 404)
    outsider = make_user("suiteb", roles=("custody_officer",), team="OTHER")
    client.logout()
    sign_in(client, outsider)
    assert client.get(f"{BASE}/detentions/{detention.public_id}").status_code == 404
    welfare = {"welfare_person": "Mum", "welfare_informed_at": clock.now().isoformat()}
    assert _post(client, f"/detentions/{detention.public_id}/welfare", welfare).status_code == 404
