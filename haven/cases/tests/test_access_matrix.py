"""The permission matrix, generated from haven.core.access.POLICY: every case endpoint × every role ×
own / same team / other team / restricted (not a member). Each cell is allowed or denied exactly as the
table says; zero unexpected allows. A case outside the user's view answers 404 and the attempt is logged."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from haven.cases.models import Case
from haven.core import clock
from haven.core.access import POLICY, Action, reaches, scope_for
from haven.core.permissions import Perm, Role


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # {id} is the case's public id
    action: Action
    perm: Perm
    ok: int
    body: dict[str, Any] | None = None
    json_body: bool = True
    closed: bool = False  # called on closed cases (reopening)


ENDPOINTS = [
    Endpoint("case page", "get", "/cases/{id}/", Action.VIEW, Perm.CASES_CASE_VIEW, 200),
    Endpoint("API get", "get", "/api/v1/cases/{id}", Action.VIEW, Perm.CASES_CASE_VIEW, 200),
    Endpoint(
        "note page",
        "post",
        "/cases/{id}/notes/",
        Action.EDIT,
        Perm.CASES_CASE_EDIT,
        302,
        {"kind": "fact", "text": "Seen at home."},
        json_body=False,
    ),
    Endpoint(
        "API note",
        "post",
        "/api/v1/cases/{id}/notes",
        Action.EDIT,
        Perm.CASES_CASE_EDIT,
        201,
        {"kind": "fact", "text": "Seen at home."},
    ),
    Endpoint(
        "edit page",
        "post",
        "/cases/{id}/edit/",
        Action.EDIT,
        Perm.CASES_CASE_EDIT,
        302,
        {"summary": "Changed", "sensitivity": "normal", "version": "1"},
        json_body=False,
    ),
    Endpoint(
        "handover page",
        "post",
        "/cases/{id}/handover/",
        Action.HANDOVER,
        Perm.CASES_CASE_HANDOVER,
        302,
        {"to_user": "recipient", "reason": "Moving to CATE."},
        json_body=False,
    ),
    Endpoint(
        "API handover",
        "post",
        "/api/v1/cases/{id}/handover",
        Action.HANDOVER,
        Perm.CASES_CASE_HANDOVER,
        200,
        {"to_user": "recipient", "reason": "Moving to CATE."},
    ),
    Endpoint(
        "allocate page",
        "post",
        "/cases/{id}/allocate/",
        Action.HANDOVER,
        Perm.CASES_CASE_ALLOCATE,
        302,
        {"to_user": "recipient"},
        json_body=False,
    ),
    Endpoint(
        "API allocate",
        "post",
        "/api/v1/cases/{id}/allocate",
        Action.HANDOVER,
        Perm.CASES_CASE_ALLOCATE,
        200,
        {"to_user": "recipient"},
    ),
    Endpoint(
        "API edit",
        "patch",
        "/api/v1/cases/{id}",
        Action.EDIT,
        Perm.CASES_CASE_EDIT,
        200,
        {"version": 1, "summary": "Changed", "sensitivity": "normal"},
    ),
    Endpoint(
        "close page",
        "post",
        "/cases/{id}/close/",
        Action.EDIT,
        Perm.CASES_CASE_EDIT,
        302,
        {"reason": "No further concerns."},
        json_body=False,
    ),
    Endpoint(
        "API close",
        "post",
        "/api/v1/cases/{id}/close",
        Action.EDIT,
        Perm.CASES_CASE_EDIT,
        200,
        {"reason": "No further concerns."},
    ),
    Endpoint(
        "reopen page",
        "post",
        "/cases/{id}/reopen/",
        Action.REOPEN,
        Perm.CASES_CASE_REOPEN,
        302,
        {"reason": "New information."},
        json_body=False,
        closed=True,
    ),
    Endpoint(
        "API reopen",
        "post",
        "/api/v1/cases/{id}/reopen",
        Action.REOPEN,
        Perm.CASES_CASE_REOPEN,
        200,
        {"reason": "New information."},
        closed=True,
    ),
    Endpoint(
        "members page",
        "post",
        "/cases/{id}/members/",
        Action.EDIT,
        Perm.CASES_CASE_EDIT,
        302,
        {"add": "recipient"},
        json_body=False,
    ),
    Endpoint(
        "API members",
        "put",
        "/api/v1/cases/{id}/members",
        Action.EDIT,
        Perm.CASES_CASE_EDIT,
        200,
        {"members": ["recipient"]},
    ),
]

RELATIONS = ("own", "team", "other team", "restricted, not a member")


def expected_visible(user: Any, relation: str) -> bool:
    """What POLICY says about VIEW: restricted cases are narrowed to named members."""
    if relation == "restricted, not a member":
        return False
    owns = relation == "own"
    team_owns = relation in ("own", "team")
    return reaches(scope_for(user, Action.VIEW), owns=owns, team_owns=team_owns)


def expected_status(user: Any, endpoint: Endpoint, relation: str) -> int:
    """403 without the role permission; 404 outside VIEW; 403 seen but outside the action's scope; else OK."""
    if not user.has_perm(endpoint.perm):
        return 403
    if not expected_visible(user, relation):
        return 404
    owns = relation == "own"
    if not reaches(scope_for(user, endpoint.action), owns=owns, team_owns=relation in ("own", "team")):
        return 403
    return endpoint.ok


@pytest.fixture
def world(signed_in: Any, make_user: Any, make_case: Any) -> dict[str, Any]:
    def build(role: Role) -> dict[str, Any]:
        client, user = signed_in(roles=(role.value,), team="MINE")
        teammate = make_user(roles=("response_officer",), team="MINE")
        outsider = make_user(roles=("response_officer",), team="OTHER")
        make_user("recipient", roles=("investigator",), team="MINE")
        own = make_case(teammate)
        Case.objects.filter(pk=own.pk).update(owner=user)
        cases = {
            "own": own,
            "team": make_case(teammate),
            "other team": make_case(outsider),
            "restricted, not a member": make_case(teammate, restricted=True),
        }
        return {"client": client, "user": user, "cases": cases}

    return build  # type: ignore[return-value]


def _call(client: Any, endpoint: Endpoint, case: Case) -> Any:
    path = endpoint.path.format(id=case.public_id)
    if endpoint.method == "get":
        return client.get(path)
    send = getattr(client, endpoint.method)
    if endpoint.json_body:
        return send(path, json.dumps(endpoint.body), content_type="application/json")
    return send(path, endpoint.body)


def _cell(w: dict[str, Any], endpoint: Endpoint, events: Any) -> list[str]:
    """One endpoint against the four cases: what differs from POLICY, in words."""
    if endpoint.closed:
        Case.objects.filter(pk__in=[c.pk for c in w["cases"].values()]).update(state="closed", closed_at=clock.now())
    outcomes = {}
    wrong = []
    for relation in RELATIONS:
        case = w["cases"][relation]
        response = _call(w["client"], endpoint, case)
        outcomes[relation] = (response.status_code, expected_status(w["user"], endpoint, relation))
        if response.status_code == 404 and not events(case=case, actor=w["user"], outcome="denied"):
            wrong.append(f"{endpoint.name}, {relation}: a 404 must log the denied attempt")
    unexpected = {r: got for r, (got, want) in outcomes.items() if got != want}
    if unexpected:
        wrong.append(f"{endpoint.name}: got/expected {outcomes}")
    return wrong


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_permission_matrix_matches_policy(world: Any, events: Any, role: Role) -> None:
    """Every endpoint against one world a role: each endpoint's writes are undone (a savepoint) before the
    next, so every cell starts from the same four cases (building a world for each cell cost most of this
    file's time)."""
    w = world(role)
    wrong = []
    for endpoint in ENDPOINTS:
        savepoint = transaction.savepoint_create()
        try:
            wrong += _cell(w, endpoint, events)
        finally:
            transaction.savepoint_rollback(savepoint)
    assert not wrong, f"{role.value}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_opening_a_case_matches_policy(signed_in: Any, make_person: Any, role: Role) -> None:
    """UI and API: a role without cases:case:view gets 403; one without OPEN in POLICY gets 403 (even the
    form); the rest open a case they own."""
    client, user = signed_in(roles=(role.value,), team="MINE")
    child = make_person()
    allowed = user.has_perm(Perm.CASES_CASE_VIEW) and scope_for(user, Action.OPEN) is not None
    form = client.get(f"/cases/new/?person={child.public_id}")
    page = client.post(
        "/cases/new/", {"subject": str(child.public_id), "kind": "general", "summary": "", "sensitivity": "normal"}
    )
    api = client.post("/api/v1/cases", json.dumps({"subject": str(child.public_id)}), content_type="application/json")
    got = (form.status_code, page.status_code, api.status_code)
    assert got == ((200, 302, 201) if allowed else (403, 403, 403)), f"{role.value}: {got}"
    assert Case.objects.filter(owner=user).count() == (2 if allowed else 0)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_case_list_membership_matches_policy(world: Any, role: Role) -> None:
    """API list and the case list page hold exactly the cases POLICY lets the role see."""
    w = world(role)
    expected = {str(c.public_id) for r, c in w["cases"].items() if expected_visible(w["user"], r)}
    response = w["client"].get("/api/v1/cases?limit=500")
    page = w["client"].get("/cases/")
    if not w["user"].has_perm(Perm.CASES_CASE_VIEW):
        assert response.status_code == 403
        assert page.status_code == 403
        assert not expected, "POLICY gives VIEW to a role without cases:case:view"
        return
    assert response.status_code == 200
    assert {c["id"] for c in response.json()} == expected
    body = page.content.decode()
    shown = {str(c.public_id) for c in w["cases"].values() if c.reference in body}
    assert shown == expected


def test_policy_and_role_permissions_agree() -> None:
    """A role POLICY lets view cases holds cases:case:view; one it lets hand over holds cases:case:handover."""
    from haven.core.permissions import ROLE_PERMISSIONS

    for role, grants in POLICY.items():
        if Action.VIEW in grants:
            assert Perm.CASES_CASE_VIEW in ROLE_PERMISSIONS[role], role
        if Action.HANDOVER in grants:
            assert Perm.CASES_CASE_HANDOVER in ROLE_PERMISSIONS[role], role
        if Perm.CASES_CASE_HANDOVER in ROLE_PERMISSIONS[role]:
            assert Action.HANDOVER in grants, role
        if Action.OPEN in grants:  # whoever opens a case owns it, and must be able to record on it
            assert Action.EDIT in grants, role
            assert Action.VIEW in grants, role
        if Action.REOPEN in grants:  # reopening is a supervisor's decision over cases they may edit
            assert role in (Role.SUPERVISOR, Role.INSPECTOR), role
            assert grants[Action.REOPEN] <= grants[Action.EDIT], role
