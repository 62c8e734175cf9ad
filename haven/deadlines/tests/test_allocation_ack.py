"""M-10 for an allocation from a team queue: the officer the duty sergeant named is asked to acknowledge;
unacknowledged, the request climbs to their supervisor (then the duty inspector)."""

from __future__ import annotations

from datetime import timedelta

from haven.cases import services as case_services
from haven.cases.services import CaseAllocateIn
from haven.core import clock
from haven.deadlines.sweep import sweep
from haven.notifications.models import Notification


def test_m10_the_allocated_officer_is_asked_to_acknowledge_and_it_escalates_when_they_do_not(make_user, make_case):
    reporter = make_user("handler", roles=("call_handler",), team="IMU")
    officer = make_user("pcjones", roles=("response_officer",), team="RESP-A")
    sergeant = make_user("sarge", roles=("supervisor",), team="RESP-A")
    case = make_case(reporter)
    case_services.case_queue_put(actor=reporter, case=case)
    case_services.case_allocate(actor=sergeant, case=case, data=CaseAllocateIn(to_user="pcjones"))
    asked = Notification.objects.get(recipient=officer, requires_ack=True, case=case)
    assert "please acknowledge" in asked.subject
    with clock.moved(timedelta(hours=3)):
        sweep()
    assert Notification.objects.filter(recipient=sergeant, case=case, requires_ack=True).exists()


def test_m10_an_accepted_handover_asks_for_no_second_acknowledgement(make_user, make_case):
    old = make_user("old", roles=("response_officer",), team="RESP")
    new = make_user("new", roles=("response_officer",), team="RESP")
    case = make_case(old)
    case_services.case_handover(actor=old, case=case, data=case_services.HandoverIn(to_user="new", reason="Leave."))
    case_services.case_handover_acknowledge(actor=new, case=case)
    assert not Notification.objects.filter(recipient=new, case=case, subject__contains="allocated").exists()


def test_m10_an_allocation_nobody_acknowledges_reaches_the_duty_inspector(make_user, make_case):
    reporter = make_user("handler2", roles=("call_handler",), team="IMU")
    make_user("pcjones2", roles=("response_officer",), team="RESP-A")
    make_user("sarge2", roles=("supervisor",), team="RESP-A")
    inspector = make_user("duty_insp", roles=("inspector",), rank="INSP", team="RESP-A")
    case = make_case(reporter)
    case_services.case_queue_put(actor=reporter, case=case)
    case_services.case_allocate(actor=inspector, case=case, data=CaseAllocateIn(to_user="pcjones2"))
    for hours in (3, 6):  # the officer does not acknowledge; then neither does their sergeant
        with clock.moved(timedelta(hours=hours)):
            sweep()
    assert Notification.objects.filter(recipient=inspector, case=case, requires_ack=True).exists()
