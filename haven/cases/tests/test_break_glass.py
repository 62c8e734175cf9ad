"""Restricted cases: only the owner and named members see them; anyone whose scope would reach the case
may break the glass with a reason, which is logged (break_glass) and tells the owner."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from haven.cases import selectors, services
from haven.cases.choices import EntryKind, Sensitivity
from haven.cases.models import BreakGlass
from haven.cases.schemas import BreakGlassIn, CaseUpdateIn, NoteIn
from haven.core.errors import NotFound
from haven.core.testing import sign_in


@pytest.fixture
def restricted(make_user, make_case):
    owner = make_user("owner", roles=("investigator",), team="CATE")
    member = make_user("member", roles=("investigator",), team="CATE")
    case = make_case(owner, restricted=True, members=(member,))
    return {"owner": owner, "member": member, "case": case}


def test_restricted_case_is_visible_to_owner_and_members_only(restricted, make_user):
    teammate = make_user(roles=("investigator",), team="CATE")
    inspector = make_user(roles=("inspector",), team="CATE")
    visible = lambda user: restricted["case"] in selectors.case_visible_to(user)  # noqa: E731
    assert visible(restricted["owner"])
    assert visible(restricted["member"])
    assert not visible(teammate)
    assert not visible(inspector)


def test_restricted_case_page_is_404_with_a_way_to_break_the_glass(client, restricted, make_user, events):
    teammate = make_user(roles=("investigator",), team="CATE")
    sign_in(client, teammate)
    response = client.get(f"/cases/{restricted['case'].public_id}/")
    assert response.status_code == 404
    assert "Break the glass" in response.content.decode()
    assert restricted["case"].reference not in response.content.decode()
    assert events(case=restricted["case"], actor=teammate, outcome="denied")


def test_those_a_restricted_case_shuts_out_are_told_who_restricted_it_and_when_and_nothing_more(
    client, restricted, make_user, make_case, clock
):
    teammate = make_user(roles=("investigator",), team="CATE")
    owner = restricted["owner"]
    later = make_case(owner, summary="Disclosure by a pupil")
    clock.travel(timedelta(days=3))
    services.case_update(
        actor=owner,
        case=later,
        data=CaseUpdateIn(version=later.version, summary=None, sensitivity=Sensitivity.RESTRICTED),
    )
    sign_in(client, teammate)

    page = client.get(f"/cases/{later.public_id}/").content.decode()

    restricted_on = clock.now().strftime("%-d %B %Y")
    assert f"Restricted by {owner.rank_and_name} on {restricted_on}." in page
    assert "Disclosure by a pupil" not in page
    assert later.reference not in page
    opened = client.get(f"/cases/{restricted['case'].public_id}/").content.decode()
    assert f"Restricted by {owner.rank_and_name} on" in opened  # opened restricted: by its opener

    services.case_update(
        actor=owner, case=later, data=CaseUpdateIn(version=later.version, summary=None, sensitivity=Sensitivity.NORMAL)
    )
    later.refresh_from_db()
    assert (later.restricted_by, later.restricted_at) == (None, None)


def test_break_the_glass_opens_the_case_logs_the_reason_and_emails_the_owner(
    client, restricted, make_user, events, mailbox, django_capture_on_commit_callbacks
):
    teammate = make_user("curious", roles=("investigator",), team="CATE")
    sign_in(client, teammate)
    case = restricted["case"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{case.public_id}/break-glass/", {"reason": "Child located at my address call."})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.public_id}/")
    assert page.status_code == 200
    assert "broke the glass" in page.content.decode()
    glass = events(case=case, actor=teammate, justification_kind="break_glass")
    assert glass
    assert glass[0].justification == "Child located at my address call."
    assert glass[0].operation == "consultation"
    [message] = mailbox
    assert message["To"] == "owner@example.test"
    assert case.reference in message["Subject"]
    # DP-01: the reason is free text that may name the child; it stays in Haven, out of the e-mail.
    assert "Child located at my address call." not in message.get_content()
    # The owner reads who it was in their inbox.
    owner = Client()
    sign_in(owner, restricted["owner"])
    inbox = owner.get("/notifications/").content.decode()
    assert f"Someone broke the glass on your restricted case {case.reference}" in inbox


def test_break_the_glass_needs_a_reason(client, restricted, make_user):
    teammate = make_user(roles=("investigator",), team="CATE")
    sign_in(client, teammate)
    case = restricted["case"]
    page = client.post(f"/cases/{case.public_id}/break-glass/", {"reason": "  "})
    assert page.status_code == 422
    assert "Enter why you need to see this case" in page.content.decode()
    api = client.post(
        f"/api/v1/cases/{case.public_id}/break-glass", json.dumps({"reason": " "}), content_type="application/json"
    )
    assert api.status_code == 422
    assert api.json()["error"]["fields"] == {"reason": ["Enter why you need to see this case"]}
    assert not BreakGlass.objects.exists()


def test_api_breaks_the_glass_and_answers_the_case(client, restricted, make_user, events):
    teammate = make_user(roles=("investigator",), team="CATE")
    sign_in(client, teammate)
    case = restricted["case"]
    response = client.post(
        f"/api/v1/cases/{case.public_id}/break-glass",
        json.dumps({"reason": "Child located at my address call."}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["reference"] == case.reference
    assert events(case=case, actor=teammate, justification_kind="break_glass")
    outsider = make_user(roles=("investigator",), team="RESP")  # outside the case's reach: as if it did not exist
    client.logout()
    sign_in(client, outsider)
    refused = client.post(
        f"/api/v1/cases/{case.public_id}/break-glass",
        json.dumps({"reason": "Curious."}),
        content_type="application/json",
    )
    assert refused.status_code == 404


def test_break_the_glass_is_refused_outside_view_scope(restricted, make_user, client):
    """An investigator in another team could not see the case even if it were not restricted."""
    outsider = make_user(roles=("investigator",), team="RESP")
    with pytest.raises(NotFound):
        services.case_break_glass(actor=outsider, case=restricted["case"], data=BreakGlassIn(reason="Curious."))
    sign_in(client, outsider)
    assert client.get(f"/cases/{restricted['case'].public_id}/break-glass/").status_code == 404
    assert "Break the glass" not in client.get(f"/cases/{restricted['case'].public_id}/").content.decode()


def test_broken_glass_lasts_an_hour(restricted, make_user, clock):
    teammate = make_user(roles=("investigator",), team="CATE")
    services.case_break_glass(actor=teammate, case=restricted["case"], data=BreakGlassIn(reason="Urgent call."))
    assert restricted["case"] in selectors.case_visible_to(teammate)
    clock.travel(selectors.BREAK_GLASS_LASTS + timedelta(minutes=1))
    assert restricted["case"] not in selectors.case_visible_to(teammate)


def test_breaking_the_glass_gives_no_right_to_edit(restricted, make_user):
    from haven.core.errors import Forbidden

    supervisor = make_user(roles=("supervisor",), team="CATE")
    case = services.case_break_glass(actor=supervisor, case=restricted["case"], data=BreakGlassIn(reason="DMM review."))
    with pytest.raises(Forbidden):
        services.case_note_add(actor=supervisor, case=case, data=NoteIn(kind=EntryKind.FACT, text="Note."))
