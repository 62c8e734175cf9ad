"""Raising a referral from a case: the case page offers it to those who may raise one, with the case's
child, and the referral is linked to the case."""

from __future__ import annotations

import pytest

from haven.cases.choices import CaseKind
from haven.core.testing import sign_in
from haven.referrals.models import ChildConcernReferral

pytestmark = pytest.mark.django_db

OFFER = "Raise a child concern referral"


def test_a_response_officer_raises_a_referral_from_the_case_page_linked_to_the_case(client, officer, child, make_case):
    case = make_case(officer, subject=child)
    sign_in(client, officer)

    page = client.get(f"/cases/{case.public_id}/").content.decode()
    assert OFFER in page
    link = f"/referrals/new/?case={case.public_id}"
    assert f'href="{link}"' in page

    step = client.get(link)
    assert step.status_code == 200
    assert "Raise a referral about Maisie" in step.content.decode()
    response = client.post("/referrals/start/", {"child": str(child.public_id), "case": str(case.public_id)})

    referral = ChildConcernReferral.objects.get()
    assert response["Location"] == f"/referrals/{referral.public_id}/edit/"
    assert (referral.case, referral.episode, referral.raised_by) == (case, None, officer)
    assert list(referral.people.values_list("person", flat=True)) == [child.pk]


def test_an_analyst_sees_the_case_but_is_not_offered_a_referral(client, officer, child, make_case, make_user):
    case = make_case(officer, subject=child)
    analyst = make_user("analyst1", roles=("analyst",), team="RESP-A")
    sign_in(client, analyst)

    response = client.get(f"/cases/{case.public_id}/")
    assert response.status_code == 200
    assert OFFER not in response.content.decode()


def test_a_referral_s_own_case_does_not_offer_another_referral(client, officer, child, make_case):
    case = make_case(officer, subject=child, kind=CaseKind.REFERRAL)
    sign_in(client, officer)

    response = client.get(f"/cases/{case.public_id}/")
    assert response.status_code == 200
    assert OFFER not in response.content.decode()
