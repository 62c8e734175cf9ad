"""Every refused read leaves its ``denied`` row in the s62 log (DP-01), even when the refusal rolls
back the transaction the row was written in, and even when the page's lookup logs nothing itself:
the briefing sheet and an enquiry's pages, asked for by an officer who may not see the episode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from haven.audit.models import AccessEvent
from haven.audit.services import denials_kept
from haven.cases.models import Case
from haven.cases.selectors import case_get
from haven.core.errors import NotFound
from haven.core.operations import get, run
from haven.core.testing import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(make_user: Callable[..., Any], make_episode: Callable[..., Any]) -> dict[str, Any]:
    """A restricted missing-child episode with an enquiry, and an inspector who is not a member."""
    supervisor = make_user("sarge_hidden", roles=("supervisor",), team="MISS")
    episode = make_episode(supervisor, grade="medium")
    enquiry = run(
        get("missing.enquiry_raise"),  # by name: the log's tests sit below the missing app
        actor=supervisor,
        target=episode,
        data={"type": "cctv", "description": "CCTV at the bus station", "priority": "urgent"},
    )
    Case.objects.filter(pk=episode.case.pk).update(sensitivity="restricted")
    outsider = make_user("insp_nosy", roles=("inspector",), team="CMD")
    return {"episode": episode, "enquiry": enquiry, "outsider": outsider}


def _denied(user: Any) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(actor=user, outcome="denied"))


def test_dp01_a_denied_row_written_in_a_transaction_that_rolls_back_is_kept(hidden: dict[str, Any]) -> None:
    outsider, case = hidden["outsider"], hidden["episode"].case
    with denials_kept():
        with pytest.raises(NotFound), transaction.atomic():
            case_get(user=outsider, public_id=case.public_id)  # writes the denied row, raises, rolls back
        assert not _denied(outsider)  # the row went with the transaction…
    (kept,) = _denied(outsider)  # …and is written again once the block ends
    assert kept.case_ids == [case.public_id]
    assert kept.detail["written_after_rollback"] is True


def test_a_denied_row_that_survived_is_not_written_twice(hidden: dict[str, Any]) -> None:
    outsider, case = hidden["outsider"], hidden["episode"].case
    with denials_kept(), pytest.raises(NotFound):
        case_get(user=outsider, public_id=case.public_id)
    assert len(_denied(outsider)) == 1


@pytest.mark.parametrize("page", ["/missing/{episode}/briefing.pdf", "/missing/enquiries/{enquiry}/result/"])
def test_dp01_the_briefing_sheet_and_the_enquiry_result_page_log_their_refusal(
    client: Client, hidden: dict[str, Any], page: str
) -> None:
    outsider, episode = hidden["outsider"], hidden["episode"]
    sign_in(client, outsider)
    url = page.format(episode=episode.public_id, enquiry=hidden["enquiry"].public_id)
    response = client.get(url)
    assert response.status_code == 404
    (denied,) = _denied(outsider)
    assert episode.case.public_id in denied.case_ids
    assert episode.child.public_id in denied.person_ids
    assert episode.child.surname.encode() not in response.content


def test_a_mistyped_id_is_not_logged_as_a_refusal(client: Client, hidden: dict[str, Any]) -> None:
    sign_in(client, hidden["outsider"])
    assert client.get("/missing/00000000-0000-4000-8000-000000000000/briefing.pdf").status_code == 404
    assert not _denied(hidden["outsider"])


def test_a_partner_who_is_shown_nothing_gets_404_for_every_record_and_each_attempt_is_logged(
    client: Client, hidden: dict[str, Any], make_user: Callable[..., Any], make_person: Callable[..., Any]
) -> None:
    """A compromised partner account: the role sees nothing unless it was shared, and every try is kept."""
    partner = make_user("partner_sc", roles=("partner",), team=None)
    sign_in(client, partner)
    episode = hidden["episode"]
    Case.objects.filter(pk=episode.case.pk).update(sensitivity="normal")  # not even restricted
    person = make_person("Percy", "Partnerless")
    urls = [
        f"/people/{person.public_id}/",
        f"/cases/{episode.case.public_id}/",
        f"/missing/{episode.public_id}/",
        f"/api/v1/people/{person.public_id}",
        f"/api/v1/cases/{episode.case.public_id}",
    ]
    statuses = [client.get(url).status_code for url in urls]
    assert all(status in (403, 404) for status in statuses), statuses
    assert len(_denied(partner)) == len(urls)
