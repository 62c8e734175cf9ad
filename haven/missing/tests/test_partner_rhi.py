"""M-12 through the partner portal: a found child's return home interview request reaches the
responsible authority's children's services in their portal, and the outcome they send back is
recorded on the episode, meeting the RHI deadline (closing M-12's loop)."""

from __future__ import annotations

from typing import Any

import pytest

from haven.core import clock
from haven.core.operations import run
from haven.deadlines.models import Deadline, DeadlineState
from haven.missing import deadlines as dl
from haven.missing import operations
from haven.missing.choices import RhiStatus
from haven.missing.models import ReturnHomeInterview
from haven.partners import services as partners
from haven.partners.choices import AgencyKind, ItemKind
from haven.partners.models import Agency, Membership, SharedItem
from haven.partners.schemas import RhiOutcomeIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def leeds(make_user: Any) -> tuple[Agency, Any]:
    agency = Agency.objects.create(
        name="Leeds Children's Services",
        kind=AgencyKind.CHILDRENS_SERVICES,
        local_authority="Leeds City Council",
        notice_email="front.door@leeds.example",
    )
    worker = make_user("leeds_rhi", roles=("partner",), team=None, rank=None)
    Membership.objects.create(user=worker, agency=agency)
    return agency, worker


def _found(actor: Any, episode: Any, authority: str = "Leeds City Council") -> Any:
    return run(
        operations.episode_found,
        actor=actor,
        target=episode,
        data={
            "found_at": clock.now(),
            "found_where": "Leeds bus station",
            "found_where_code": "transport",
            "found_by": "PC Amir Shah",
            "condition": "Cold, no injuries",
            "rhi_authority": authority,
            "rhi_recipient": "missing.children@leeds.example",
        },
    )


def _rhi_deadline(episode: Any) -> Any:
    return Deadline.objects.get(case=episode.case, key=dl.rhi_key(episode))


def test_m12_rhi_request_reaches_the_portal_and_the_outcome_closes_the_loop(
    graded: Any, supervisor: Any, leeds: tuple[Agency, Any]
) -> None:
    agency, worker = leeds
    episode = graded()

    _found(supervisor, episode)

    item = SharedItem.objects.get(agency=agency, kind=ItemKind.RHI_REQUEST, reference=str(episode.public_id))
    assert episode.child.full_name in item.projection["child"]
    assert "Leeds bus station" in item.projection["found"]
    assert _rhi_deadline(episode).state == DeadlineState.OPEN

    partners.item_rhi_outcome(
        actor=worker,
        item=item,
        data=RhiOutcomeIn.model_validate(
            {"outcome": "completed", "interviewer": "J. Okafor (Catch22)", "findings": "Went to see friends in Hull."}
        ),
    )

    rhi = ReturnHomeInterview.objects.get(episode=episode)
    assert rhi.status == RhiStatus.COMPLETED
    assert rhi.interviewer == "J. Okafor (Catch22)"
    assert rhi.themes == "Went to see friends in Hull."
    deadline = _rhi_deadline(episode)
    assert deadline.state == DeadlineState.MET
    assert "Leeds Children's Services" in deadline.met_how


def test_m12_a_declined_interview_comes_back_with_its_reason(
    graded: Any, supervisor: Any, leeds: tuple[Agency, Any]
) -> None:
    agency, worker = leeds
    episode = graded()
    _found(supervisor, episode)
    item = SharedItem.objects.get(agency=agency, reference=str(episode.public_id))

    partners.item_rhi_outcome(
        actor=worker,
        item=item,
        data=RhiOutcomeIn.model_validate(
            {"outcome": "declined", "findings": "The child did not want to talk; offered again next week."}
        ),
    )

    rhi = ReturnHomeInterview.objects.get(episode=episode)
    assert rhi.status == RhiStatus.DECLINED
    assert rhi.reason.startswith("The child did not want to talk")
    assert _rhi_deadline(episode).state == DeadlineState.MET


def test_m12_an_offer_alone_keeps_the_rhi_deadline_open(
    graded: Any, supervisor: Any, leeds: tuple[Agency, Any]
) -> None:
    agency, worker = leeds
    episode = graded()
    _found(supervisor, episode)
    item = SharedItem.objects.get(agency=agency, reference=str(episode.public_id))

    partners.item_rhi_outcome(actor=worker, item=item, data=RhiOutcomeIn.model_validate({"outcome": "offered"}))

    assert ReturnHomeInterview.objects.get(episode=episode).status == RhiStatus.OFFERED
    assert _rhi_deadline(episode).state == DeadlineState.OPEN


def test_m12_an_authority_not_in_haven_gets_the_request_by_its_own_route_only(
    graded: Any, supervisor: Any, leeds: tuple[Agency, Any]
) -> None:
    episode = graded()

    _found(supervisor, episode, authority="Wakefield Council")

    assert not SharedItem.objects.filter(reference=str(episode.public_id)).exists()
    assert ReturnHomeInterview.objects.get(episode=episode).authority == "Wakefield Council"


def test_m12_an_outcome_the_officer_records_stops_the_portal_request_being_chased(
    graded: Any, supervisor: Any, leeds: tuple[Agency, Any]
) -> None:
    agency, _ = leeds
    episode = graded()
    _found(supervisor, episode)
    item = SharedItem.objects.get(agency=agency, kind=ItemKind.RHI_REQUEST, reference=str(episode.public_id))
    chase = Deadline.objects.get(case=episode.case, key=f"shared:{item.public_id}:acknowledge")
    assert chase.state == DeadlineState.OPEN

    # Leeds told the officer by phone; the portal request was never acknowledged.
    run(
        operations.rhi_update,
        actor=supervisor,
        target=episode,
        data={"status": "completed", "interviewer": "Leeds Horizon service", "themes": "Peer pressure."},
    )

    chase.refresh_from_db()
    assert chase.state == DeadlineState.CANCELLED
    assert _rhi_deadline(episode).state == DeadlineState.MET
