"""The case writes, declared once (haven/cases/operations.py): through the API each refuses a user whose
roles lack its permission (403) before it looks at the case, and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from haven.cases import operations as declared  # noqa: F401 - the case writes, declared
from haven.cases.models import Case, TimelineEntry
from haven.core import operations
from haven.core.permissions import ROLE_PERMISSIONS, Role

CASE_OPERATIONS = [op for op in operations.registry() if op.app == "cases"]

# A body each operation's input model accepts, so the refusal is the permission's and not the input's.
BODIES: dict[str, Callable[[Case], dict[str, Any] | None]] = {
    "cases.case_open": lambda case: {"subject": str(case.subject.public_id)},
    "cases.case_update": lambda case: {"version": case.version, "summary": "Changed", "sensitivity": "normal"},
    "cases.case_note_add": lambda case: {"kind": "fact", "text": "Seen at home."},
    "cases.case_handover": lambda case: {"to_user": case.owner.username, "reason": "Moving to CATE."},
    "cases.case_allocate": lambda case: {"to_user": case.owner.username},
    "cases.case_handover_acknowledge": lambda case: None,
    "cases.case_break_glass": lambda case: {"reason": "Urgent call."},
    "cases.members_set": lambda case: {"members": []},
    "cases.case_close": lambda case: {"reason": "No further concerns."},
    "cases.case_reopen": lambda case: {"reason": "New information."},
}


def test_every_case_write_is_declared_with_a_body_here():
    assert {op.name for op in CASE_OPERATIONS} == set(BODIES)


def _role_without(perm: object) -> Role:
    return next(role for role in Role if perm not in ROLE_PERMISSIONS[role])


@pytest.mark.parametrize("operation", CASE_OPERATIONS, ids=lambda op: op.name)
def test_api_refuses_a_user_without_the_operations_permission(signed_in, make_user, make_case, operation):
    case = make_case(make_user(roles=("investigator",), team="MINE"))
    role = _role_without(operation.perm)
    client, user = signed_in(roles=(role.value,), team="MINE")
    assert not user.has_perm(operation.perm)
    before = (Case.objects.count(), TimelineEntry.objects.count(), case.version)
    body = BODIES[operation.name](case)
    response = client.generic(
        operation.api.method,
        "/api/v1/cases" + operation.api.path.format(case_id=case.public_id),
        json.dumps(body) if body is not None else "",
        content_type="application/json",
    )
    assert response.status_code == 403, (role, response.content)
    assert response.json()["error"]["code"] == "forbidden"
    assert operation.perm.value in response.json()["error"]["message"]
    case.refresh_from_db()
    assert (Case.objects.count(), TimelineEntry.objects.count(), case.version) == before
