"""The DMM API: /api/v1/dmm (board, meetings, decisions, actions)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.core.testing import sign_in
from haven.dmm.tests.meetings import action, decide, start

pytestmark = pytest.mark.django_db


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body, default=str), content_type="application/json")


def test_api_board_lists_sections_and_counts_and_logs_a_consultation(
    client: Any, inspector: Any, board_episode: Any
) -> None:
    from haven.audit.models import AccessEvent

    episode = board_episode(inspector, grade="high")
    sign_in(client, inspector)
    response = client.get("/api/v1/dmm/board")
    assert response.status_code == 200, response.content
    body = response.json()
    sections = {s["key"]: s for s in body["sections"]}
    assert [r["case_id"] for r in sections["missing"]["rows"]] == [str(episode.case.public_id)]
    assert sections["missing"]["rows"][0]["details"]["grade"] == "high"
    assert sections["protection"]["available"] is True  # haven.protection's section 3
    counts = {c["key"]: c["value"] for c in body["counts"]}
    assert counts["missing_high"] == 1
    assert counts["custody"] == 0  # haven.custody's section 4 (C-10): nobody in custody
    event = AccessEvent.objects.get(operation="consultation", detail__view="dmm_board_api")
    assert episode.case.public_id in event.case_ids


def test_api_board_filters(client: Any, inspector: Any, board_episode: Any) -> None:
    board_episode(inspector, host_authority="Leeds")
    sign_in(client, inspector)
    body = client.get("/api/v1/dmm/board?area=York").json()
    assert next(s for s in body["sections"] if s["key"] == "missing")["rows"] == []


def test_api_board_limit_lists_the_worst_rows_and_the_total(client: Any, inspector: Any, board_episode: Any) -> None:
    high = board_episode(inspector, grade="high")
    board_episode(inspector, grade="low")
    sign_in(client, inspector)
    body = client.get("/api/v1/dmm/board?limit=1").json()
    missing = next(s for s in body["sections"] if s["key"] == "missing")
    assert [r["case_id"] for r in missing["rows"]] == [str(high.case.public_id)]
    assert missing["total"] == 2
    everything = client.get("/api/v1/dmm/board").json()
    assert len(next(s for s in everything["sections"] if s["key"] == "missing")["rows"]) == 2
    bad = client.get("/api/v1/dmm/board?limit=0")
    assert bad.status_code == 422
    assert "limit" in str(bad.json()["error"])


def test_api_board_needs_the_permission(client: Any, make_user: Any) -> None:
    sign_in(client, make_user(roles=("administrator",)))
    assert client.get("/api/v1/dmm/board").status_code == 403


def test_api_meeting_decision_actions_and_close(client: Any, inspector: Any, officer: Any, board_episode: Any) -> None:
    from haven.deadlines.models import Deadline

    case = board_episode(officer).case
    sign_in(client, inspector)
    response = _post(client, "/api/v1/dmm/meetings", {"attendees": [officer.username]})
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    assert _post(client, "/api/v1/dmm/meetings", {}).status_code == 409  # one at a time

    due = clock.now() + timedelta(hours=5)
    response = _post(
        client,
        f"/api/v1/dmm/meetings/{meeting_id}/decisions",
        {
            "case": str(case.public_id),
            "section": "missing",
            "text": "Search",
            "actions": [{"what": "Search the park", "owner": officer.username, "due_at": due.isoformat()}],
        },
    )
    assert response.status_code == 201, response.content
    (action,) = response.json()["actions"]
    assert action["owner"]["username"] == officer.username
    assert Deadline.objects.filter(kind="dmm.action", case=case, responsible_user=officer).count() == 1

    response = _post(client, f"/api/v1/dmm/meetings/{meeting_id}/close", {})
    assert response.status_code == 200
    assert response.json()["state"] == "closed"
    response = _post(
        client, f"/api/v1/dmm/meetings/{meeting_id}/decisions", {"case": str(case.public_id), "text": "Late"}
    )
    assert response.status_code == 409

    client.logout()
    sign_in(client, officer)
    response = _post(client, f"/api/v1/dmm/actions/{action['id']}/done", {"outcome": "Searched: not there"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "done"


def test_api_decision_without_owner_is_422(client: Any, inspector: Any, board_episode: Any) -> None:
    case = board_episode(inspector).case
    sign_in(client, inspector)
    meeting_id = _post(client, "/api/v1/dmm/meetings", {}).json()["id"]
    response = _post(
        client,
        f"/api/v1/dmm/meetings/{meeting_id}/decisions",
        {
            "case": str(case.public_id),
            "text": "x",
            "actions": [{"what": "y", "owner": "nobody", "due_at": (clock.now() + timedelta(hours=1)).isoformat()}],
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"actions.0.owner": ["There is no active user nobody"]}


def test_api_unknown_meeting_is_404(client: Any, officer: Any, inspector: Any) -> None:
    sign_in(client, officer)
    assert client.get("/api/v1/dmm/meetings/00000000-0000-0000-0000-000000000000").status_code == 404
    client.logout()
    sign_in(client, inspector)
    response = _post(client, "/api/v1/dmm/meetings/00000000-0000-0000-0000-000000000000/close", {})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/dmm/meetings", {}),
        ("/api/v1/dmm/meetings/{meeting}/decisions", {"case": "{case}", "text": "Decided"}),
        ("/api/v1/dmm/meetings/{meeting}/close", {}),
        ("/api/v1/dmm/actions/{action}/done", {"outcome": "Done"}),
        ("/api/v1/dmm/actions/{action}/cancel", {"reason": "No longer needed"}),
    ],
)
def test_each_dmm_write_refuses_a_user_without_its_permission(
    client: Any, inspector: Any, officer: Any, make_user: Any, board_episode: Any, path: str, body: dict[str, Any]
) -> None:
    """Meetings, decisions, closing and cancelling need a chair; recording an action done needs the
    board (and then to own the action, or chair)."""
    from haven.dmm.models import Action, Meeting

    case = board_episode(officer).case
    meeting = start(inspector)
    (action_row,) = decide(meeting, case, inspector, action(officer)).actions.all()
    ids = {"meeting": meeting.public_id, "case": case.public_id, "action": action_row.public_id}
    lacking = officer if "/done" not in path else make_user(roles=("administrator",))
    sign_in(client, lacking)

    response = _post(client, path.format(**ids), {k: str(v).format(**ids) for k, v in body.items()})

    assert response.status_code == 403, response.content
    assert Meeting.objects.count() == 1
    assert Action.objects.get().state == "open"


def test_api_a_chair_cancels_an_action_with_the_reason(
    client: Any, inspector: Any, officer: Any, board_episode: Any
) -> None:
    from haven.deadlines.models import Deadline
    from haven.dmm.deadlines import action_key

    meeting = start(inspector)
    (row,) = decide(meeting, board_episode(officer).case, inspector, action(officer)).actions.all()
    sign_in(client, inspector)

    assert _post(client, f"/api/v1/dmm/actions/{row.public_id}/cancel", {"reason": ""}).json()["error"]["fields"] == {
        "reason": ["Say why the action no longer applies"]
    }
    response = _post(client, f"/api/v1/dmm/actions/{row.public_id}/cancel", {"reason": "Child found"})

    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["outcome"]) == ("cancelled", "Child found")
    assert Deadline.objects.get(key=action_key(row.public_id)).state == "cancelled"
    assert _post(client, f"/api/v1/dmm/actions/{row.public_id}/cancel", {"reason": "Again"}).status_code == 409
