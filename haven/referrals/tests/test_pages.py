"""Referral pages: raising one (from a missing episode too), the CRSU queue and the steps, refusals."""

from __future__ import annotations

import pytest

from haven.core.operations import run
from haven.core.testing import sign_in
from haven.referrals import operations
from haven.referrals.models import ChildConcernReferral
from haven.referrals.tests.conftest import COMPLETE

pytestmark = pytest.mark.django_db


def _draft_post(**changes):
    data = {**COMPLETE, **changes}
    return {k: ("yes" if v is True else "no" if v is False else v) for k, v in data.items() if v is not None}


def test_an_officer_raises_a_referral_through_the_pages(client, officer, child):
    sign_in(client, officer)

    response = client.get("/referrals/new/", {"q": "Maisie Holt"})
    assert response.status_code == 200
    assert "Raise a referral about Maisie" in response.content.decode()
    response = client.post("/referrals/start/", {"child": str(child.public_id)})
    referral = ChildConcernReferral.objects.get()
    assert response["Location"] == f"/referrals/{referral.public_id}/edit/"

    # S-01 on the page: the check page refuses without the voice of the child, in the error summary.
    client.post(
        f"/referrals/{referral.public_id}/edit/",
        {**_draft_post(child_seen=None, child_spoken_to=None, child_words="", child_demeanour=""), "save": "1"},
    )
    response = client.post(f"/referrals/{referral.public_id}/submit/")
    assert response.status_code == 422
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Say whether the child was seen" in body

    response = client.post(f"/referrals/{referral.public_id}/edit/", {**_draft_post(), "continue": "1"})
    assert response["Location"] == f"/referrals/{referral.public_id}/submit/"
    response = client.post(f"/referrals/{referral.public_id}/submit/")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "submitted"
    page = client.get(f"/referrals/{referral.public_id}/").content.decode()
    assert "Waiting for the CRSU" in page
    assert "Mum&#x27;s friend shouts at us" in page
    assert client.get("/referrals/").status_code == 200
    assert client.get("/referrals/queue/").status_code == 403


def test_s01_the_questions_a_referral_cannot_be_sent_without_are_not_labelled_optional(client, officer, raise_referral):
    draft = raise_referral(submit=False)
    sign_in(client, officer)

    page = client.get(f"/referrals/{draft.public_id}/edit/").content.decode()

    for question in (
        "Did you see the child?",
        "Did you speak to the child?",
        "What happened?",
        "Your view of the risk",
    ):
        assert question in page
        assert f"{question} (optional)" not in page
    assert "Alleged perpetrator (optional)" in page


def test_an_adult_found_by_the_search_is_offered_as_an_adult_not_as_the_child(client, officer, child, make_child):
    make_child("Maria", "Holt", age=45)
    sign_in(client, officer)

    page = client.get("/referrals/new/", {"q": "Holt"}).content.decode()

    assert "Raise a referral about Maisie</button>" in page
    assert "Maria is 45: an adult." in page
    assert "Raise a referral about Maria, although an adult" in page
    assert page.count('data-testid="adult-warning"') == 1


def test_a_referral_is_raised_from_a_found_child_s_episode(client, make_user, make_episode):
    sergeant = make_user("respsgt", roles=("supervisor",), team="RESP-A")
    episode = make_episode(sergeant, grade="medium")
    sign_in(client, sergeant)

    page = client.get("/referrals/new/", {"episode": str(episode.public_id)}).content.decode()
    assert f"Raise a referral about {episode.child.forenames}" in page
    client.post("/referrals/start/", {"child": str(episode.child.public_id), "episode": str(episode.public_id)})

    referral = ChildConcernReferral.objects.get()
    assert (referral.episode, referral.case, referral.categories) == (episode, episode.case, ["missing"])


def test_the_crsu_queue_rates_and_shares_through_the_pages(client, crsu, raise_referral, share):
    referral = raise_referral()
    sign_in(client, crsu["lead"])

    queue = client.get("/referrals/queue/").content.decode()
    assert referral.reference in queue
    assert 'data-testid="backlog"' in queue
    assert client.post(f"/referrals/{referral.public_id}/rate/", {"rag": "red"}).status_code == 302
    response = client.post(f"/referrals/{referral.public_id}/decide/", {"decision": "share", "reason": "Needed"})
    assert response.status_code == 422
    assert "Select the lawful basis" in response.content.decode()
    assert client.post(f"/referrals/{referral.public_id}/decide/", share).status_code == 302

    referral.refresh_from_db()
    assert referral.state == "shared"
    assert "Northshire children" in client.get(f"/referrals/{referral.public_id}/").content.decode()


def test_another_team_s_officer_gets_404_and_a_draft_is_its_officer_s_alone(client, make_user, raise_referral):
    submitted = raise_referral()
    draft = raise_referral(submit=False)
    stranger = make_user("strangerpc", roles=("investigator",), team="CATE")
    sign_in(client, stranger)

    assert client.get(f"/referrals/{submitted.public_id}/").status_code == 404
    assert client.get(f"/referrals/{draft.public_id}/edit/").status_code == 404
    assert client.get(f"/api/v1/referrals/{submitted.public_id}").status_code in (401, 404)


def test_t01_a_trainee_s_decision_waits_on_the_home_page_of_those_who_may_approve_it(
    client, raise_referral, crsu, share
):
    referral = raise_referral()
    run(operations.referral_decide, actor=crsu["trainee"], target=referral, data=share)

    sign_in(client, crsu["sergeant"])  # signed off: may approve
    assert referral.reference in _approvals(client)
    for who in ("trainee", "untrained"):  # their own decision; not signed off to approve
        client.logout()
        sign_in(client, crsu[who])
        assert _approvals(client) == ""


def _approvals(client) -> str:
    page = client.get("/").content.decode()
    start = page.find('data-testid="referral-approvals"')
    return "" if start < 0 else page[start : page.index("</section>", start)]
