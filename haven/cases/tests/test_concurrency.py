"""Optimistic concurrency: two people editing one case cannot silently overwrite each other; the second
sees a clear conflict message and loses nothing they typed."""

from __future__ import annotations

import json
import re

import pytest

from haven.cases import services
from haven.cases.choices import Sensitivity
from haven.cases.models import Case
from haven.cases.schemas import CaseUpdateIn
from haven.core.errors import Conflict
from haven.core.testing import sign_in


def test_stale_version_is_a_conflict(make_user, make_case):
    owner = make_user()
    case = make_case(owner)
    services.case_update(
        actor=owner, case=case, data=CaseUpdateIn(version=1, summary="First", sensitivity=Sensitivity.NORMAL)
    )
    stale = Case.objects.get(pk=case.pk)
    stale.version = 1
    with pytest.raises(Conflict):
        services.case_update(
            actor=owner, case=stale, data=CaseUpdateIn(version=1, summary="Second", sensitivity=Sensitivity.NORMAL)
        )
    assert Case.objects.get(pk=case.pk).summary == "First"


def test_conflict_page_keeps_what_the_user_typed(client, make_user, make_case):
    owner = make_user(roles=("response_officer",), team="RESP")
    supervisor = make_user(roles=("supervisor",), team="RESP")
    case = make_case(owner, summary="Original")
    sign_in(client, owner)
    assert client.get(f"/cases/{case.public_id}/edit/").status_code == 200
    services.case_update(
        actor=supervisor,
        case=case,
        data=CaseUpdateIn(version=1, summary="Changed by the sergeant", sensitivity=Sensitivity.NORMAL),
    )
    response = client.post(
        f"/cases/{case.public_id}/edit/", {"summary": "What I typed", "sensitivity": "restricted", "version": "1"}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="conflict"' in body
    assert "Someone else changed this case" in body
    assert 'value="What I typed"' in body
    assert "Changed by the sergeant" in body
    assert re.search(r'value="restricted"[^>]*checked', body)
    assert 'name="version" value="2"' in body
    # Saving again, now over the version they have seen, works.
    again = client.post(
        f"/cases/{case.public_id}/edit/", {"summary": "What I typed", "sensitivity": "normal", "version": "2"}
    )
    assert again.status_code == 302
    assert Case.objects.get(pk=case.pk).summary == "What I typed"


def test_api_stale_version_answers_409(client, make_user, make_case):
    owner = make_user()
    case = make_case(owner)
    sign_in(client, owner)
    body = {"version": 1, "summary": "One", "sensitivity": "normal"}
    first = client.patch(f"/api/v1/cases/{case.public_id}", json.dumps(body), content_type="application/json")
    assert first.status_code == 200
    assert first.json()["version"] == 2
    second = client.patch(f"/api/v1/cases/{case.public_id}", json.dumps(body), content_type="application/json")
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
