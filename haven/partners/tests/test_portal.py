"""The partner portal: a partner user sees only what was shared with their own agency (anything else
answers 404, on the pages, through the API and in the services), acknowledges receipt (S-02) and
records their decision; the police side reads both back by the referral's reference."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from haven.api.tests.support import bearer
from haven.audit.choices import Operation
from haven.audit.models import AccessEvent
from haven.core import clock
from haven.core.errors import Conflict, NotFound
from haven.core.operations import run
from haven.core.testing import sign_in
from haven.deadlines.models import Deadline, DeadlineState
from haven.notifications.models import Notification
from haven.partners import deadlines as dl
from haven.partners import operations, selectors
from haven.partners.choices import AgencyKind

pytestmark = pytest.mark.django_db

# The sweep is the deadline engine's own; a test runs it as the worker does.
sweep = importlib.import_module("haven.deadlines.sweep").sweep


@pytest.fixture
def two(make_agency: Any, make_partner: Any, make_share: Any, ranks: Any) -> dict[str, Any]:
    leeds = make_agency()
    bradford = make_agency(
        "Bradford Children's Services", local_authority="Bradford Council", notice_email="mash@bradford.example"
    )
    return {
        "leeds": leeds,
        "bradford": bradford,
        "leeds_user": make_partner(leeds, "leeds_sw"),
        "bradford_user": make_partner(bradford, "bradford_sw"),
        "leeds_item": make_share(leeds, sharer=ranks["officer"], reference="CCR-L"),
        "bradford_item": make_share(bradford, sharer=ranks["officer"], reference="CCR-B"),
    }


def test_a_partner_user_lists_only_their_own_agency_s_items(two: dict[str, Any]) -> None:
    assert selectors.items_for_partner(user=two["leeds_user"]) == [two["leeds_item"]]
    assert selectors.items_for_partner(user=two["bradford_user"]) == [two["bradford_item"]]


def test_another_agency_s_item_is_not_found_on_the_page(client: Client, two: dict[str, Any]) -> None:
    sign_in(client, two["leeds_user"])

    own = client.get(f"/partner/items/{two['leeds_item'].public_id}/")
    other = client.get(f"/partner/items/{two['bradford_item'].public_id}/")
    decide_other = client.get(f"/partner/items/{two['bradford_item'].public_id}/decision/")

    assert own.status_code == 200
    assert "Found alone at home" in own.content.decode()
    assert other.status_code == 404
    assert decide_other.status_code == 404


def test_another_agency_s_item_is_not_found_through_the_api(
    client: Client, two: dict[str, Any], make_token: Any
) -> None:
    raw = make_token(two["leeds_user"])

    listed = client.get("/api/v1/partner/items", headers=bearer(raw))
    other = client.get(f"/api/v1/partner/items/{two['bradford_item'].public_id}", headers=bearer(raw))
    ack_other = client.post(
        f"/api/v1/partner/items/{two['bradford_item'].public_id}/acknowledgement", headers=bearer(raw)
    )

    assert [i["reference"] for i in listed.json()] == ["CCR-L"]
    assert other.status_code == 404
    assert ack_other.status_code == 404
    two["bradford_item"].refresh_from_db()
    assert two["bradford_item"].acknowledged_at is None


def test_a_partner_service_refuses_another_agency_s_item_as_not_found(two: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        run(operations.item_acknowledge, actor=two["leeds_user"], target=two["bradford_item"], data={})


def test_a_partner_user_without_an_agency_sees_nothing(client: Client, two: dict[str, Any], make_user: Any) -> None:
    loose = make_user("loose", roles=("partner",), team=None, rank=None)
    sign_in(client, loose)

    assert client.get("/partner/").status_code == 404
    assert client.get(f"/partner/items/{two['leeds_item'].public_id}/").status_code == 404


def test_an_officer_cannot_open_the_portal(client: Client, two: dict[str, Any], ranks: Any) -> None:
    sign_in(client, ranks["officer"])

    assert client.get("/partner/").status_code == 403
    assert client.get(f"/partner/items/{two['leeds_item'].public_id}/").status_code == 403


def test_s02_acknowledging_meets_the_deadline_and_the_police_see_it(
    client: Client, two: dict[str, Any], ranks: Any
) -> None:
    sign_in(client, two["leeds_user"])

    response = client.post(f"/partner/items/{two['leeds_item'].public_id}/")

    assert response.status_code == 302
    deadline = Deadline.objects.get(key=dl.key(two["leeds_item"]))
    assert deadline.state == DeadlineState.MET
    [state] = selectors.shared_state(user=ranks["officer"], reference="CCR-L")
    assert state.acknowledged
    assert state.acknowledged_by == two["leeds_user"].display_name
    with pytest.raises(Conflict):
        run(operations.item_acknowledge, actor=two["leeds_user"], target=two["leeds_item"], data={})


def test_s02_an_unacknowledged_share_escalates_when_late(two: dict[str, Any], ranks: Any) -> None:
    item = two["leeds_item"]

    clock.freeze(item.acknowledge_due_at + timedelta(minutes=1))
    sweep()
    clock.freeze(item.acknowledge_due_at + timedelta(hours=4, minutes=1))
    sweep()

    deadline = Deadline.objects.get(key=dl.key(item))
    assert deadline.state == DeadlineState.BREACHED
    assert Notification.objects.filter(deadline=deadline, recipient=ranks["officer"]).exists()
    assert Notification.objects.filter(deadline=deadline, recipient=ranks["sergeant"], severity="urgent").exists()


def test_the_decision_is_recorded_with_notes_and_read_back_by_reference(
    client: Client, two: dict[str, Any], ranks: Any
) -> None:
    sign_in(client, two["leeds_user"])
    url = f"/partner/items/{two['leeds_item'].public_id}/decision/"

    empty = client.post(url, {"notes": ""})
    done = client.post(url, {"decision": "s47", "notes": "Strategy discussion tomorrow 10:00."})

    assert empty.status_code == 422
    assert "Select what your agency decided" in empty.content.decode()
    assert done.status_code == 302
    [state] = selectors.shared_state(user=ranks["officer"], reference="CCR-L")
    assert state.decision == "s47"
    assert state.decision_notes == "Strategy discussion tomorrow 10:00."
    assert state.acknowledged  # deciding acknowledges receipt too
    assert AccessEvent.objects.filter(
        operation=Operation.CONSULTATION, actor=ranks["officer"], detail__view="shared state"
    ).exists()


def test_reading_an_item_is_logged_for_the_partner_user(client: Client, two: dict[str, Any]) -> None:
    sign_in(client, two["leeds_user"])

    client.get(f"/partner/items/{two['leeds_item'].public_id}/")

    assert AccessEvent.objects.filter(
        operation=Operation.CONSULTATION,
        actor=two["leeds_user"],
        detail__items=[str(two["leeds_item"].public_id)],
    ).exists()


def test_a_user_belongs_to_one_agency_only(two: dict[str, Any], make_user: Any) -> None:
    admin = make_user("admin", roles=("administrator",), team=None)

    with pytest.raises(Conflict):
        run(operations.member_add, actor=admin, target=two["bradford"], data={"username": "leeds_sw"})


def test_only_a_partner_user_may_join_an_agency(two: dict[str, Any], make_user: Any, ranks: Any) -> None:
    from haven.core.errors import ValidationFailed

    admin = make_user("admin", roles=("administrator",), team=None)

    with pytest.raises(ValidationFailed):
        run(operations.member_add, actor=admin, target=two["leeds"], data={"username": ranks["officer"].username})


def test_an_administrator_adds_an_agency_with_its_kind_s_projection(client: Client, make_user: Any) -> None:
    admin = make_user("admin", roles=("administrator",), team=None)
    sign_in(client, admin)

    bad = client.post("/partner/agencies/new/", {"name": "", "notice_email": "not an address"})
    good = client.post(
        "/partner/agencies/new/",
        {"name": "Leeds Youth Justice Service", "kind": AgencyKind.YOUTH_JUSTICE, "notice_email": "yjs@leeds.example"},
    )

    assert bad.status_code == 422
    assert "govuk-error-summary" in bad.content.decode()
    assert good.status_code == 302
    agency = selectors.agencies(user=admin)[0]
    assert agency.projection == ["children", "concerns", "narrative", "risk", "officer"]


def test_the_agencies_pages_are_for_administrators_only(client: Client, two: dict[str, Any]) -> None:
    sign_in(client, two["leeds_user"])

    assert client.get("/partner/agencies/").status_code == 403
    assert client.get(f"/partner/agencies/{two['leeds'].public_id}/").status_code == 403
