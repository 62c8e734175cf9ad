"""A refused read leaves exactly one ``denied`` row, written by the selector that refused it (DP-01);
the net under the selectors (``refusal_record``, run by DenialsKeptMiddleware for a 404 or 403 no
selector logged) costs one statement when the path names nothing, and still catches a refusal that no
selector logged."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from haven import factories
from haven.audit.models import AccessEvent
from haven.audit.services import refusal_record
from haven.core import operations
from haven.core.operations import run
from haven.core.testing import sign_in
from haven.people import services as people_services
from haven.people.schemas import MergeIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(make_user: Any, make_episode: Any) -> dict[str, Any]:
    """A missing episode on a restricted case, with an enquiry, and an officer of another team."""
    reporter = make_user("handler", roles=("call_handler",), team="IMU")
    supervisor = make_user("sarge", roles=("supervisor",), team="IMU")
    episode = make_episode(reporter)
    factories.assessment(assessor=supervisor, episode=episode, grade="medium")
    enquiry = run(
        operations.get("missing.enquiry_raise"),  # by name: the missing app sits above the s62 log
        actor=supervisor,
        target=episode,
        data={"type": "cctv", "description": "CCTV at the station"},
    )
    case = episode.case
    case.sensitivity = "restricted"
    case.save(update_fields=["sensitivity"])
    outsider = make_user("outsider", roles=("investigator",), team="SOUTH")
    client = Client()
    sign_in(client, outsider)
    return {"episode": episode, "enquiry": enquiry, "case": case, "outsider": outsider, "client": client}


def _denials(user: Any) -> list[Any]:
    return list(AccessEvent.objects.filter(actor=user, outcome="denied").order_by("id"))


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/missing/enquiries/{enquiry}/result/", "enquiry"),
        ("/missing/enquiries/{enquiry}/allocate/", "enquiry"),
        ("/missing/{episode}/", "episode"),
        ("/missing/{episode}/briefing.pdf", "episode"),
    ],
    ids=["enquiry-result", "enquiry-allocate", "episode", "briefing"],
)
def test_dp01_a_refused_read_logs_exactly_one_denial_its_selector_wrote(
    hidden: dict[str, Any], url: str, key: str
) -> None:
    path = url.format(enquiry=hidden["enquiry"].public_id, episode=hidden["episode"].public_id)

    response = hidden["client"].get(path)

    assert response.status_code == 404
    [denied] = _denials(hidden["outsider"])
    assert denied.case_ids == [hidden["case"].public_id]
    assert denied.person_ids == [hidden["case"].subject.public_id]
    assert "records" not in denied.detail, "written by the selector, not by the net"
    assert denied.detail[key] == str(hidden[key].public_id)


def test_dp01_a_refused_merge_logs_its_own_denial_naming_both_people(make_user: Any, make_person: Any) -> None:
    analyst = make_user("analyst", roles=("analyst",), team="INTEL")
    first, second = make_person("Amy", "Stone"), make_person("Amy", "Stone")
    merge = people_services.person_merge(
        actor=analyst, survivor=first, data=MergeIn(merged=second.public_id, reason="The same child")
    )
    first.is_restricted = True  # the survivor is restricted: another analyst may not see the merge
    first.save(update_fields=["is_restricted"])
    other = make_user("analyst2", roles=("analyst",), team="INTEL")
    client = Client()
    sign_in(client, other)

    assert client.get(f"/people/merges/{merge.public_id}/").status_code == 404

    [denied] = _denials(other)
    assert set(denied.person_ids) == {first.public_id, second.public_id}
    assert denied.detail == {"kind": "merge", "merge": str(merge.public_id)}


def test_the_net_costs_one_statement_when_the_path_names_no_record(make_user: Any, django_assert_num_queries: Any):
    user = make_user("pc")
    with django_assert_num_queries(1):
        assert refusal_record(actor=user, path=f"/cases/{uuid.uuid4()}/notes/{uuid.uuid4()}/") is None
    assert not AccessEvent.objects.exists()


def test_a_404_for_a_record_that_is_not_there_costs_a_bounded_number_of_statements(
    make_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    user = make_user("pc")
    sign_in(client, user)
    client.get("/")  # the session and its first-request work, out of the count

    # The page's own dozen (session, user, permissions, the lookup, the header); the net used to add
    # one statement for each kind of record Haven has (78), and now adds one.
    with django_assert_max_num_queries(15) as queries:
        assert client.get(f"/missing/enquiries/{uuid.uuid4()}/result/").status_code == 404
    assert len([q for q in queries.captured_queries if "UNION ALL" in q["sql"]]) == 1
    assert not _denials(user)


def test_dp01_the_net_still_logs_a_refusal_no_selector_logged(hidden: dict[str, Any]) -> None:
    path = f"/somewhere/{hidden['enquiry'].public_id}/"

    denied = refusal_record(actor=hidden["outsider"], path=path)

    assert denied is not None
    assert denied.outcome == "denied"
    assert denied.case_ids == [hidden["case"].public_id]
    assert denied.person_ids == [hidden["case"].subject.public_id]
    assert denied.detail == {"path": path, "records": ["missing.Enquiry"]}
