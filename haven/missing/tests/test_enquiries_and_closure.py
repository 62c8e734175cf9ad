"""Enquiry priority sets the due time (force policy); several enquiries in one go, all or none; closing
refused while an exploitation review (M-16) or the children's services notification (M-07) is
outstanding unless a supervisor says why; closing never ends the return home interview's tracking (M-12)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from haven.core import clock
from haven.core.errors import Conflict, ValidationFailed
from haven.core.testing import sign_in
from haven.deadlines.models import Deadline
from haven.missing import deadlines as dl
from haven.missing import operations
from haven.missing.choices import EpisodeState, Obligation, RhiStatus
from haven.missing.models import Enquiry, ReturnHomeInterview

pytestmark = pytest.mark.django_db


def _deadline(episode: Any, key: str) -> Any:
    return Deadline.objects.filter(case=episode.case, key=key).order_by("-id").first()


def _found(write: Any, actor: Any, episode: Any, **kw: Any) -> Any:
    values: dict[str, Any] = {
        "found_at": clock.now(),
        "found_where": "Leeds bus station",
        "found_where_code": "transport",
        "found_by": "PC Amir Shah",
        "condition": "Cold, no injuries",
        "rhi_authority": "Leeds City Council",
        "rhi_recipient": "missing.children@leeds.example",
        **kw,
    }
    return write(operations.episode_found, actor, episode, **values)


def _interviewed(write: Any, actor: Any, episode: Any) -> None:
    write(
        operations.prevention_interview_record,
        actor,
        episode,
        done_at=clock.now(),
        mode="in_person",
        why_went="Argument at the home.",
        what_happened="Stayed with older men in a flat.",
    )


def _close(write: Any, actor: Any, episode: Any, **kw: Any) -> Any:
    return write(operations.episode_close, actor, episode, reason_missing="friends", reason="Found safe.", **kw)


# --- Enquiry priority sets the due time (M-04 area) --------------------------------------------


@pytest.mark.parametrize(("priority", "hours"), [("immediate", 1), ("urgent", 4), ("routine", 24)])
def test_m04_enquiry_priority_sets_its_due_time(graded: Any, supervisor: Any, write: Any, priority: str, hours: int):
    episode = graded()
    now = clock.now()
    clock.freeze(now)
    enquiry = write(operations.enquiry_raise, supervisor, episode, type="cctv", description="CCTV", priority=priority)
    assert enquiry.due_at == now + timedelta(hours=hours)
    assert _deadline(episode, dl.enquiry_key(enquiry)).due_at == enquiry.due_at


def test_m04_a_due_time_given_wins_over_the_priority(graded: Any, supervisor: Any, write: Any):
    episode = graded()
    due = clock.now() + timedelta(hours=9)
    enquiry = write(
        operations.enquiry_raise, supervisor, episode, type="cctv", description="CCTV", priority="immediate", due_at=due
    )
    assert enquiry.due_at == due


def test_m04_enquiry_due_times_are_force_policy(graded: Any, supervisor: Any, write: Any, make_user: Any):
    from haven.policy import registry
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    admin = make_user("admin1", roles=("administrator",))
    setting = registry.get("missing.enquiry_due.immediate")
    policy_set(actor=admin, setting=setting, data=PolicySetIn(value=30, reason="Force decision 2026/15"))
    episode = graded()
    now = clock.now()
    clock.freeze(now)
    enquiry = write(operations.enquiry_raise, supervisor, episode, type="cctv", description="X", priority="immediate")
    assert enquiry.due_at == now + timedelta(minutes=30)


def test_enquiries_table_shows_priority_and_due_time(client: Any, graded: Any, supervisor: Any, write: Any):
    episode = graded()
    enquiry = write(operations.enquiry_raise, supervisor, episode, type="cctv", description="CCTV", priority="urgent")
    sign_in(client, supervisor)
    page = client.get(f"/missing/{episode.public_id}/").content.decode()
    assert 'data-testid="enquiry-priority"' in page
    assert "Urgent" in page
    from django.utils import timezone

    assert timezone.localtime(enquiry.due_at).strftime("%Y %H:%M") in page


# --- Several enquiries in one form ---------------------------------------------------------------


def test_several_enquiries_are_raised_at_once(graded: Any, supervisor: Any, officer: Any, write: Any):
    episode = graded()
    raised = write(
        operations.enquiries_raise,
        supervisor,
        episode,
        enquiries=[
            {"type": "cctv", "description": "Bus station CCTV", "priority": "immediate"},
            {"type": "address_check", "description": "4 Elm Road", "allocated_to": officer.username},
        ],
    )
    assert [(e.type, e.priority) for e in raised] == [("cctv", "immediate"), ("address_check", "routine")]
    assert raised[1].allocated_to == officer


def test_several_enquiries_all_or_none_on_a_bad_row(graded: Any, supervisor: Any, write: Any):
    episode = graded()
    with pytest.raises(ValidationFailed) as exc:
        write(
            operations.enquiries_raise,
            supervisor,
            episode,
            enquiries=[
                {"type": "cctv", "description": "Bus station CCTV"},
                {"type": "address_check", "description": "4 Elm Road", "allocated_to": "nobody-here"},
            ],
        )
    assert "enquiries.1.allocated_to" in exc.value.fields
    assert not Enquiry.objects.filter(episode=episode).exists()


def test_enquiry_page_raises_several_rows_or_shows_the_bad_one(client: Any, graded: Any, supervisor: Any):
    episode = graded()
    sign_in(client, supervisor)
    url = f"/missing/{episode.public_id}/enquiries/new/"
    rows = {
        "enquiry_count": "2",
        "enquiries-0-type": "cctv",
        "enquiries-0-description": "Bus station CCTV",
        "enquiries-0-priority": "urgent",
        "enquiries-1-type": "address_check",
        "enquiries-1-description": "",
        "enquiries-1-priority": "routine",
    }
    bad = client.post(url, rows)
    assert bad.status_code == 422
    assert "Enter what needs to be done" in bad.content.decode() or "what needs to be done" in bad.content.decode()
    assert not Enquiry.objects.filter(episode=episode).exists()
    good = client.post(url, {**rows, "enquiries-1-description": "4 Elm Road"})
    assert good.status_code == 302, good.content.decode()[:2000]
    assert Enquiry.objects.filter(episode=episode).count() == 2


def test_api_raises_a_list_of_enquiries(client: Any, graded: Any, supervisor: Any):
    episode = graded()
    sign_in(client, supervisor)
    answer = client.post(
        f"/api/v1/missing/episodes/{episode.public_id}/enquiries/batch",
        {"enquiries": [{"type": "cctv", "description": "A"}, {"type": "address_check", "description": "B"}]},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert len(answer.json()) == 2


# --- Closure: M-16, M-07, M-12 -----------------------------------------------------------------------


def test_m16_close_refused_while_the_exploitation_review_is_unrecorded(graded: Any, supervisor: Any, write: Any):
    episode = graded()
    _found(write, supervisor, episode, with_adults_of_concern=True)
    _interviewed(write, supervisor, episode)
    with pytest.raises(ValidationFailed) as exc:
        _close(write, supervisor, episode)
    assert any("exploitation review" in m for m in exc.value.fields["episode"])
    assert "override_reason" in exc.value.fields
    write(operations.exploitation_record, supervisor, episode, outcome="review_requested", note="Referred to CE team")
    assert _close(write, supervisor, episode).state == EpisodeState.CLOSED


def test_m16_supervisor_override_is_recorded_with_who_and_when(graded: Any, supervisor: Any, write: Any):
    episode = graded()
    _found(write, supervisor, episode, with_adults_of_concern=True)
    _interviewed(write, supervisor, episode)
    closed = _close(write, supervisor, episode, override_reason="CE team reviewing under their own referral.")
    closed.refresh_from_db()
    assert closed.state == EpisodeState.CLOSED
    assert closed.close_override_reason == "CE team reviewing under their own referral."
    assert closed.close_override_by == supervisor
    assert closed.close_override_at is not None


def test_m07_close_refused_while_childrens_services_are_not_told(graded: Any, supervisor: Any, write: Any):
    episode = graded("high")
    _found(write, supervisor, episode)
    _interviewed(write, supervisor, episode)
    with pytest.raises(ValidationFailed) as exc:
        _close(write, supervisor, episode)
    assert any("Children's services" in m for m in exc.value.fields["episode"])
    write(operations.obligation_record, supervisor, episode, obligation=Obligation.CHILDRENS_SERVICES.value)
    assert _close(write, supervisor, episode).state == EpisodeState.CLOSED


def test_close_page_asks_a_supervisor_why_only_when_something_is_outstanding(
    client: Any, graded: Any, supervisor: Any, write: Any
):
    episode = graded()
    _found(write, supervisor, episode)
    _interviewed(write, supervisor, episode)
    sign_in(client, supervisor)
    url = f"/missing/{episode.public_id}/close/"
    assert 'name="override_reason"' not in client.get(url).content.decode()
    episode.exploitation_prompt = "Consider an exploitation review: the child was found with adults of concern."
    episode.save(update_fields=["exploitation_prompt"])
    page = client.get(url).content.decode()
    assert 'name="override_reason"' in page
    assert "M-16" not in page
    assert "M-07" not in page


def test_m12_closing_keeps_the_rhi_deadline_live_and_the_rhi_recordable(graded: Any, supervisor: Any, write: Any):
    episode = graded()
    _found(write, supervisor, episode)
    _interviewed(write, supervisor, episode)
    _close(write, supervisor, episode)
    episode.case.refresh_from_db()
    assert episode.case.state == "closed"
    assert _deadline(episode, dl.rhi_key(episode)).state == "open"
    assert ReturnHomeInterview.objects.get(episode=episode).status == RhiStatus.REQUESTED
    write(operations.rhi_update, supervisor, episode, status="offered")
    write(operations.rhi_update, supervisor, episode, status="completed", interviewer="Leeds RHI worker")
    assert _deadline(episode, dl.rhi_key(episode)).state == "met"
    with pytest.raises(Conflict):
        write(operations.rhi_update, supervisor, episode, status="declined", reason="Changed mind")
