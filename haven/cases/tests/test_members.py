"""Naming the members of a restricted case (UI and API): who besides the owner may see it, logged."""

from __future__ import annotations

import json

import pytest

from haven.cases import selectors, services
from haven.cases.models import TimelineEntry
from haven.cases.schemas import MembersIn
from haven.core.errors import Forbidden, NotFound, ValidationFailed
from haven.core.testing import sign_in


@pytest.fixture
def owner(make_user):
    return make_user("owner", roles=("investigator",), team="CATE")


@pytest.fixture
def colleague(make_user):
    return make_user("colleague", roles=("investigator",), team="CATE")


@pytest.fixture
def restricted(owner, make_case):
    return make_case(owner, restricted=True)


def test_naming_a_member_lets_them_see_the_case_and_is_logged(owner, colleague, restricted, events):
    assert not selectors.case_visible_to(colleague).filter(pk=restricted.pk).exists()
    services.members_set(actor=owner, case=restricted, data=MembersIn(members=[colleague.username]))
    assert selectors.case_visible_to(colleague).filter(pk=restricted.pk).exists()
    logged = events(case=restricted, actor=owner, operation="alteration")[-1]
    assert logged.detail == {"members": ["colleague"], "added": ["colleague"], "removed": []}
    assert TimelineEntry.objects.filter(case=restricted, text__contains="added").exists()


def test_removing_a_member_hides_the_case_again(owner, colleague, restricted, events):
    services.members_set(actor=owner, case=restricted, data=MembersIn(members=[colleague.username]))
    services.members_set(actor=owner, case=restricted, data=MembersIn(members=[]))
    assert not selectors.case_visible_to(colleague).filter(pk=restricted.pk).exists()
    assert events(case=restricted, operation="alteration")[-1].detail["removed"] == ["colleague"]


def test_unchanged_members_write_nothing(owner, colleague, restricted, events):
    services.members_set(actor=owner, case=restricted, data=MembersIn(members=[colleague.username]))
    before = len(events(case=restricted))
    services.members_set(actor=owner, case=restricted, data=MembersIn(members=[colleague.username]))
    assert len(events(case=restricted)) == before


def test_a_member_must_be_able_to_see_cases(owner, restricted, make_user):
    admin = make_user("admin", roles=("administrator",))
    with pytest.raises(ValidationFailed) as refused:
        services.members_set(actor=owner, case=restricted, data=MembersIn(members=[admin.username]))
    assert "members" in refused.value.fields
    assert not restricted.members.exists()


def test_only_those_who_may_edit_name_members(restricted, colleague, make_user):
    analyst = make_user(roles=("analyst",), team="CATE")
    with pytest.raises(NotFound):  # restricted, and the analyst is not a member: not even visible
        services.members_set(actor=analyst, case=restricted, data=MembersIn(members=[analyst.username]))
    services.members_set(actor=restricted.owner, case=restricted, data=MembersIn(members=[colleague.username]))
    with pytest.raises(Forbidden):  # a member sees it, but an investigator edits only their own
        services.members_set(
            actor=colleague, case=restricted, data=MembersIn(members=[colleague.username, analyst.username])
        )


def test_members_page_shows_current_members_and_saves(client, owner, colleague, restricted, make_user, events):
    outsider = make_user("outsider", roles=("investigator",), team="OTHER")
    services.members_set(actor=owner, case=restricted, data=MembersIn(members=[colleague.username]))
    sign_in(client, owner)
    case_page = client.get(f"/cases/{restricted.public_id}/").content.decode()
    assert f'href="/cases/{restricted.public_id}/members/"' in case_page
    assert client.get(f"/cases/{restricted.public_id}/members/").status_code == 200
    response = client.post(f"/cases/{restricted.public_id}/members/", {"members": ["colleague"], "add": "outsider"})
    assert response.status_code == 302
    assert set(restricted.members.values_list("username", flat=True)) == {"colleague", "outsider"}
    assert events(case=restricted, actor=owner, operation="alteration")[-1].detail["added"] == ["outsider"]
    assert outsider.rank_and_name in client.get(f"/cases/{restricted.public_id}/").content.decode()


def test_members_page_shows_the_current_members_ticked(client, owner, colleague, restricted):
    services.members_set(actor=owner, case=restricted, data=MembersIn(members=[colleague.username]))
    sign_in(client, owner)
    body = client.get(f"/cases/{restricted.public_id}/members/").content.decode()
    checkbox = body[body.index('value="colleague"') - 200 : body.index('value="colleague"') + 200]
    assert "checked" in checkbox


def test_members_page_unknown_username_shows_the_error_summary(client, owner, restricted):
    sign_in(client, owner)
    response = client.post(f"/cases/{restricted.public_id}/members/", {"add": "nobody-here"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "There is no Haven user with the username nobody-here" in body
    assert "nobody-here" in body.split("govuk-error-summary", 1)[1]
    assert not restricted.members.exists()


def test_api_puts_members(client, owner, colleague, restricted, events):
    sign_in(client, owner)
    response = client.put(
        f"/api/v1/cases/{restricted.public_id}/members",
        json.dumps({"members": ["colleague"]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert [m["username"] for m in response.json()["members"]] == ["colleague"]
    assert events(case=restricted, actor=owner, operation="alteration")[-1].detail["added"] == ["colleague"]
    response = client.put(
        f"/api/v1/cases/{restricted.public_id}/members",
        json.dumps({"members": ["nobody-here"]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["members"] == ["There is no Haven user with the username nobody-here"]
