"""The case pages: open a case, the case page, notes, the case list, "My cases" on the home page."""

from __future__ import annotations

from haven.cases.models import Case, Involvement, TimelineEntry
from haven.core.testing import sign_in


def test_open_a_case_from_a_person_link(signed_in, make_person, events):
    client, user = signed_in(roles=("response_officer",), team="RESP")
    child = make_person("Amelia", "Hart")
    form = client.get(f"/cases/new/?person={child.public_id}")
    assert form.status_code == 200
    assert str(child.public_id) in form.content.decode()
    response = client.post(
        "/cases/new/",
        {"subject": str(child.public_id), "kind": "general", "summary": "Missing overnight", "sensitivity": "normal"},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.public_id}/"
    assert case.team is not None
    assert (case.owner, case.team.code, case.subject) == (user, "RESP", child)
    assert Involvement.objects.get(case=case).role == "subject"
    assert events(case=case, operation="collection")


def test_open_a_case_for_an_unknown_person_shows_an_error(signed_in):
    client, _ = signed_in(roles=("response_officer",))
    response = client.post("/cases/new/", {"subject": "not-an-id", "kind": "general", "sensitivity": "normal"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "There is no person with this Haven id" in body
    assert not Case.objects.exists()


def test_case_page_shows_envelope_involvement_and_tagged_timeline(signed_in, make_case, make_person, events):
    client, user = signed_in(roles=("response_officer",), team="RESP")
    case = make_case(user, summary="Concern from school")
    witness = make_person("Wendy", "Witness")
    Involvement.objects.create(case=case, person=witness, role="witness")
    TimelineEntry.objects.create(case=case, author=user, kind="fact", text="Seen at 10:00.")
    TimelineEntry.objects.create(case=case, author=user, kind="assessment", text="Likely at risk.")
    response = client.get(f"/cases/{case.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        case.reference,
        "Concern from school",
        str(case.subject),
        "Team RESP",
        "Witness",
        "Wendy Witness",
        "Seen at 10:00.",
        "Likely at risk.",
        ">Fact<",
        ">Assessment<",
        "Case opened by",
    ):
        assert text in body, text
    assert events(case=case, actor=user, operation="consultation", justification_kind="allocated")


def test_team_read_is_logged_as_team(signed_in, make_user, make_case, events):
    client, user = signed_in(roles=("response_officer",), team="RESP")
    case = make_case(make_user(roles=("response_officer",), team="RESP"))
    assert client.get(f"/cases/{case.public_id}/").status_code == 200
    assert events(case=case, actor=user, operation="consultation", justification_kind="team")


def test_add_a_note_marked_fact_or_assessment(signed_in, make_case, events):
    client, user = signed_in(roles=("response_officer",))
    case = make_case(user)
    response = client.post(f"/cases/{case.public_id}/notes/", {"kind": "assessment", "text": "Risk is rising."})
    assert response.status_code == 302
    note = TimelineEntry.objects.get(case=case, kind="assessment")
    assert note.text == "Risk is rising."
    assert events(case=case, operation="alteration")


def test_a_note_without_fact_or_assessment_is_refused_and_kept(signed_in, make_case):
    client, user = signed_in(roles=("response_officer",))
    case = make_case(user)
    response = client.post(f"/cases/{case.public_id}/notes/", {"text": "Typed but not marked."})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Say whether the note records fact or assessment" in body
    assert "Typed but not marked." in body
    assert not TimelineEntry.objects.filter(text="Typed but not marked.").exists()


def test_home_page_lists_my_open_cases(signed_in, make_case, make_user):
    client, user = signed_in(roles=("response_officer",), team="RESP")
    mine = make_case(user)
    theirs = make_case(make_user(roles=("response_officer",), team="RESP"))
    body = client.get("/").content.decode()
    assert 'data-testid="my-cases"' in body
    assert mine.reference in body
    assert theirs.reference not in body
    assert 'data-testid="no-work"' not in body


def test_cases_nav_item_for_those_who_may_view_cases(signed_in):
    client, _ = signed_in(roles=("response_officer",))
    assert 'href="/cases/"' in client.get("/").content.decode()


def test_no_cases_nav_item_for_administrators(signed_in):
    client, _ = signed_in(roles=("administrator",))
    assert 'href="/cases/"' not in client.get("/").content.decode()


def test_case_list_filters_by_state_and_mine(signed_in, make_case, make_user):
    client, user = signed_in(roles=("supervisor",), team="RESP")
    mine = make_case(user)
    other = make_case(make_user(roles=("response_officer",), team="RESP"))
    Case.objects.filter(pk=other.pk).update(state="closed", closed_at=mine.opened_at)
    body = client.get("/cases/?mine=1").content.decode()
    assert mine.reference in body
    assert other.reference not in body
    body = client.get("/cases/?state=closed").content.decode()
    assert other.reference in body
    assert mine.reference not in body


def test_case_list_page_query_count_does_not_grow_with_cases(
    signed_in, make_user, make_case, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, user = signed_in(roles=("supervisor",), team="RESP")
    owners = [make_user(roles=("response_officer",), team=f"T{i}") for i in range(3)]
    counts = []
    for total in (3, 30):
        while Case.objects.count() < total:
            make_case(owners[Case.objects.count() % 3])
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/cases/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        client.get("/cases/")


MAX_LIST_QUERIES = 20  # session, user, second factor, shell (notifications, heartbeat), history context, count,
# page, s62 row…: not per case


def test_unknown_case_is_404(signed_in):
    client, _ = signed_in(roles=("supervisor",))
    assert client.get("/cases/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/cases/not-a-uuid/").status_code == 404


def test_handover_page_hands_over(client, make_user, make_case):
    owner = make_user(roles=("response_officer",), team="RESP")
    make_user("taker", roles=("investigator",), team="RESP")
    case = make_case(owner)
    sign_in(client, owner)
    assert client.get(f"/cases/{case.public_id}/handover/").status_code == 200
    response = client.post(f"/cases/{case.public_id}/handover/", {"to_user": "nobody", "reason": "x"})
    assert (
        "There is nobody called nobody who can be chosen here: check the name or choose from the list"
        in response.content.decode()
    )
    response = client.post(f"/cases/{case.public_id}/handover/", {"to_user": "taker", "reason": "Leave."})
    assert response.status_code == 302
    pending = Case.objects.get(pk=case.pk).pending_owner
    assert pending is not None
    assert pending.username == "taker"


def test_case_list_api_query_count_does_not_grow_with_cases(signed_in, make_user, make_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, _ = signed_in(roles=("supervisor",), team="RESP")
    owners = [make_user(roles=("response_officer",), team=f"T{i}") for i in range(3)]
    counts = []
    for total in (3, 30):
        while Case.objects.count() < total:
            make_case(owners[Case.objects.count() % 3])
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/cases?limit=100")
        assert response.status_code == 200
        assert len(response.json()) == total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_home_page_my_cases_query_count_does_not_grow_with_cases(signed_in, make_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, user = signed_in(roles=("response_officer",), team="RESP")
    counts = []
    for total in (2, 12):
        while Case.objects.filter(owner=user).count() < total:
            make_case(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
