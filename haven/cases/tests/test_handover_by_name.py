"""A case is handed over to a person by name, as the user picker shows them or as typed without it
(issue 15: the demo response officer's full name was refused as "no Haven user with this username")."""

from __future__ import annotations

import pytest

from haven.accounts.models import Team
from haven.cases.models import Case
from haven.core.testing import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def tom(make_user):
    user = make_user("response", roles=("response_officer",), team="RESP-A")
    user.first_name, user.last_name, user.collar_number = "Tom", "Jones", "4521"
    user.save()
    Team.objects.filter(code="RESP-A").update(name="Response team A")
    return user


@pytest.mark.parametrize("typed", ["PC Tom Jones", "Tom Jones", "PC Tom Jones (4521), Response team A", "4521"])
def test_the_handover_page_takes_the_new_owners_name(client, make_user, make_case, tom, typed):
    inspector = make_user("insp", roles=("inspector",), rank="INSP", team="RESP-A")
    case = make_case(inspector)
    sign_in(client, inspector)

    response = client.post(f"/cases/{case.public_id}/handover/", {"to_user": typed, "reason": "Nearest officer."})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.get(pk=case.pk).pending_owner == tom


def test_the_handover_page_offers_the_user_picker(client, make_user, make_case):
    inspector = make_user("insp", roles=("inspector",), rank="INSP", team="RESP-A")
    case = make_case(inspector)
    sign_in(client, inspector)

    page = client.get(f"/cases/{case.public_id}/handover/").content.decode()

    assert 'data-module="haven-user-picker"' in page
    assert 'data-lookup-url="/api/v1/users/lookup"' in page


def test_a_name_two_people_share_asks_to_choose_from_the_list(client, make_user, make_case, tom):
    twin = make_user("tjones2", roles=("response_officer",), team="CATE")
    twin.first_name, twin.last_name = "Tom", "Jones"
    twin.save()
    inspector = make_user("insp", roles=("inspector",), rank="INSP", team="RESP-A")
    case = make_case(inspector)
    sign_in(client, inspector)

    response = client.post(f"/cases/{case.public_id}/handover/", {"to_user": "Tom Jones", "reason": "x"})

    assert response.status_code == 422
    assert "More than one person is called Tom Jones: choose from the list" in response.content.decode()


def test_the_handover_page_answers_a_user_who_cannot_own_a_case_as_one_who_does_not_exist(client, make_user, make_case):
    inspector = make_user("insp", roles=("inspector",), rank="INSP", team="RESP-A")
    make_user("analyst_ann", roles=("analyst",), team="RESP-A")
    case = make_case(inspector)
    sign_in(client, inspector)

    answers = []
    for name in ("analyst_ann", "nobody_at_all"):
        response = client.post(f"/cases/{case.public_id}/handover/", {"to_user": name, "reason": "Nearest officer."})
        assert response.status_code == 422
        answers.append(response.content.decode().replace(name, "NAME"))
    assert "who can be chosen here" in answers[0]
    assert "roles do not let them" not in answers[0]
    assert answers[0].count("who can be chosen here") == answers[1].count("who can be chosen here")
    assert Case.objects.get(pk=case.pk).pending_owner is None
