"""The partner permission matrix: every partner endpoint × every role × what it is asked about (an item
shared with the user's own agency, one shared with another agency, an id never shared). Without the
role's permission: 403. With it: only the own agency's item answers; the others answer 404, so a
partner user can never tell another agency's item from nothing at all."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from haven.core.permissions import Perm, Role
from haven.partners.models import Membership

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # {id}: the item's public id
    perm: Perm
    ok: int
    body: dict[str, Any] | None = None
    json_body: bool = True


ENDPOINTS = [
    # The item's page is where receipt is acknowledged: it needs the respond permission.
    Endpoint("item page", "get", "/partner/items/{id}/", Perm.PARTNER_SHARED_RESPOND, 200),
    Endpoint("API item", "get", "/api/v1/partner/items/{id}", Perm.PARTNER_SHARED_VIEW, 200),
    Endpoint("decision page", "get", "/partner/items/{id}/decision/", Perm.PARTNER_SHARED_RESPOND, 200),
    Endpoint("acknowledge page", "post", "/partner/items/{id}/", Perm.PARTNER_SHARED_RESPOND, 302, {}, json_body=False),
    Endpoint("API acknowledge", "post", "/api/v1/partner/items/{id}/acknowledgement", Perm.PARTNER_SHARED_RESPOND, 201),
    Endpoint(
        "API decision",
        "post",
        "/api/v1/partner/items/{id}/decision",
        Perm.PARTNER_SHARED_RESPOND,
        201,
        {"decision": "early_help", "notes": "Lead practitioner named."},
    ),
]

RELATIONS = ("own agency", "other agency", "never shared")


def _call(client: Any, endpoint: Endpoint, public_id: Any) -> Any:
    path = endpoint.path.format(id=public_id)
    if endpoint.method == "get":
        return client.get(path)
    if endpoint.json_body:
        return client.post(path, json.dumps(endpoint.body or {}), content_type="application/json")
    return client.post(path, endpoint.body or {})


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_partner_permission_matrix(
    role: Role, signed_in: Any, make_agency: Any, make_partner: Any, make_share: Any
) -> None:
    leeds = make_agency()
    bradford = make_agency("Bradford Children's Services", local_authority="Bradford Council")
    make_partner(bradford, "bradford_sw")
    failures = []
    for endpoint in ENDPOINTS:
        client, user = signed_in(roles=(role.value,), team=None if role == Role.PARTNER else "MINE")
        if role == Role.PARTNER:
            Membership.objects.create(user=user, agency=leeds)
        ids = {
            "own agency": make_share(leeds).public_id,
            "other agency": make_share(bradford).public_id,
            "never shared": uuid.uuid4(),
        }
        for relation in RELATIONS:
            want = 403 if not user.has_perm(endpoint.perm) else endpoint.ok if relation == "own agency" else 404
            got = _call(client, endpoint, ids[relation]).status_code
            if got != want:
                failures.append(f"{endpoint.name}, {relation}: {got}, expected {want}")
        client.logout()
    assert not failures, "\n".join(failures)
