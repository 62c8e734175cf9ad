"""The guidance API: the library's reads, a read recorded, and the administrators' writes built from
their declarations."""

from __future__ import annotations

import pytest

from haven.guidance.models import GuidanceItem, GuidanceRead

pytestmark = pytest.mark.django_db

BODY = {
    "title": "What to do when a child is reported missing",
    "kind": "video",
    "summary": "The first questions to ask.",
    "places": ["reporting_missing"],
    "review_date": "2026-12-01",
    "url": "https://learning.example.police.uk/briefing",
}


def test_an_administrator_adds_requires_and_publishes_through_the_api(signed_in):
    client, admin = signed_in(username="lib", roles=("administrator",))

    created = client.post("/api/v1/guidance/items", BODY, content_type="application/json")
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    required = client.put(
        f"/api/v1/guidance/items/{item_id}/required-roles", {"roles": ["call_handler"]}, content_type="application/json"
    )
    published = client.post(
        f"/api/v1/guidance/items/{item_id}/versions",
        {"what_changed": "New number.", "review_date": "2027-01-01"},
        content_type="application/json",
    )

    assert required.status_code == 200
    assert required.json()["required_roles"] == ["call_handler"]
    assert published.status_code == 201
    body = published.json()
    assert body["current_version"] == 2
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert GuidanceItem.objects.get(public_id=item_id).owner == admin


def test_an_officer_reads_the_library_and_records_a_read(signed_in, make_item):
    client, officer = signed_in(username="pc", roles=("response_officer",))
    item = make_item(roles=("response_officer",))

    listed = client.get("/api/v1/guidance/items?place=reporting_missing")
    one = client.get(f"/api/v1/guidance/items/{item.public_id}")
    recorded = client.post(
        f"/api/v1/guidance/items/{item.public_id}/reads", {"version": 1}, content_type="application/json"
    )
    again = client.post(
        f"/api/v1/guidance/items/{item.public_id}/reads", {"version": 1}, content_type="application/json"
    )

    assert [i["title"] for i in listed.json()] == [item.title]
    assert one.json()["read_current"] is False
    assert recorded.status_code == 201
    assert recorded.json()["version"] == 1
    assert again.status_code == 409
    assert client.get(f"/api/v1/guidance/items/{item.public_id}").json()["read_current"] is True
    assert GuidanceRead.objects.filter(reader=officer).count() == 1


def test_an_officer_cannot_write_to_the_library(signed_in, make_item):
    client, _ = signed_in(username="pc", roles=("response_officer",))
    item = make_item()

    assert client.post("/api/v1/guidance/items", BODY, content_type="application/json").status_code == 403
    answer = client.post(
        f"/api/v1/guidance/items/{item.public_id}/retirement", {"reason": "x"}, content_type="application/json"
    )
    assert answer.status_code == 403


def test_an_unknown_item_is_404_and_a_bad_body_422(signed_in):
    client, _ = signed_in(username="lib", roles=("administrator",))

    assert client.get("/api/v1/guidance/items/00000000-0000-4000-8000-000000000000").status_code == 404
    bad = client.post("/api/v1/guidance/items", {**BODY, "places": []}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"]["places"] == ["Select where it applies"]


def test_a_partner_cannot_read_the_library(signed_in):
    client, _ = signed_in(username="agency", roles=("partner",), rank=None, team=None)

    assert client.get("/api/v1/guidance/items").status_code == 403
