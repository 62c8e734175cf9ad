"""Finding a missing child is every operational officer's job: anyone with an operational role sees the
force's children missing now and their briefing, and records a sighting, each read logged for the purpose
of locating a missing person. Restricted children stay with those who may see them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from haven.audit.choices import JustificationKind, Operation
from haven.audit.models import AccessEvent
from haven.core import clock
from haven.core.errors import Conflict, NotFound
from haven.core.operations import run
from haven.core.testing import sign_in
from haven.missing import operations, rules, selectors
from haven.notifications.models import Notification
from haven.ui.forms import GovukDateInput


@pytest.fixture
def missing(make_user, make_episode):
    reporter = make_user("handler", roles=("call_handler",), team="IMU")
    episode = make_episode(reporter)
    outsider = make_user("pcsouth", roles=("response_officer",), team="SOUTH")
    return {"reporter": reporter, "episode": episode, "outsider": outsider}


def _typed() -> dict[str, str]:
    """Ten minutes ago as the GOV.UK date input's boxes post it."""
    return GovukDateInput.post_data("seen_at", clock.now() - timedelta(minutes=10))


def _sighting(**overrides):
    return {
        "seen_at": (clock.now() - timedelta(minutes=10)).isoformat(),
        "where": "Bus station, stand 4",
        "information": "With two older boys, heading for the town centre.",
        **overrides,
    }


def test_an_officer_outside_the_team_sees_the_child_among_children_missing_now(missing):
    outsider = missing["outsider"]
    listed = selectors.episode_list(user=outsider, active=True)
    assert [e.pk for e in listed] == [missing["episode"].pk]
    assert listed[0].briefing_only
    logged = AccessEvent.objects.filter(actor=outsider, justification_kind=JustificationKind.LOCATING)
    assert logged.filter(operation=Operation.CONSULTATION).exists()


def test_the_briefing_is_readable_but_the_case_is_not(client, missing):
    episode = missing["episode"]
    sign_in(client, missing["outsider"])
    page = client.get(f"/missing/{episode.public_id}/")
    assert page.status_code == 200
    assert 'data-testid="briefing"' in page.content.decode()
    assert episode.circumstances not in page.content.decode()  # the report's narrative stays with the case
    assert client.get(f"/cases/{episode.case.public_id}/").status_code == 404
    assert client.get(f"/api/v1/missing/episodes/{episode.public_id}").status_code == 404


def test_an_officer_outside_the_team_records_a_sighting_and_the_owner_is_told(missing):
    episode, outsider = missing["episode"], missing["outsider"]
    sighting = run(operations.sighting_record, actor=outsider, target=episode, data=_sighting())
    assert sighting.episode == episode
    assert sighting.recorded_by == outsider
    told = Notification.objects.get(recipient=missing["reporter"], case=episode.case)
    assert told.subject == f"New sighting on {episode.case.reference}"
    assert episode.child.surname not in told.subject + told.body  # nothing identifying leaves by e-mail
    assert AccessEvent.objects.filter(
        actor=outsider, operation=Operation.COLLECTION, justification_kind=JustificationKind.LOCATING
    ).exists()
    assert episode.case.timeline.filter(text__startswith="Sighting recorded by").exists()


def test_the_sighting_page_records_and_shows_errors_in_people_s_words(client, missing):
    episode = missing["episode"]
    sign_in(client, missing["outsider"])
    url = f"/missing/{episode.public_id}/sighting/"
    blank = client.get(url)
    assert blank.status_code == 200
    # When the child was seen is the officer's answer: the boxes start empty, not guessed as now.
    assert re.search(r'name="seen_at-day"[^>]*value="[0-9]', blank.content.decode()) is None
    refused = client.post(url, {"where": ""})
    assert refused.status_code == 422
    assert "govuk-error-summary" in refused.content.decode()
    assert "Enter where the child was seen" in refused.content.decode()
    done = client.post(url, {**_typed(), "where": "Park", "information": "On the swings."})
    assert done.status_code == 302
    assert episode.sightings.get().where == "Park"


def test_a_sighting_through_the_api(client, missing):
    sign_in(client, missing["outsider"])
    answer = client.post(
        f"/api/v1/missing/episodes/{missing['episode'].public_id}/sightings",
        _sighting(),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["where"] == "Bus station, stand 4"
    briefing = client.get(f"/api/v1/missing/episodes/{missing['episode'].public_id}/briefing")
    assert briefing.status_code == 200, briefing.content
    assert briefing.json()["owner"]["username"] == "handler"
    assert [s["where"] for s in briefing.json()["sightings"]] == ["Bus station, stand 4"]


def test_a_restricted_child_is_not_shown_to_officers_outside_it(make_user, make_episode, make_child):
    reporter = make_user("handler2", roles=("call_handler",), team="IMU")
    hidden = make_episode(reporter, child=make_child(is_restricted=True, actor=reporter))
    outsider = make_user("pcsouth2", roles=("response_officer",), team="SOUTH")
    assert selectors.episode_list(user=outsider, active=True) == []
    with pytest.raises(NotFound):
        selectors.episode_for_locating(user=outsider, public_id=hidden.public_id)


def test_roles_that_do_not_search_see_no_briefing(make_user, missing):
    auditor = make_user("auditor1", roles=("auditor",), team="DPO")
    with pytest.raises(NotFound):
        selectors.episode_for_locating(user=auditor, public_id=missing["episode"].public_id)
    assert selectors.episode_list(user=auditor, active=True) == []


def test_no_sighting_once_the_child_is_found(missing):
    episode = missing["episode"]
    run(
        operations.episode_found,
        actor=missing["reporter"],
        target=episode,
        data={
            "found_at": clock.now().isoformat(),
            "found_where": "Her aunt's flat",
            "found_where_code": "family_address",
            "found_by": "Her aunt",
            "condition": "Well.",
            "rhi_authority": "Leeds City Council",
            "rhi_recipient": "missing.children@leeds.example",
        },
    )
    with pytest.raises((Conflict, NotFound)):
        run(operations.sighting_record, actor=missing["outsider"], target=episode, data=_sighting())


def test_the_briefing_shows_the_trigger_plan_s_actions_to_an_officer_of_another_team(client, make_user, make_plan):
    sergeant = make_user("plansgt", roles=("supervisor",), team="CATE")
    plan = make_plan(sergeant)
    reporter = make_user("handler3", roles=("call_handler",), team="IMU")
    from haven import factories

    episode = factories.episode(reporter=reporter, child=plan.case.subject)
    sign_in(client, make_user("pcsouth3", roles=("response_officer",), team="SOUTH"))
    page = client.get(f"/missing/{episode.public_id}/").content.decode()
    assert 'data-testid="plan-actions"' in page
    assert "14 Mill Lane" in page
    assert AccessEvent.objects.filter(
        actor__username="pcsouth3",
        justification_kind=JustificationKind.LOCATING,
        case_ids__contains=[str(plan.case.public_id)],
    ).exists()


def _by_name(name, **overrides):
    return {**_sighting(), "child_name": name, **overrides}


def test_a_sighting_by_name_of_a_restricted_child_reaches_the_owner_without_revealing_the_child(
    client, make_user, make_episode, make_child
):
    reporter = make_user("handler4", roles=("call_handler",), team="IMU")
    child = make_child("Keira", "Lowe", is_restricted=True, actor=reporter)
    hidden = make_episode(reporter, child=child)
    outsider = make_user("pcsouth4", roles=("response_officer",), team="SOUTH")
    sign_in(client, outsider)
    matched = client.post("/api/v1/missing/sightings", _by_name("Keira Lowe"), content_type="application/json")
    unmatched = client.post("/api/v1/missing/sightings", _by_name("Nobody Known"), content_type="application/json")
    assert matched.status_code == unmatched.status_code == 202
    assert matched.json() == unmatched.json()  # the answer never says whether the name matched
    assert hidden.sightings.get().recorded_by == outsider
    told = Notification.objects.filter(recipient=reporter, case=hidden.case, subject__startswith="New sighting")
    assert told.exists()
    with pytest.raises(NotFound):
        selectors.episode_for_locating(user=outsider, public_id=hidden.public_id)


def test_an_unmatched_sighting_by_name_goes_to_the_supervisors_to_follow_up(client, make_user):
    from haven.missing.models import Sighting

    sergeant = make_user("sgtimu", roles=("supervisor",), team="IMU")
    reporter = make_user("pcimu", roles=("response_officer",), team="IMU")
    run(operations.sighting_report, actor=reporter, data=_by_name("Jade Morris"))
    assert Sighting.objects.get(episode__isnull=True).child_name == "Jade Morris"
    assert Notification.objects.filter(recipient=sergeant, subject__contains="needs matching").exists()
    sign_in(client, sergeant)
    page = client.get("/missing/sightings/unmatched/").content.decode()
    assert "Jade Morris" in page
    assert AccessEvent.objects.filter(actor=sergeant, justification_kind=JustificationKind.LOCATING).exists()


def test_the_sighting_by_name_page_answers_the_same_words_and_shows_errors(client, make_user):
    sign_in(client, make_user("pcpage", roles=("response_officer",), team="IMU"))
    refused = client.post("/missing/sightings/new/", {"child_name": ""})
    assert refused.status_code == 422
    assert "Enter the child" in refused.content.decode()
    done = client.post(
        "/missing/sightings/new/",
        {"child_name": "Jade Morris", **_typed(), "where": "Park", "information": "On the swings."},
    )
    assert done.status_code == 302
    assert rules.SIGHTING_RECEIVED in client.get(done["Location"]).content.decode().replace("&#x27;", "'")


def test_a_found_child_s_episode_of_another_team_is_404_and_the_refusal_logged(client, missing):
    from haven.audit.choices import Outcome

    episode = missing["episode"]
    run(
        operations.episode_found,
        actor=missing["reporter"],
        target=episode,
        data={
            "found_at": clock.now().isoformat(),
            "found_where": "Her aunt's flat",
            "found_where_code": "family_address",
            "found_by": "Her aunt",
            "condition": "Well.",
            "rhi_authority": "Leeds City Council",
            "rhi_recipient": "missing.children@leeds.example",
        },
    )
    sign_in(client, missing["outsider"])
    assert client.get(f"/missing/{episode.public_id}/").status_code == 404
    assert AccessEvent.objects.filter(actor=missing["outsider"], outcome=Outcome.DENIED).exists()
    assert client.get("/missing/not-an-id/").status_code == 404
    with pytest.raises(NotFound):
        selectors.episode_for_locating(user=missing["outsider"], public_id="not-an-id")


def test_a_name_two_children_missing_now_share_is_kept_for_the_supervisors(make_user, make_episode, make_child):
    from haven.missing.models import Sighting

    reporter = make_user("handler5", roles=("call_handler",), team="IMU")
    first = make_episode(reporter, child=make_child("Sam", "Taylor"))
    second = make_episode(reporter, child=make_child("Sam", "Taylor"))
    run(
        operations.sighting_report,
        actor=make_user("pc5", roles=("response_officer",), team="SOUTH"),
        data=_by_name("Sam Taylor"),
    )
    assert not first.sightings.exists()
    assert not second.sightings.exists()
    assert Sighting.objects.get(episode__isnull=True).child_name == "Sam Taylor"
