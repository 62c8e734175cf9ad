"""Team queues: new work lands in the queue of the area's team (force policy), where the duty sergeant
allocates it to an officer by name; the officer owns it at once and is asked to acknowledge (M-10)."""

from __future__ import annotations

import pytest

from haven.cases import hooks, operations, selectors, services
from haven.cases.policy import QUEUE_AREAS
from haven.core.errors import Forbidden, ValidationFailed
from haven.core.operations import run
from haven.core.testing import sign_in
from haven.policy.schemas import PolicySetIn
from haven.policy.services import policy_set


@pytest.fixture
def queued(make_user, make_case):
    reporter = make_user("handler", roles=("call_handler",), team="IMU")
    officer = make_user("pcjones", roles=("response_officer",), team="RESP-A")
    sergeant = make_user("sarge", roles=("supervisor",), team="RESP-A")
    other_sergeant = make_user("othersarge", roles=("supervisor",), team="CATE")
    case = make_case(reporter)
    services.case_queue_put(actor=reporter, case=case)
    case.refresh_from_db()
    return {"reporter": reporter, "officer": officer, "sergeant": sergeant, "other": other_sergeant, "case": case}


def test_new_work_lands_in_the_queue_of_the_areas_team(queued):
    case = queued["case"]
    assert case.is_queued
    assert case.team.code == "RESP-A"
    assert case.area == "North"
    assert case.owner == queued["reporter"]  # the reporter keeps it until it is allocated
    assert list(selectors.case_queue(user=queued["officer"])) == [case]
    assert list(selectors.case_queue(user=queued["other"])) == []


def test_the_area_named_in_the_report_chooses_the_team(make_user, make_case):
    admin = make_user("policyadmin", roles=("administrator",), team="ADMIN")
    make_user("cate", roles=("investigator",), team="CATE")
    areas = [{"area": "North", "team": "RESP-A"}, {"area": "South", "team": "CATE"}]
    policy_set(actor=admin, setting=QUEUE_AREAS, data=PolicySetIn(value=areas, reason="Two sectors."))
    reporter = make_user("handler2", roles=("call_handler",), team="IMU")
    case = make_case(reporter)
    services.case_queue_put(actor=reporter, case=case, area="south")
    case.refresh_from_db()
    assert (case.team.code, case.area) == ("CATE", "South")


def test_the_queue_fires_the_queued_event(queued, make_case):
    seen = []
    hooks.listen(case_queued=lambda case, *, actor: seen.append((case.pk, actor.pk)))
    try:
        case = make_case(queued["reporter"])
        services.case_queue_put(actor=queued["reporter"], case=case)
    finally:
        hooks._case_queued.pop()
    assert seen == [(case.pk, queued["reporter"].pk)]


def test_the_duty_sergeant_allocates_by_name_and_the_officer_owns_it_at_once(
    queued, mailbox, django_capture_on_commit_callbacks
):
    case = queued["case"]
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes once the allocation commits
        run(operations.case_allocate, actor=queued["sergeant"], target=case, data={"to_user": "pcjones", "note": "Go."})
    case.refresh_from_db()
    assert case.owner == queued["officer"]
    assert not case.is_queued
    assert case.team.code == "RESP-A"
    assert selectors.case_queue(user=queued["sergeant"]).count() == 0
    assert [m["To"] for m in mailbox] == ["pcjones@example.test"]
    assert case.timeline.filter(text__startswith="Allocated to").exists()


def test_allocation_fires_owner_changed_with_the_previous_owner(queued):
    seen = []
    hooks.listen(owner_changed=lambda case, *, previous_owner, actor: seen.append((previous_owner.pk, actor.pk)))
    try:
        run(operations.case_allocate, actor=queued["sergeant"], target=queued["case"], data={"to_user": "pcjones"})
    finally:
        hooks._owner_changed.pop()
    assert seen == [(queued["reporter"].pk, queued["sergeant"].pk)]


def test_a_sergeant_of_another_team_cannot_allocate(queued):
    with pytest.raises(Forbidden):
        run(operations.case_allocate, actor=queued["other"], target=queued["case"], data={"to_user": "pcjones"})


def test_an_officer_cannot_allocate(queued):
    with pytest.raises(Forbidden):
        run(operations.case_allocate, actor=queued["officer"], target=queued["case"], data={"to_user": "pcjones"})


@pytest.mark.parametrize(
    ("to_user", "message"),
    [
        ("nobody", "There is nobody called nobody who can be chosen here: check the name or choose from the list"),
        ("", "Enter who to allocate the case to"),
    ],
)
def test_allocating_to_an_unknown_person_is_a_field_error(queued, to_user, message):
    with pytest.raises(ValidationFailed) as raised:
        run(operations.case_allocate, actor=queued["sergeant"], target=queued["case"], data={"to_user": to_user})
    assert raised.value.fields["to_user"] == [message]
    queued["case"].refresh_from_db()
    assert queued["case"].is_queued


def test_a_closed_case_leaves_the_queue(queued):
    run(operations.case_close, actor=queued["reporter"], target=queued["case"], data={"reason": "Duplicate report."})
    queued["case"].refresh_from_db()
    assert not queued["case"].is_queued


def test_the_team_sees_its_queue_on_the_home_page_with_the_allocate_link_for_the_sergeant(client, queued):
    sign_in(client, queued["officer"])
    home = client.get("/").content.decode()
    assert 'data-testid="team-queue"' in home
    assert queued["case"].reference in home
    assert f"/cases/{queued['case'].public_id}/allocate/" not in home
    client.logout()
    sign_in(client, queued["sergeant"])
    home = client.get("/").content.decode()
    assert f"/cases/{queued['case'].public_id}/allocate/" in home


def test_the_allocate_page_shows_errors_in_the_summary_and_allocates(client, queued):
    sign_in(client, queued["sergeant"])
    url = f"/cases/{queued['case'].public_id}/allocate/"
    refused = client.post(url, {"to_user": "nobody"})
    assert refused.status_code == 422
    assert "govuk-error-summary" in refused.content.decode()
    assert (
        "There is nobody called nobody who can be chosen here: check the name or choose from the list"
        in refused.content.decode()
    )
    done = client.post(url, {"to_user": "pcjones"})
    assert done.status_code == 302
    queued["case"].refresh_from_db()
    assert queued["case"].owner == queued["officer"]


def test_the_api_lists_the_queue_and_allocates(client, queued):
    sign_in(client, queued["sergeant"])
    listed = client.get("/api/v1/cases/queue")
    assert listed.status_code == 200
    assert [row["reference"] for row in listed.json()] == [queued["case"].reference]
    assert listed.json()[0]["waiting_minutes"] >= 0
    answer = client.post(
        f"/api/v1/cases/{queued['case'].public_id}/allocate", {"to_user": "pcjones"}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["owner"]["username"] == "pcjones"
    assert answer.json()["queued_at"] is None


def test_the_analyst_is_not_shown_the_team_queue(client, make_user, make_case):
    reporter = make_user("handler", roles=("call_handler",), team="IMU")
    case = make_case(reporter)
    services.case_queue_put(actor=reporter, case=case)
    sign_in(client, make_user("analyst", roles=("analyst",), team="IMU"))
    home = client.get("/").content.decode()
    assert 'data-testid="team-queue"' not in home
    client.logout()
    sign_in(client, make_user("colleague", roles=("call_handler",), team="IMU"))
    assert 'data-testid="team-queue"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ([], "List at least one area"),
        ("North", "List at least one area"),
        ([{"area": "North"}], "exactly an area name and a team code"),
        ([{"area": " ", "team": "RESP-A"}], "give the area a name"),
        ([{"area": "North", "team": ""}], "give the code of a team"),
        ([{"area": "North", "team": "A"}, {"area": "north", "team": "B"}], "north is listed twice"),
    ],
)
def test_the_areas_policy_refuses_what_cannot_route_work(value, words):
    from django.core.exceptions import ValidationError

    from haven.cases.policy import areas_display, areas_validate

    with pytest.raises(ValidationError) as refused:
        areas_validate(value)
    assert words in " ".join(refused.value.messages)
    assert areas_display(value) == "Not a valid list of areas"


def test_the_areas_policy_reads_back_in_words():
    from haven.cases.policy import areas_display

    assert areas_display([{"area": " North ", "team": "RESP-A"}]) == "North: RESP-A"


def test_reallocation_refuses_the_owner_and_someone_who_cannot_own_a_case(queued, make_user):
    run(operations.case_allocate, actor=queued["sergeant"], target=queued["case"], data={"to_user": "pcjones"})
    queued["case"].refresh_from_db()
    with pytest.raises(ValidationFailed) as owner:
        run(operations.case_allocate, actor=queued["sergeant"], target=queued["case"], data={"to_user": "pcjones"})
    assert owner.value.fields["to_user"] == ["This person already owns the case"]
    make_user("readonly", roles=("analyst",), team="RESP-A")
    with pytest.raises(ValidationFailed) as analyst:
        run(operations.case_allocate, actor=queued["sergeant"], target=queued["case"], data={"to_user": "readonly"})
    assert analyst.value.fields["to_user"] == [
        "There is nobody called readonly who can be chosen here: check the name or choose from the list"
    ]


def test_allocation_replaces_a_pending_handover(queued):
    from haven.cases.models import Handover

    case = queued["case"]
    run(
        operations.case_handover,
        actor=queued["sergeant"],
        target=case,
        data={"to_user": "othersarge", "reason": "CATE to lead."},
    )
    run(operations.case_allocate, actor=queued["sergeant"], target=case, data={"to_user": "pcjones"})
    case.refresh_from_db()
    assert case.pending_owner is None
    assert Handover.objects.get(case=case).superseded_at is not None


def test_an_inspector_looks_at_another_team_s_queue(client, queued, make_user):
    sign_in(client, make_user("insp", roles=("inspector",), team="CMD"))
    page = client.get("/cases/queue/?team=RESP-A").content.decode()
    assert queued["case"].reference in page
    assert 'name="team"' in page  # the inspector may choose the team
    assert client.get("/cases/queue/?team=NOPE").status_code == 200
    listed = client.get("/api/v1/cases/queue?team=NOPE")
    assert listed.status_code == 200
    assert listed.json() == []


def test_an_area_the_policy_does_not_list_is_refused(queued, make_case):
    case = make_case(queued["reporter"])
    with pytest.raises(ValidationFailed) as refused:
        services.case_queue_put(actor=queued["reporter"], case=case, area="Atlantis")
    assert refused.value.fields == {"area": ["Choose an area from the list"]}


def test_the_case_page_of_a_missing_child_leads_on_to_the_episode(client, make_user, make_episode):
    officer = make_user("pcmiss", roles=("response_officer",), team="RESP")
    episode = make_episode(make_user("handlerx", roles=("call_handler",), team="RESP"))
    episode.case.owner = officer
    episode.case.save(update_fields=["owner"])
    sign_in(client, officer)
    page = client.get(f"/cases/{episode.case.public_id}/").content.decode()
    assert 'data-testid="record-link"' in page
    assert f"/missing/{episode.public_id}/" in page
