"""Closing and reopening a case: whoever may edit it closes it with a reason; a closed case is read-only;
domain apps can veto closure (haven.cases.closing); a supervisor reopens it with a reason. Both are
logged (s62 alteration) and written on the timeline."""

from __future__ import annotations

import json

import pytest

from haven.cases import closing, operations, services
from haven.cases.choices import CaseKind, CaseState, EntryKind, InvolvementRole, Sensitivity
from haven.cases.models import Case, Handover, TimelineEntry
from haven.cases.schemas import CaseCloseIn, CaseReopenIn, CaseUpdateIn, HandoverIn, MembersIn, NoteIn
from haven.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haven.core.operations import run
from haven.core.testing import sign_in


@pytest.fixture
def owner(make_user):
    return make_user("owner", roles=("response_officer",), team="RESP")


@pytest.fixture
def supervisor(make_user):
    return make_user("sarge", roles=("supervisor",), team="RESP")


@pytest.fixture
def case(owner, make_case):
    return make_case(owner, summary="Concern from school")


@pytest.fixture
def veto():
    """Register close checks for the test only: ``veto(kind, fn)``."""
    registered = []

    def add(kind, fn):
        closing.register_close_check(kind, fn)
        registered.append((kind, fn))

    yield add
    for kind, fn in registered:
        closing.unregister_close_check(kind, fn)


# --- The service --------------------------------------------------------------------------------


def test_owner_closes_the_case_with_a_reason_logged_and_on_the_timeline(owner, case, events):
    services.case_close(actor=owner, case=case, data=CaseCloseIn(reason="Child safe at home; no further concerns."))
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.closed_at is not None
    assert TimelineEntry.objects.filter(case=case, kind="event", text__contains="no further concerns").exists()
    logged = events(case=case, actor=owner, operation="alteration")
    assert logged[-1].justification == "Child safe at home; no further concerns."
    assert logged[-1].detail == {"state": "closed"}


def test_closing_needs_a_reason(owner, case):
    with pytest.raises(ValidationFailed) as refused:
        run(operations.case_close, actor=owner, target=case, data={"reason": "   "})
    assert refused.value.fields == {"reason": ["Enter the reason for closing the case"]}
    assert Case.objects.get(pk=case.pk).state == CaseState.OPEN


def test_closing_a_closed_case_is_a_conflict(owner, case):
    services.case_close(actor=owner, case=case, data=CaseCloseIn(reason="Done."))
    with pytest.raises(Conflict):
        services.case_close(actor=owner, case=case, data=CaseCloseIn(reason="Again."))


def test_domain_close_check_vetoes_closure_listing_every_reason(owner, case, veto, events):
    veto(CaseKind.GENERAL, lambda c: ["Record the safe and well check.", "Record the return interview."])
    before = len(events(case=case, operation="alteration"))
    with pytest.raises(ValidationFailed) as refused:
        services.case_close(actor=owner, case=case, data=CaseCloseIn(reason="Found."))
    assert refused.value.fields["case"] == ["Record the safe and well check.", "Record the return interview."]
    case.refresh_from_db()
    assert (case.state, case.closed_at) == (CaseState.OPEN, None)
    assert len(events(case=case, operation="alteration")) == before


def test_close_check_sees_the_case_and_lets_it_close_when_satisfied(owner, case, veto):
    seen = []

    def check(c):
        seen.append(c.pk)
        return []

    veto(CaseKind.GENERAL, check)
    services.case_close(actor=owner, case=case, data=CaseCloseIn(reason="Done."))
    assert seen == [case.pk]
    assert Case.objects.get(pk=case.pk).state == CaseState.CLOSED


def test_close_check_for_another_kind_is_not_asked(owner, case, veto):
    veto(CaseKind.MISSING, lambda c: ["Missing-only rule."])
    services.case_close(actor=owner, case=case, data=CaseCloseIn(reason="Done."))
    assert Case.objects.get(pk=case.pk).state == CaseState.CLOSED


def test_close_check_for_any_kind_is_asked(owner, case, veto):
    veto(closing.ANY_KIND, lambda c: ["Every case needs this."])
    with pytest.raises(ValidationFailed) as refused:
        services.case_close(actor=owner, case=case, data=CaseCloseIn(reason="Done."))
    assert refused.value.fields["case"] == ["Every case needs this."]


def test_m10_case_cannot_close_while_a_handover_awaits_acknowledgement(owner, case, make_user):
    taker = make_user("taker", roles=("investigator",), team="RESP")
    services.case_handover(actor=owner, case=case, data=HandoverIn(to_user=taker.username, reason="Leave."))
    with pytest.raises(ValidationFailed) as refused:
        services.case_close(actor=owner, case=case, data=CaseCloseIn(reason="Done."))
    assert any("acknowledge" in reason for reason in refused.value.fields["case"])
    assert Case.objects.get(pk=case.pk).state == CaseState.OPEN


def test_roles_without_edit_scope_cannot_close(case, make_user):
    analyst = make_user(roles=("analyst",), team="RESP")  # sees every case, edits none
    with pytest.raises(Forbidden):
        services.case_close(actor=analyst, case=case, data=CaseCloseIn(reason="Done."))
    teammate = make_user(roles=("response_officer",), team="RESP")  # sees the team's cases, edits own
    with pytest.raises(Forbidden):
        services.case_close(actor=teammate, case=case, data=CaseCloseIn(reason="Done."))
    outsider = make_user(roles=("response_officer",), team="OTHER")
    with pytest.raises(NotFound):
        services.case_close(actor=outsider, case=case, data=CaseCloseIn(reason="Done."))
    assert Case.objects.get(pk=case.pk).state == CaseState.OPEN


def test_team_supervisor_may_close(case, supervisor):
    services.case_close(actor=supervisor, case=case, data=CaseCloseIn(reason="Reviewed: no further action."))
    assert Case.objects.get(pk=case.pk).state == CaseState.CLOSED


@pytest.fixture
def closed(owner, case):
    services.case_close(actor=owner, case=case, data=CaseCloseIn(reason="Done."))
    case.refresh_from_db()
    return case


def test_closed_case_refuses_notes_involvement_edits_handover_and_members(owner, closed, make_user, make_person):
    taker = make_user("taker", roles=("investigator",), team="RESP")
    entries = TimelineEntry.objects.filter(case=closed).count()
    attempts = [
        lambda: services.case_note_add(actor=owner, case=closed, data=NoteIn(kind=EntryKind.FACT, text="Late note.")),
        lambda: services.involvement_add(actor=owner, case=closed, person=make_person(), role=InvolvementRole.WITNESS),
        lambda: services.case_update(
            actor=owner,
            case=closed,
            data=CaseUpdateIn(version=closed.version, summary="Changed", sensitivity=Sensitivity.NORMAL),
        ),
        lambda: services.case_handover(
            actor=owner, case=closed, data=HandoverIn(to_user=taker.username, reason="Leave.")
        ),
        lambda: services.members_set(actor=owner, case=closed, data=MembersIn(members=[taker.username])),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as refused:
            attempt()
        assert "closed" in refused.value.message
    closed.refresh_from_db()
    assert closed.summary == "Concern from school"
    assert not Handover.objects.filter(case=closed).exists()
    assert not closed.members.exists()
    assert TimelineEntry.objects.filter(case=closed).count() == entries


def test_supervisor_reopens_with_a_reason_logged_and_on_the_timeline(closed, supervisor, events):
    services.case_reopen(actor=supervisor, case=closed, data=CaseReopenIn(reason="New information from school."))
    closed.refresh_from_db()
    assert (closed.state, closed.closed_at) == (CaseState.OPEN, None)
    assert TimelineEntry.objects.filter(case=closed, text__contains="reopened").exists()
    logged = events(case=closed, actor=supervisor, operation="alteration")
    assert logged[-1].justification == "New information from school."
    assert logged[-1].detail == {"state": "open"}


def test_reopen_needs_a_reason(closed, supervisor):
    with pytest.raises(ValidationFailed) as refused:
        run(operations.case_reopen, actor=supervisor, target=closed, data={"reason": ""})
    assert refused.value.fields == {"reason": ["Enter the reason for reopening the case"]}
    assert Case.objects.get(pk=closed.pk).state == CaseState.CLOSED


def test_owner_who_is_not_a_supervisor_cannot_reopen(closed, owner):
    with pytest.raises(Forbidden):
        services.case_reopen(actor=owner, case=closed, data=CaseReopenIn(reason="Changed my mind."))
    assert Case.objects.get(pk=closed.pk).state == CaseState.CLOSED


def test_supervisor_of_another_team_cannot_reopen(closed, make_user):
    other = make_user(roles=("supervisor",), team="OTHER")  # sees it force-wide; REOPEN reaches the team only
    with pytest.raises(Forbidden):
        services.case_reopen(actor=other, case=closed, data=CaseReopenIn(reason="Mine now."))


def test_reopening_an_open_case_is_a_conflict(case, supervisor):
    with pytest.raises(Conflict):
        services.case_reopen(actor=supervisor, case=case, data=CaseReopenIn(reason="Why not."))


def test_reopened_case_takes_notes_again(closed, supervisor, owner):
    services.case_reopen(actor=supervisor, case=closed, data=CaseReopenIn(reason="New information."))
    services.case_note_add(actor=owner, case=closed, data=NoteIn(kind=EntryKind.FACT, text="Seen again."))
    assert TimelineEntry.objects.filter(case=closed, text="Seen again.").exists()


# --- Pages --------------------------------------------------------------------------------------


def test_close_page_confirms_and_closes(client, owner, case):
    sign_in(client, owner)
    page = client.get(f"/cases/{case.public_id}/")
    assert f'href="/cases/{case.public_id}/close/"' in page.content.decode()
    confirm = client.get(f"/cases/{case.public_id}/close/")
    assert confirm.status_code == 200
    assert "Close case" in confirm.content.decode()
    response = client.post(f"/cases/{case.public_id}/close/", {"reason": "No further concerns."})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.CLOSED
    body = client.get(f"/cases/{case.public_id}/").content.decode()
    assert 'data-testid="closed-notice"' in body
    assert "Add the note" not in body
    assert f'/cases/{case.public_id}/close/"' not in body


def test_close_page_without_a_reason_shows_the_error_summary(client, owner, case):
    sign_in(client, owner)
    response = client.post(f"/cases/{case.public_id}/close/", {"reason": ""})
    assert response.status_code == 422
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter the reason for closing the case" in body
    assert Case.objects.get(pk=case.pk).state == CaseState.OPEN


def test_close_page_lists_what_stops_closure_and_keeps_the_reason(client, owner, case, veto):
    veto(CaseKind.GENERAL, lambda c: ["Record the safe and well check."])
    sign_in(client, owner)
    assert "Record the safe and well check." in client.get(f"/cases/{case.public_id}/close/").content.decode()
    response = client.post(f"/cases/{case.public_id}/close/", {"reason": "Typed reason kept."})
    assert response.status_code == 422
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Record the safe and well check." in body
    assert "Typed reason kept." in body
    assert Case.objects.get(pk=case.pk).state == CaseState.OPEN


def test_note_on_a_closed_case_is_refused_with_a_message(client, owner, closed):
    sign_in(client, owner)
    response = client.post(f"/cases/{closed.public_id}/notes/", {"kind": "fact", "text": "Late."}, follow=True)
    assert "is closed" in response.content.decode()
    assert not TimelineEntry.objects.filter(case=closed, text="Late.").exists()


@pytest.mark.parametrize("page", ["edit", "handover", "members", "close"])
def test_change_pages_of_a_closed_case_send_back_to_the_case(client, owner, closed, page):
    sign_in(client, owner)
    response = client.get(f"/cases/{closed.public_id}/{page}/")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{closed.public_id}/"


def test_reopen_page_for_a_supervisor(client, supervisor, closed):
    sign_in(client, supervisor)
    assert 'data-testid="reopen-link"' in client.get(f"/cases/{closed.public_id}/").content.decode()
    response = client.post(f"/cases/{closed.public_id}/reopen/", {"reason": ""})
    assert response.status_code == 422
    assert "Enter the reason for reopening the case" in response.content.decode()
    response = client.post(f"/cases/{closed.public_id}/reopen/", {"reason": "New information."})
    assert response.status_code == 302
    assert Case.objects.get(pk=closed.pk).state == CaseState.OPEN


def test_no_reopen_link_or_page_for_the_officer(client, owner, closed):
    sign_in(client, owner)
    assert 'data-testid="reopen-link"' not in client.get(f"/cases/{closed.public_id}/").content.decode()
    assert client.get(f"/cases/{closed.public_id}/reopen/").status_code == 403


# --- API ----------------------------------------------------------------------------------------


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_api_close_and_reopen(client, owner, supervisor, case):
    sign_in(client, owner)
    response = _post(client, f"/api/v1/cases/{case.public_id}/close", {"reason": "Done."})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closed"
    assert response.json()["closed_at"] is not None
    note = _post(client, f"/api/v1/cases/{case.public_id}/notes", {"kind": "fact", "text": "Late."})
    assert note.status_code == 409
    assert note.json()["error"]["code"] == "conflict"
    client.logout()
    sign_in(client, supervisor)
    response = _post(client, f"/api/v1/cases/{case.public_id}/reopen", {"reason": "New information."})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "open"


def test_api_close_refused_lists_the_reasons(client, owner, case, veto):
    veto(CaseKind.GENERAL, lambda c: ["Record the safe and well check."])
    sign_in(client, owner)
    response = _post(client, f"/api/v1/cases/{case.public_id}/close", {"reason": "Done."})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["case"] == ["Record the safe and well check."]
