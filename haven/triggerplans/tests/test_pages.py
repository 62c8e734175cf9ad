"""The trigger-plan pages: the child's plan, writing and revising with "add another" action rows,
reviews, read-only versions, and the DMM lists."""

from __future__ import annotations

from datetime import timedelta

import pytest

from haven.triggerplans.models import PlanVersion, TriggerPlan
from haven.triggerplans.selectors import today
from haven.ui.forms import GovukDateInput

pytestmark = pytest.mark.django_db


def _plan_post(review_date, rows, **extra):
    data = {
        "agencies": "Leeds children's social care\nSchool",
        "thresholds": "Missing overnight",
        **GovukDateInput.post_data("review_date", review_date, time=False),
        "action_count": str(len(rows)),
        **extra,
    }
    for n, row in enumerate(rows):
        for name in ("kind", "target", "person", "enquiry_type", "instructions"):
            data[f"actions-{n}-{name}"] = row.get(name, "")
    return data


def test_child_page_without_a_plan_offers_to_write_one(signed_in, make_child, events):
    client, user = signed_in(roles=("investigator",), team="MISS")
    child = make_child()
    response = client.get(f"/trigger-plans/child/{child.public_id}/")
    assert response.status_code == 200
    assert b"No trigger plan" in response.content
    assert f"/trigger-plans/child/{child.public_id}/new/".encode() in response.content
    assert events(person=child, actor=user, operation="consultation")


def test_add_another_action_keeps_what_was_typed_and_adds_a_row(signed_in, make_child):
    client, _ = signed_in(roles=("investigator",), team="MISS")
    child = make_child()
    url = f"/trigger-plans/child/{child.public_id}/new/"
    data = _plan_post(today() + timedelta(days=30), [{"kind": "address", "target": "14 Mill Lane"}], add_action="1")
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.content.count(b'data-testid="action-row"') == 2
    assert b'value="14 Mill Lane"' in response.content
    assert b"There is a problem" not in response.content
    assert not TriggerPlan.objects.exists()
    data.pop("add_action")
    removed = client.post(url, {**data, "action_count": "2", "remove_action": "0"})
    assert removed.content.count(b'data-testid="action-row"') == 1
    assert b'value="14 Mill Lane"' not in removed.content


def test_m15_information_only_plan_shows_the_error_summary_and_keeps_the_input(signed_in, make_child):
    client, _ = signed_in(roles=("investigator",), team="MISS")
    child = make_child()
    data = _plan_post(today() + timedelta(days=30), [{"kind": "other", "instructions": "Likes the park."}])
    response = client.post(f"/trigger-plans/child/{child.public_id}/new/", data)
    assert response.status_code == 422
    assert b"There is a problem" in response.content
    assert b"information only" in response.content
    assert b"Likes the park." in response.content
    assert not TriggerPlan.objects.exists()


def test_action_errors_link_to_their_row(signed_in, make_child):
    client, _ = signed_in(roles=("investigator",), team="MISS")
    child = make_child()
    data = _plan_post(today() + timedelta(days=30), [{"kind": "phone", "target": "07700 900123"}, {"kind": "address"}])
    response = client.post(f"/trigger-plans/child/{child.public_id}/new/", data)
    assert response.status_code == 422
    assert b'href="#id_actions-1-target"' in response.content
    assert b"Enter the address" in response.content


def test_write_revise_review_and_read_old_versions(signed_in, make_child):
    client, user = signed_in(roles=("investigator",), team="MISS")
    child = make_child()
    review = today() + timedelta(days=30)
    created = client.post(
        f"/trigger-plans/child/{child.public_id}/new/",
        _plan_post(review, [{"kind": "address", "target": "14 Mill Lane", "instructions": "Ask for Dean"}]),
    )
    assert created.status_code == 302
    plan = TriggerPlan.objects.get()
    page = client.get(f"/trigger-plans/child/{child.public_id}/")
    assert b"14 Mill Lane" in page.content
    assert b"Revise the plan" in page.content

    revise_url = f"/trigger-plans/{plan.public_id}/revise/"
    form = client.get(revise_url)
    assert b'value="14 Mill Lane"' in form.content
    revised = client.post(
        revise_url,
        _plan_post(
            review,
            [{"kind": "address", "target": "14 Mill Lane"}, {"kind": "social", "target": "Snapchat: kay_x"}],
            note="Snapchat account found by the RHI.",
            version="1",
        ),
    )
    assert revised.status_code == 302
    assert PlanVersion.objects.get(plan=plan, superseded_at__isnull=True).number == 2

    reviewed = client.post(
        f"/trigger-plans/{plan.public_id}/review/",
        {
            "version": "2",
            **GovukDateInput.post_data("review_date", review + timedelta(days=10), time=False),
            "note": "DMM: no change.",
        },
    )
    assert reviewed.status_code == 302
    old = client.get(f"/trigger-plans/{plan.public_id}/versions/1/")
    assert old.status_code == 200
    assert b'data-testid="superseded"' in old.content
    assert b"Snapchat" not in old.content
    assert client.get(f"/trigger-plans/{plan.public_id}/versions/9/").status_code == 404


def test_stale_revision_is_a_conflict_shown_on_the_form(signed_in, make_child, make_plan):
    client, user = signed_in(roles=("investigator",), team="MISS")
    child = make_child()
    plan = make_plan(user, child)
    response = client.post(
        f"/trigger-plans/{plan.public_id}/review/",
        {
            "version": "7",
            **GovukDateInput.post_data("review_date", today() + timedelta(days=5), time=False),
            "note": "x",
        },
    )
    assert response.status_code == 422
    assert b"Someone else changed this trigger plan" in response.content


def test_someone_without_need_to_know_cannot_see_or_change_the_plan(signed_in, make_user, make_child, make_plan):
    child = make_child()
    plan = make_plan(make_user(roles=("investigator",), team="MISS"), child)
    client, _ = signed_in(roles=("response_officer",), team="OTHER")
    page = client.get(f"/trigger-plans/child/{child.public_id}/")
    assert page.status_code == 200
    assert b"14 Mill Lane" not in page.content
    assert client.get(f"/trigger-plans/{plan.public_id}/revise/").status_code == 404
    assert client.get(f"/trigger-plans/{plan.public_id}/versions/1/").status_code == 404


def test_lists_page_shows_plans_past_review(signed_in, make_user, make_child, make_plan, clock):
    child = make_child(forenames="Lateplan")
    make_plan(make_user(roles=("investigator",), team="MISS"), child, review_date=today() + timedelta(days=1))
    clock.travel(timedelta(days=3))
    client, _ = signed_in(roles=("inspector",), team="IMU")
    response = client.get("/trigger-plans/")
    assert response.status_code == 200
    assert b'data-testid="past-review"' in response.content
    assert b"Lateplan" in response.content


def test_person_page_shows_the_plan_section(signed_in, make_user, make_child, make_plan):
    child = make_child(forenames="Sectioned")
    make_plan(make_user(roles=("investigator",), team="MISS"), child)
    client, _ = signed_in(roles=("supervisor",), team="RESP")
    response = client.get(f"/people/{child.public_id}/")
    assert response.status_code == 200
    assert b'id="trigger-plan"' in response.content
    assert b"See the trigger plan" in response.content


def test_an_actions_target_is_not_labelled_optional_since_most_kinds_need_one(signed_in, make_child):
    client, _ = signed_in(roles=("investigator",), team="MISS")
    page = client.get(f"/trigger-plans/child/{make_child().public_id}/new/")
    assert b"What it names (optional)" not in page.content
    assert b"What it names" in page.content
    assert b"Instructions (optional)" in page.content
