"""person_need_to_know: the people app's refuge-address rule asks this."""

from __future__ import annotations

from haven.cases.models import Involvement
from haven.cases.selectors import person_need_to_know


def test_owner_and_team_have_need_to_know(make_user, make_case, make_person):
    owner = make_user(roles=("response_officer",), team="RESP")
    teammate = make_user(roles=("response_officer",), team="RESP")
    outsider = make_user(roles=("response_officer",), team="OTHER")
    call_handler = make_user(roles=("call_handler",), team="IMU")
    child = make_person()
    make_case(owner, subject=child)
    assert person_need_to_know(owner, child)
    assert person_need_to_know(teammate, child)
    assert not person_need_to_know(outsider, child)
    assert not person_need_to_know(call_handler, child), "force-wide viewing is not need-to-know"


def test_involved_people_and_restricted_members(make_user, make_case, make_person):
    owner = make_user(roles=("investigator",), team="CATE")
    member = make_user(roles=("investigator",), team="OTHER")
    teammate = make_user(roles=("investigator",), team="CATE")
    carer = make_person()
    case = make_case(owner, restricted=True, members=(member,))
    Involvement.objects.create(case=case, person=carer, role="carer")
    assert person_need_to_know(owner, carer)
    assert person_need_to_know(member, carer)
    assert not person_need_to_know(teammate, carer), "restricted: the team alone is not enough"
    assert not person_need_to_know(owner, make_person())
