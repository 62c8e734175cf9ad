"""Escalations through the API (issue 16, finding 13): each step of the ladders of the deadlines on cases
the caller may see, pending, fired or skipped, logged as a consultation of the cases shown; another
team's officer sees none of them."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest

from haven import factories
from haven.api.tests.support import assert_envelope, bearer

# The deadlines app sits above haven.api in the layers: its sweep is reached by name (import-linter).
sweep = importlib.import_module("haven.deadlines.sweep").sweep

pytestmark = pytest.mark.django_db


def test_escalations_list_what_fired_on_cases_the_caller_may_see_and_log_them(
    client, clock, events, make_user, make_token
):
    sergeant = make_user("escsarge", roles=("supervisor",), team="MISS")
    episode = factories.episode(reporter=sergeant)
    raw = make_token(sergeant, scopes=("cases:case:view",))
    logged = len(events(case=episode.case, actor=sergeant, operation="consultation"))

    before = client.get("/api/v1/deadlines/escalations", headers=bearer(raw))
    assert before.status_code == 200, before.content
    assert before.json(), "reporting a child sets deadlines with escalation ladders"
    assert {row["state"] for row in before.json()} == {"pending"}
    assert {row["case_id"] for row in before.json()} == {str(episode.case.public_id)}

    clock.travel(timedelta(days=2))
    sweep()
    fired = client.get("/api/v1/deadlines/escalations?fired=true", headers=bearer(raw))
    assert fired.status_code == 200
    rows = fired.json()
    assert rows
    assert all(row["state"] in ("fired", "skipped") and row["fired_at"] for row in rows)
    assert {"deadline_id", "deadline_kind", "step", "notify", "severity", "recipients"} <= set(rows[0])
    one = rows[0]["deadline_id"]
    narrowed = client.get(f"/api/v1/deadlines/escalations?deadline={one}", headers=bearer(raw)).json()
    assert narrowed
    assert {row["deadline_id"] for row in narrowed} == {one}
    assert len(events(case=episode.case, actor=sergeant, operation="consultation")) >= logged + 3


def test_another_team_s_officer_sees_no_escalation_of_a_case_they_may_not_see(client, make_user, make_token):
    sergeant = make_user("escowner", roles=("supervisor",), team="MISS")
    factories.episode(reporter=sergeant)
    outsider = make_user("escoutsider", roles=("response_officer",), team="OTHER")
    raw = make_token(outsider, scopes=("cases:case:view",))
    answer = client.get("/api/v1/deadlines/escalations", headers=bearer(raw))
    assert answer.status_code == 200
    assert answer.json() == []
    some = factories.episode(reporter=sergeant)
    from django.apps import apps

    hidden = apps.get_model("deadlines", "Deadline").objects.filter(case=some.case).first()
    assert hidden is not None
    assert_envelope(
        client.get(f"/api/v1/deadlines/escalations?deadline={hidden.public_id}", headers=bearer(raw)), 404, "not_found"
    )
