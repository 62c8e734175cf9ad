"""The missing pages: report in two steps, grade with repeatable sources, episode page, steps, PDF."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from haven import factories
from haven.audit.models import AccessEvent
from haven.core import clock
from haven.core.testing import sign_in
from haven.missing import operations
from haven.missing.models import Episode
from haven.ui.forms import GovukDateInput

pytestmark = pytest.mark.django_db


def _boxes(name, dt):
    """What the GOV.UK date input's boxes post for ``dt`` (UK time; a date: day, month and year only)."""
    return GovukDateInput.post_data(name, dt, time=not isinstance(dt, date) or isinstance(dt, datetime))


def _report_post(**overrides):
    data = {
        "informant_name": "Jo Carer",
        "informant_relationship": "Carer",
        "informant_contact": "07700 900123",
        **_boxes("last_seen_at", clock.now() - timedelta(hours=1)),
        "last_seen_where": "Oak House, Leeds",
        "missing_from": "care_home",
        "circumstances": "Did not return by curfew.",
        "out_of_character": "no",
        "looked_after": "no",
        "philomena_exists": "unknown",
        "idempotency_key": "form-abc",
        "confirm": "1",  # straight past "check your answers" (test_report.py walks through it)
    }
    data.update(overrides)
    return data


def test_report_a_new_child_then_the_report_then_grade(client, call_handler, make_child):
    sign_in(client, call_handler)
    assert client.get("/missing/report/?q=Kayla").status_code == 200
    response = client.post(
        "/missing/report/",
        {"forenames": "Kayla", "surname": "Brook", **_boxes("date_of_birth", date(2012, 5, 1))},
    )
    assert response.status_code == 302
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert 'data-testid="child-context"' in form.content.decode()
    response = client.post(response["Location"], _report_post())
    assert response.status_code == 302
    episode = Episode.objects.get()
    assert response["Location"] == f"/missing/{episode.public_id}/grade/"
    # A double submit of the same form (same idempotency key) makes no second episode.
    client.post(f"/missing/report/{episode.child.public_id}/", _report_post())
    assert Episode.objects.count() == 1


def test_report_form_keeps_what_was_typed_and_shows_errors(client, call_handler, make_child):
    child = make_child()
    sign_in(client, call_handler)
    response = client.post(
        f"/missing/report/{child.public_id}/", _report_post(looked_after="yes", responsible_authority="")
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter the responsible local authority" in body
    assert "Oak House, Leeds" in body
    assert not Episode.objects.exists()


def test_report_form_says_what_the_api_says(client, call_handler, make_child):
    child = make_child()
    sign_in(client, call_handler)
    url = f"/missing/report/{child.public_id}/"
    assert 'maxlength="200"' in client.get(url).content.decode()
    response = client.post(url, _report_post(informant_name="x" * 201, last_seen_where="  ", circumstances=""))
    assert response.status_code == 422
    body = response.content.decode()
    assert "The name of the person reporting must be 200 characters or fewer" in body
    assert "Enter where the child was last seen" in body
    assert "Enter the circumstances" in body
    assert not Episode.objects.exists()


def test_step_pages_need_the_permission_of_their_write(client, graded, officer):
    episode = graded()
    sign_in(client, officer)  # may see the episode and record it found, but not close or escalate it
    assert client.get(f"/missing/{episode.public_id}/found/").status_code == 200
    assert client.get(f"/missing/{episode.public_id}/close/").status_code == 403
    refused = client.post(f"/missing/{episode.public_id}/escalate/", {"crime_reference": "CR1", "reason": "x"})
    assert refused.status_code == 403
    episode.refresh_from_db()
    assert episode.state == "open"


def test_enquiry_pages_allocate_by_username_and_record_the_result(client, graded, supervisor, officer, write):
    episode = graded()
    enquiry = write(operations.enquiry_raise, supervisor, episode, type="cctv", description="Bus station CCTV")
    sign_in(client, supervisor)
    url = f"/missing/enquiries/{enquiry.public_id}/allocate/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Allocate: CCTV" in page.content.decode()
    unknown = client.post(url, {"to_user": "nobody"})
    assert unknown.status_code == 422
    assert "There is no Haven user called nobody" in unknown.content.decode()
    assert client.post(url, {"to_user": officer.username}).status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.allocated_to == officer
    result = client.post(f"/missing/enquiries/{enquiry.public_id}/result/", {"result": "Not on the footage"})
    assert result.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "completed"


def test_new_child_like_an_existing_one_warns_of_duplicates(client, call_handler, make_child):
    factories.person(actor=call_handler, forenames="Kayla", surname="Brook")
    sign_in(client, call_handler)
    response = client.post("/missing/report/", {"forenames": "Kayla", "surname": "Brook"})
    assert response.status_code == 422
    assert 'data-testid="duplicate-warning"' in response.content.decode()


def test_grade_page_with_sources_and_add_another(client, report, supervisor):
    episode = report()
    sign_in(client, supervisor)
    url = f"/missing/{episode.public_id}/grade/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "grade": "medium",
        "rationale": "Looked after, exploitation concerns.",
        "cra_decision": "not_appropriate",
        "cra_reason": "No abduction indicators.",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "1",
        "sources-MAX_NUM_FORMS": "20",
        "sources-0-information": "Took phone",
        "sources-0-provider_name": "Jo Carer",
        "sources-0-provider_contact": "",
        **_boxes("sources-0-obtained_at", clock.now()),
    }
    more = client.post(url, {**data, "add_source": "1"})
    assert more.status_code == 200
    assert more.content.decode().count('data-testid="source-row"') == 2
    bad = client.post(url, data)
    assert bad.status_code == 422
    assert "Enter how to contact who gave it" in bad.content.decode()
    assert 'href="#id_sources-0-provider_contact"' in bad.content.decode()
    good = client.post(url, {**data, "sources-0-provider_contact": "07700 900123"})
    assert good.status_code == 302
    episode.refresh_from_db()
    assert episode.grade == "medium"


def test_episode_page_shows_enquiries_with_overdue_and_is_logged(client, graded, supervisor, clock, write):
    episode = graded()
    write(
        operations.enquiry_raise,
        supervisor,
        episode,
        type="cctv",
        description="Bus CCTV",
        due_at=clock.now() + timedelta(hours=1),
    )
    clock.travel(timedelta(hours=2))
    sign_in(client, supervisor)
    page = client.get(f"/missing/{episode.public_id}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="overdue"' in body
    assert AccessEvent.objects.filter(
        actor=supervisor, operation="consultation", case_ids__contains=[episode.case.public_id]
    ).exists()


def test_an_officer_of_another_team_gets_the_briefing_not_the_episode(client, graded, make_user):
    episode = graded()
    outsider = make_user("outsider", roles=("response_officer",), team="OTHER")
    sign_in(client, outsider)
    page = client.get(f"/missing/{episode.public_id}/")
    assert page.status_code == 200
    assert 'data-testid="locate-heading"' in page.content.decode()
    assert 'data-testid="assessments"' not in page.content.decode()
    assert client.get("/api/v1/missing/episodes/" + str(episode.public_id)).status_code == 404


def test_an_episode_is_404_to_a_role_that_does_not_search(client, graded, make_user):
    episode = graded()
    sign_in(client, make_user("dpo", roles=("auditor",), team="OTHER"))
    assert client.get(f"/missing/{episode.public_id}/").status_code in (403, 404)
    assert client.get("/api/v1/missing/episodes/" + str(episode.public_id)).status_code in (403, 404)


def test_step_pages_found_prevention_rhi_close(client, graded, supervisor):
    episode = graded()
    sign_in(client, supervisor)
    base = f"/missing/{episode.public_id}"
    for step in ("found", "obligations", "enquiries/new", "review", "cancel"):
        assert client.get(f"{base}/{step}/").status_code == 200, step
    bad = client.post(f"{base}/found/", {"found_where": "Station"})
    assert bad.status_code == 422
    assert "Station" in bad.content.decode()
    found = client.post(
        f"{base}/found/",
        {
            **_boxes("found_at", clock.now()),
            "found_where": "Leeds station",
            "found_where_code": "transport",
            "found_by": "PC Shah",
            "condition": "Well",
            "rhi_authority": "Leeds City Council",
            "rhi_recipient": "mcteam@leeds.example",
        },
    )
    assert found.status_code == 302
    refused = client.post(f"{base}/close/", {"reason_missing": "friends", "reason": "Done"})
    assert refused.status_code == 422
    assert "prevention interview" in refused.content.decode()
    assert (
        client.post(
            f"{base}/prevention-interview/",
            {
                **_boxes("done_at", clock.now()),
                "mode": "in_person",
                "why_went": "Row",
                "what_happened": "Friend's house",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/return-interview/", {"status": "completed", "interviewer": "Sam (Barnardo's)", "themes": "Peers"}
        ).status_code
        == 302
    )
    assert client.post(f"{base}/close/", {"reason_missing": "friends", "reason": "Safe"}).status_code == 302
    episode.refresh_from_db()
    assert episode.state == "closed"


def test_briefing_sheet_pdf_is_a_logged_disclosure(client, graded, supervisor):
    episode = graded()
    sign_in(client, supervisor)
    response = client.get(f"/missing/{episode.public_id}/briefing.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AccessEvent.objects.get(operation="disclosure", case_ids__contains=[episode.case.public_id])
    assert event.channel == "print"


def test_child_page_shows_missing_episodes_and_patterns(client, graded, supervisor, write):
    episode = graded()
    write(operations.episode_cancel, supervisor, episode, reason="Home")
    sign_in(client, supervisor)
    page = client.get(f"/people/{episode.child.public_id}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="person-missing-episodes"' in body
    assert 'data-testid="patterns"' in body


def test_home_shows_children_missing_now_to_supervisors(client, graded, supervisor):
    graded("high")
    sign_in(client, supervisor)
    assert 'data-testid="missing-now"' in client.get("/").content.decode()


def test_missing_list(client, graded, supervisor):
    episode = graded()
    sign_in(client, supervisor)
    assert episode.child.full_name in client.get("/missing/").content.decode()
    assert client.get("/missing/?all=1").status_code == 200


def test_a_found_childs_page_offers_a_referral_only_to_those_who_may_raise_one(
    client, graded, supervisor, call_handler, write
):
    episode = graded()
    write(
        operations.episode_found,
        supervisor,
        episode,
        found_at=clock.now() - timedelta(minutes=5),
        found_where="Leeds bus station",
        found_where_code="transport",
        found_by="PC Shah",
        condition="Well",
        rhi_authority="Leeds",
        rhi_recipient="mc@leeds.example",
    )
    url = f"/missing/{episode.public_id}/"

    sign_in(client, supervisor)
    assert 'data-testid="raise-referral"' in client.get(url).content.decode()
    client.logout()
    sign_in(client, call_handler)  # sees the episode, but a referral is not theirs to raise
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="raise-referral"' not in page.content.decode()
