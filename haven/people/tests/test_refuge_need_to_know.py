"""DP-06: a refuge address has a need-to-know of its own, which nobody can give themselves (issue 16).

Opening a case, restricting a person or being in the team that owns a case is not enough; a case given
by someone else, membership named by someone else, the force's safeguarding roles, recording the address
and a logged break-the-glass are. Even then every read asks for a reason, which is logged; everyone else
sees "Address withheld (refuge)". A merge reveals nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from haven.accounts import services as account_services
from haven.accounts.schemas import TokenIn
from haven.audit.models import AccessEvent
from haven.cases import services as case_services
from haven.core.errors import Forbidden, NotFound
from haven.core.operations import get, run
from haven.core.testing import sign_in
from haven.people import selectors, services
from haven.people.models import Address
from haven.people.schemas import MergeIn, PersonBreakGlassIn, RefugeReadIn, RestrictionIn
from haven.people.selectors import can_see_refuge
from haven.people.tests import records
from haven.policy.models import PolicyOverride

REFUGE = "14 Hidden Lane"


def _token_client(user: Any) -> Any:
    from django.test import Client

    token = TokenIn.model_validate({"name": "test", "scopes": sorted(user.permissions)})
    _, raw = account_services.api_token_create(actor=user, data=token)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def recorder(make_user: Callable[..., Any]) -> Any:
    return make_user("recorder", roles=("investigator",), team="CATE")


@pytest.fixture
def child(recorder: Any, make_person: Callable[..., Any]) -> Any:
    person = make_person("Lily", "Marsh", date_of_birth=date(2013, 2, 2))
    records.add(recorder, person, "address", lines=REFUGE, kind="refuge")
    return person


def _hand_over(case: Any, *, to: Any) -> None:
    """``case``'s owner hands it to ``to``, who acknowledges it: ownership given by someone else."""
    case_services.case_handover(
        actor=case.owner, case=case, data=case_services.HandoverIn(to_user=to.username, reason="Taking over")
    )
    case_services.case_handover_acknowledge(actor=to, case=case)


@pytest.mark.django_db
def test_dp06_opening_a_case_about_a_person_gives_no_sight_of_their_refuge_address(
    child: Any, make_user: Callable[..., Any]
) -> None:
    officer = make_user("nosy", roles=("investigator",), team="OTHER")
    client = _token_client(officer)
    opened = client.post("/api/v1/cases", {"subject": str(child.public_id)}, content_type="application/json")
    assert opened.status_code == 201
    assert REFUGE not in client.get(f"/api/v1/people/{child.public_id}").content.decode()
    refused = client.post(
        f"/api/v1/people/{child.public_id}/refuge-addresses", {"reason": "Curious"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert REFUGE not in refused.content.decode()
    assert not can_see_refuge(officer, child)


@pytest.mark.django_db
def test_dp06_a_case_given_by_someone_else_gives_sight_and_the_team_does_not(
    child: Any, make_user: Callable[..., Any], make_case: Callable[..., Any]
) -> None:
    opener = make_user("opener", roles=("investigator",), team="CATE2")
    allocated = make_user("allocated", roles=("investigator",), team="CATE2")
    teammate = make_user("teammate", roles=("investigator",), team="CATE2")
    case = make_case(opener, subject=child)
    assert not can_see_refuge(opener, child), "opened a case about a child already in a refuge"
    _hand_over(case, to=allocated)
    assert can_see_refuge(allocated, child)
    assert not can_see_refuge(teammate, child), "the team owning the case is not need-to-know"
    assert not can_see_refuge(opener, child)


@pytest.mark.django_db
def test_dp06_own_case_counts_for_a_refuge_address_recorded_after_it(
    make_user: Callable[..., Any], make_person: Callable[..., Any], make_case: Callable[..., Any], clock: Any
) -> None:
    investigator = make_user("investigator", roles=("investigator",), team="CATE")
    social = make_user("social", roles=("investigator",), team="CATE")
    person = make_person("Rose", "Wren")
    make_case(investigator, subject=person)
    clock.travel(timedelta(minutes=5))
    records.add(social, person, "address", lines=REFUGE, kind="refuge")
    assert can_see_refuge(investigator, person)
    assert can_see_refuge(social, person), "whoever recorded it is its source"


@pytest.mark.django_db
def test_dp06_restricting_a_person_gives_the_restrictor_no_sight_but_the_members_they_name(
    child: Any, make_user: Callable[..., Any]
) -> None:
    sergeant = make_user("sergeant", roles=("supervisor",), team="OTHER")
    named = make_user("named", roles=("investigator",), team="OTHER")
    services.person_restriction_set(
        actor=sergeant,
        person=child,
        data=RestrictionIn(is_restricted=True, members=[named.username], reason="Refuge placement"),
    )
    assert not can_see_refuge(sergeant, child)
    assert can_see_refuge(named, child)


@pytest.mark.django_db
def test_dp06_the_safeguarding_roles_come_from_force_policy(child: Any, make_user: Callable[..., Any]) -> None:
    crsu = make_user("crsu", roles=("crsu_officer",), team="CRSU")
    assert can_see_refuge(crsu, child)
    PolicyOverride.objects.create(key="people.refuge_roles", value=[], changed_by=crsu)
    assert not can_see_refuge(crsu, child)


@pytest.mark.django_db
def test_dp06_person_page_withholds_the_refuge_address_until_a_reason_is_given_and_logged(
    child: Any, recorder: Any, make_user: Callable[..., Any], client: Any
) -> None:
    sign_in(client, recorder)
    page = client.get(reverse("people:detail", args=[child.public_id])).content.decode()
    assert "Address withheld (refuge)" in page
    assert REFUGE not in page
    assert reverse("people:refuge", args=[child.public_id]) in page
    url = reverse("people:refuge", args=[child.public_id])
    assert REFUGE not in client.get(url).content.decode()
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 422
    assert "Enter why you need to see the refuge address now" in empty.content.decode()
    shown = client.post(url, {"reason": "Arranging a visit with the refuge"})
    assert shown.status_code == 200
    assert REFUGE in shown.content.decode()
    read = AccessEvent.objects.filter(actor=recorder, detail__kind="refuge_address").get()
    assert read.justification == "Arranging a visit with the refuge"
    assert read.detail["need_to_know"] == ["Recorded this refuge address."]


def test_dp06_the_change_form_withholds_the_refuge_address_it_changes(child: Any, recorder: Any, client: Any) -> None:
    # The recorder may change the address, but reading it still goes through the reasoned, logged page.
    address = Address.objects.get(person=child)
    sign_in(client, recorder)
    url = reverse("people:record-change", args=[child.public_id, "address", address.public_id])
    page = client.get(url).content.decode()
    assert REFUGE not in page
    assert "This is a refuge address, so it is not shown here" in page
    assert reverse("people:refuge", args=[child.public_id]) in page


@pytest.mark.django_db
def test_dp06_others_see_only_that_the_address_is_withheld(
    child: Any, make_user: Callable[..., Any], client: Any
) -> None:
    outsider = make_user("outsider", roles=("investigator",), team="OTHER")
    sign_in(client, outsider)
    page = client.get(reverse("people:detail", args=[child.public_id])).content.decode()
    assert "Address withheld (refuge)" in page
    assert reverse("people:refuge", args=[child.public_id]) not in page
    url = reverse("people:refuge", args=[child.public_id])
    asked = client.get(url).content.decode()
    assert 'data-testid="no-need-to-know"' in asked
    assert 'name="reason"' not in asked
    refused = client.post(url, {"reason": "Curious"})
    assert refused.status_code == 403
    assert REFUGE not in refused.content.decode()


@pytest.mark.django_db
def test_dp06_api_withholds_the_refuge_address_and_reads_it_with_a_reason(child: Any, recorder: Any) -> None:
    client = _token_client(recorder)
    person = client.get(f"/api/v1/people/{child.public_id}").json()
    (address,) = person["addresses"]
    assert address["withheld"] is True
    assert address["lines"] == ""
    assert person["refuge_need_to_know"] is True
    url = f"/api/v1/people/{child.public_id}/refuge-addresses"
    assert client.post(url, {}, content_type="application/json").status_code == 422
    read = client.post(url, {"reason": "Safety planning"}, content_type="application/json")
    assert read.status_code == 200
    assert read.json()["addresses"][0]["lines"] == REFUGE
    assert AccessEvent.objects.filter(actor=recorder, justification="Safety planning").exists()


@pytest.mark.django_db
def test_dp06_refuge_read_service_refuses_without_need_to_know(child: Any, make_user: Callable[..., Any]) -> None:
    outsider = make_user("outsider", roles=("investigator",), team="OTHER")
    with pytest.raises(Forbidden):
        services.refuge_addresses_read(actor=outsider, person=child, data=RefugeReadIn(reason="Please"))


@pytest.mark.django_db
def test_dp06_merging_a_refuge_person_into_another_reveals_nothing(
    child: Any, make_user: Callable[..., Any], make_person: Callable[..., Any], make_case: Callable[..., Any]
) -> None:
    analyst = make_user("analyst", roles=("analyst",), team="ANALYSIS")
    opener = make_user("opener", roles=("investigator",), team="CATE2")
    other_owner = make_user("other", roles=("investigator",), team="CATE2")
    child_owner = make_user("childowner", roles=("investigator",), team="CATE2")
    survivor = make_person("Lilly", "Marsh", date_of_birth=date(2013, 2, 2), duplicate_reason="Two records")
    _hand_over(make_case(opener, subject=survivor), to=other_owner)
    _hand_over(make_case(opener, subject=child), to=child_owner)
    assert can_see_refuge(child_owner, child)
    assert not can_see_refuge(other_owner, child)
    services.person_merge(actor=analyst, survivor=survivor, data=MergeIn(merged=child.public_id, reason="Same girl"))
    assert not can_see_refuge(other_owner, survivor), "the survivor's case officer never had need-to-know"
    assert can_see_refuge(child_owner, survivor), "the address keeps its own need-to-know"


@pytest.mark.django_db
def test_dp06_merge_keeps_either_side_s_restriction_and_members(
    make_user: Callable[..., Any], make_person: Callable[..., Any]
) -> None:
    analyst = make_user("analyst", roles=("analyst",), team="ANALYSIS")
    sergeant = make_user("sergeant", roles=("supervisor",), team="OTHER")
    make_user("member", roles=("investigator",), team="OTHER")
    hidden = make_person("Ivy", "Stone", actor=sergeant)
    services.person_restriction_set(
        actor=sergeant,
        person=hidden,
        data=RestrictionIn(is_restricted=True, members=["member", "analyst"], reason="Risk"),
    )
    survivor = make_person("Ivy", "Stones", duplicate_reason="Two records")
    services.person_merge(actor=analyst, survivor=survivor, data=MergeIn(merged=hidden.public_id, reason="Same"))
    survivor.refresh_from_db()
    assert survivor.is_restricted
    assert {"member", "analyst", "sergeant"} <= set(survivor.members.values_list("username", flat=True))
    outsider = make_user("outsider", roles=("investigator",), team="ELSE")
    with pytest.raises(NotFound):
        selectors.person_get(user=outsider, public_id=survivor.public_id)


@pytest.mark.django_db
def test_dp06_a_case_allocated_from_the_team_queue_gives_sight_and_its_opener_none(
    child: Any, make_user: Callable[..., Any], make_case: Callable[..., Any]
) -> None:
    reporter = make_user("handler", roles=("call_handler",), team="IMU")
    officer = make_user("pcjones", roles=("response_officer",), team="RESP-A")
    sergeant = make_user("sarge", roles=("supervisor",), team="RESP-A")
    case = make_case(reporter, subject=child)  # opened after the refuge address was recorded
    case_services.case_queue_put(actor=reporter, case=case)
    assert not can_see_refuge(officer, child)

    run(get("cases.case_allocate"), actor=sergeant, target=case, data={"to_user": "pcjones", "note": "Yours."})

    assert can_see_refuge(officer, child), "allocated by the duty sergeant: given by someone else"
    assert not can_see_refuge(reporter, child)
    assert not can_see_refuge(sergeant, child), "allocating gives the allocator nothing"


@pytest.mark.django_db
def test_dp06_breaking_the_glass_with_a_reason_gives_sight_for_an_hour(
    child: Any, make_user: Callable[..., Any], clock: Any
) -> None:
    sergeant = make_user("sergeant", roles=("supervisor",), team="OTHER")
    services.person_restriction_set(
        actor=sergeant, person=child, data=RestrictionIn(is_restricted=True, members=[], reason="Refuge placement")
    )
    inspector = make_user("duty", roles=("inspector",), team="CMD")
    assert not can_see_refuge(inspector, child)

    services.person_break_glass(actor=inspector, person=child, data=PersonBreakGlassIn(reason="Child at risk tonight"))

    assert [why for _, why in selectors.refuge_addresses(user=inspector, person=child)] == [
        "Broke the glass: Child at risk tonight"
    ]
    clock.travel(selectors.BREAK_GLASS_LASTS + timedelta(minutes=1))
    assert not can_see_refuge(inspector, child), "the glass gives sight for an hour, not for ever"


@pytest.mark.django_db
def test_dp06_members_a_merge_carries_over_see_only_their_own_side_s_refuge_address(
    make_user: Callable[..., Any], make_person: Callable[..., Any]
) -> None:
    social = make_user("social", roles=("investigator",), team="SOCIAL")
    sergeant = make_user("sergeant", roles=("supervisor",), team="OTHER")
    member = make_user("member", roles=("investigator",), team="OTHER")
    analyst = make_user("analyst", roles=("analyst",), team="ANALYSIS")
    hidden = make_person("Ivy", "Stone", actor=sergeant)
    records.add(social, hidden, "address", lines="1 Hidden Row", kind="refuge")
    services.person_restriction_set(
        actor=sergeant,
        person=hidden,
        data=RestrictionIn(is_restricted=True, members=["member", "analyst"], reason="Refuge placement"),
    )
    survivor = make_person("Ivy", "Stones", duplicate_reason="Two records")
    records.add(social, survivor, "address", lines="2 Survivor Row", kind="refuge")
    assert [a.lines for a, _ in selectors.refuge_addresses(user=member, person=hidden)] == ["1 Hidden Row"]

    services.person_merge(actor=analyst, survivor=survivor, data=MergeIn(merged=hidden.public_id, reason="Same"))

    assert survivor.members.filter(pk=member.pk).exists(), "the restriction's members are carried over"
    seen = selectors.refuge_addresses(user=member, person=survivor)
    assert [a.lines for a, _ in seen] == ["1 Hidden Row"], "the survivor's own refuge address stays hidden"


# --- The cost of deciding (person page, API): one set of reads a person, not one an address ---------


@pytest.fixture
def one_and_four(
    make_user: Callable[..., Any], make_person: Callable[..., Any], make_case: Callable[..., Any]
) -> dict[str, Any]:
    """A reader who owns (opened) one case about a person with one refuge address, and four about a
    person with four, all recorded by someone else after the cases were opened."""
    recorder = make_user("social", roles=("investigator",), team="SOCIAL")
    reader = make_user("reader", roles=("investigator",), team="CATE")
    one, four = make_person("Ada", "One"), make_person("Bea", "Four")
    make_case(reader, subject=one)
    for _ in range(4):
        make_case(reader, subject=four)
    records.add(recorder, one, "address", lines="1 Refuge Row", kind="refuge")
    for n in range(4):
        records.add(recorder, four, "address", lines=f"{n} Refuge Row", kind="refuge")
    return {"reader": reader, "one": one, "four": four}


@pytest.mark.django_db
def test_dp06_deciding_refuge_need_reads_the_same_for_four_addresses_and_cases_as_for_one(
    one_and_four: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    reader, one, four = one_and_four["reader"], one_and_four["one"], one_and_four["four"]
    reader.get_all_permissions()  # the reader's permissions, read once a request: out of the count
    with django_assert_max_num_queries(8) as small:
        assert [why for _, why in selectors.refuge_addresses(user=reader, person=one)] == [
            "Officer of an open case about the person since before the refuge address was recorded."
        ]
    with django_assert_max_num_queries(8) as large:
        assert len(selectors.refuge_addresses(user=reader, person=four)) == 4
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_dp06_the_person_page_s_refuge_check_reads_the_same_for_four_addresses_as_for_one(
    one_and_four: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    reader, one, four = one_and_four["reader"], one_and_four["one"], one_and_four["four"]
    reader.get_all_permissions()  # the reader's permissions, read once a request: out of the count
    with django_assert_max_num_queries(30) as small:
        assert selectors.person_profile(user=reader, public_id=one.public_id).refuge_need
    with django_assert_max_num_queries(30) as large:
        profile = selectors.person_profile(user=reader, public_id=four.public_id)
    assert profile.refuge_need
    assert len(profile.addresses) == 4
    assert len(large.captured_queries) == len(small.captured_queries)
