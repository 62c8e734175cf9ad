"""The cases API: /api/v1/cases."""

from __future__ import annotations

import json

from haven.cases.models import Case
from haven.core.permissions import Perm
from haven.core.testing import sign_in


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_api_opens_a_case(client, make_user, make_person, events):
    user = make_user(roles=("call_handler",), team="IMU")
    child = make_person()
    sign_in(client, user)
    response = _post(client, "/api/v1/cases", {"subject": str(child.public_id), "summary": "Alone at station"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("HVN-")
    assert body["owner"]["username"] == user.username
    assert body["team"] == "IMU"
    assert body["involvements"] == [{"person": {"id": str(child.public_id), "name": str(child)}, "role": "subject"}]
    assert events(case=Case.objects.get(), operation="collection")


def test_api_open_with_unknown_subject_is_422(client, make_user):
    sign_in(client, make_user(roles=("call_handler",)))
    response = _post(client, "/api/v1/cases", {"subject": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 422
    assert "subject" in response.json()["error"]["fields"]


def test_api_open_refused_for_roles_without_open(client, make_user, make_person):
    sign_in(client, make_user(roles=("analyst",)))
    response = _post(client, "/api/v1/cases", {"subject": str(make_person().public_id)})
    assert response.status_code == 403


def test_api_list_filters_mine_and_state(client, make_user, make_case):
    user = make_user(roles=("supervisor",), team="RESP")
    mine = make_case(user)
    other = make_case(make_user(roles=("response_officer",), team="RESP"))
    sign_in(client, user)
    assert {c["id"] for c in client.get("/api/v1/cases?mine=true").json()} == {str(mine.public_id)}
    assert {c["id"] for c in client.get("/api/v1/cases?state=open").json()} == {
        str(mine.public_id),
        str(other.public_id),
    }
    assert client.get("/api/v1/cases?state=closed").json() == []
    assert client.get("/api/v1/cases?state=bogus").status_code == 422


def test_api_get_unknown_or_hidden_case_is_404_envelope(client, make_user, make_case, events):
    user = make_user(roles=("response_officer",), team="RESP")
    hidden = make_case(make_user(roles=("response_officer",), team="OTHER"))
    sign_in(client, user)
    for case_id in (hidden.public_id, "00000000-0000-0000-0000-000000000000"):
        response = client.get(f"/api/v1/cases/{case_id}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert events(case=hidden, actor=user, outcome="denied")


def test_api_note_handover_and_acknowledge(client, make_user, make_case):
    owner = make_user("owner", roles=("response_officer",), team="RESP")
    taker = make_user("taker", roles=("investigator",), team="CATE")
    case = make_case(owner)
    sign_in(client, owner)
    note = _post(client, f"/api/v1/cases/{case.public_id}/notes", {"kind": "fact", "text": "Seen.\nSafe."})
    assert note.status_code == 201
    assert note.json()["kind"] == "fact"
    assert _post(client, f"/api/v1/cases/{case.public_id}/notes", {"kind": "gossip", "text": "x"}).status_code == 422
    handed = _post(client, f"/api/v1/cases/{case.public_id}/handover", {"to_user": "taker", "reason": "CATE lead."})
    assert handed.status_code == 200
    assert handed.json()["acknowledged_at"] is None
    detail = client.get(f"/api/v1/cases/{case.public_id}").json()
    assert detail["awaiting_acknowledgement"] is True
    assert detail["pending_owner"]["username"] == "taker"
    assert client.post(f"/api/v1/cases/{case.public_id}/acknowledge").status_code == 403
    client.logout()
    sign_in(client, taker)
    ack = client.post(f"/api/v1/cases/{case.public_id}/acknowledge")
    assert ack.status_code == 200
    assert ack.json()["acknowledged_at"]
    assert client.post(f"/api/v1/cases/{case.public_id}/acknowledge").status_code == 409
    assert Case.objects.get(pk=case.pk).owner == taker


def test_api_token_needs_the_handover_scope_to_hand_over(client, make_user, make_case):
    from haven.accounts import services as accounts
    from haven.accounts.schemas import TokenIn

    owner = make_user(roles=("response_officer",))
    make_user("taker", roles=("investigator",))
    case = make_case(owner)
    _, raw = accounts.api_token_create(actor=owner, data=TokenIn(name="Read only", scopes=[Perm.CASES_CASE_VIEW]))
    response = client.post(
        f"/api/v1/cases/{case.public_id}/handover",
        json.dumps({"to_user": "taker", "reason": "x"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 403
    listed = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})
    assert [c["id"] for c in listed.json()] == [str(case.public_id)]
