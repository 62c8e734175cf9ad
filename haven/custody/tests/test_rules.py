"""Each rule of children in custody (C-01..C-11), by id, through the writes; every time limit on the
controllable clock, including a detention across the end of British Summer Time."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.core import clock as haven_clock
from haven.core.errors import Conflict, Forbidden, ValidationFailed
from haven.core.operations import run
from haven.custody import operations, rules
from haven.custody.choices import DetentionState
from haven.custody.models import Certificate, Detention, Interview
from haven.custody.tests.conftest import booking
from haven.deadlines.choices import LIVE_STATES, DeadlineState
from haven.deadlines.models import Deadline

pytestmark = pytest.mark.django_db

# The sweep is the deadline engine's own worker; a test runs it as the worker does (by name: import-linter).
sweep = importlib.import_module("haven.deadlines.sweep").sweep


def _iso(value: datetime) -> str:
    return value.isoformat()


def _live(detention: Detention, key: str) -> Deadline | None:
    return Deadline.objects.filter(case=detention.case, key=key, state__in=LIVE_STATES).first()


# --- C-01 ----------------------------------------------------------------------------------------------


def test_c01_juvenile_by_date_of_birth(book: Any) -> None:
    detention = book()
    assert detention.juvenile is True
    assert detention.age_basis == "date_of_birth"


def test_c01_appears_under_18_without_a_date_of_birth(book: Any, make_child: Any) -> None:
    unknown = make_child("Sam", "Doe", age=None)
    detention = book(about=unknown, appears_under_18=True)
    assert detention.juvenile is True
    assert detention.age_basis == "appears"


def test_c01_an_adult_or_clear_evidence_of_age_is_not_recorded_as_a_child(book: Any, make_child: Any) -> None:
    adult = make_child("Lee", "Ross", age=19)
    with pytest.raises(ValidationFailed) as refused:
        book(about=adult)
    assert "appears_under_18" in refused.value.fields
    unknown = make_child("Sam", "Doe", age=None)
    with pytest.raises(ValidationFailed):
        book(about=unknown, appears_under_18=True, clear_evidence_over_18=True, custody_reference="NS-2")
    assert not Detention.objects.exists()
    assert rules.juvenile(
        date_of_birth=None, appears_under_18=True, clear_evidence_over_18=False, at=datetime.now(UTC)
    )[0]


# --- C-02 ----------------------------------------------------------------------------------------------


def test_c02_the_appropriate_adult_request_time_is_required(book: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        book(aa_requested_at=None)
    assert "aa_requested_at" in refused.value.fields
    assert not Detention.objects.exists()


@pytest.mark.parametrize("occupation", ["police_officer", "police_employee", "police_volunteer", "detention_staff"])
def test_c02_who_may_never_be_the_appropriate_adult(book: Any, staff: Any, occupation: str) -> None:
    detention = book()
    data = {"aa_type": "other", "aa_name": "Pat Lane", "aa_occupation": occupation}
    with pytest.raises(ValidationFailed) as refused:
        run(operations.aa_record, actor=staff["officer"], target=detention, data=data)
    assert "aa_occupation" in refused.value.fields
    detention.refresh_from_db()
    assert detention.aa_name == ""


def test_c02_a_solicitor_or_someone_connected_is_warned_of(book: Any, staff: Any) -> None:
    detention = book()
    data = {"aa_type": "other", "aa_name": "Jo Vine", "aa_occupation": "solicitor", "aa_connected": True}
    done = run(operations.aa_record, actor=staff["officer"], target=detention, data=data)
    assert "solicitor" in done.aa_warning
    assert "witness" in done.aa_warning
    parent = run(
        operations.aa_record,
        actor=staff["officer"],
        target=detention,
        data={"aa_type": "parent", "aa_name": "Dana Morgan"},
    )
    assert parent.aa_warning == ""


# --- C-03 ----------------------------------------------------------------------------------------------


def test_c03_an_interview_needs_the_appropriate_adult_or_an_urgent_authority(book: Any, staff: Any, clock: Any) -> None:
    detention = book()
    clock.travel(timedelta(hours=1))
    started = _iso(haven_clock.now())
    with pytest.raises(ValidationFailed) as refused:
        run(operations.interview_record, actor=staff["officer"], target=detention, data={"started_at": started})
    assert "aa_present" in refused.value.fields
    # An inspector is not enough: urgent interviews are a superintendent's (Code C 11.1).
    urgent = {"started_at": started, "urgent_authorised_by": "custodyinsp", "urgent_reason": "Risk to life"}
    with pytest.raises(ValidationFailed) as rank:
        run(operations.interview_record, actor=staff["officer"], target=detention, data=urgent)
    assert "urgent_authorised_by" in rank.value.fields
    assert not Interview.objects.exists()
    run(
        operations.interview_record,
        actor=staff["officer"],
        target=detention,
        data={**urgent, "urgent_authorised_by": "custodysupt"},
    )
    run(
        operations.interview_record,
        actor=staff["officer"],
        target=detention,
        data={"started_at": started, "aa_present": True},
    )
    assert Interview.objects.count() == 2


# --- C-04 ----------------------------------------------------------------------------------------------


def test_c04_first_review_by_6_hours_then_every_9(book: Any, staff: Any, clock: Any) -> None:
    detention = book()
    assert detention.next_review_due == detention.authorised_at + timedelta(hours=6)
    review = _live(detention, "custody:review")
    alert = _live(detention, "custody:review-alert")
    assert review is not None
    assert review.due_at == detention.next_review_due
    assert alert is not None
    assert alert.due_at == detention.next_review_due - timedelta(minutes=30)
    clock.travel(timedelta(hours=5, minutes=40))
    done_at = haven_clock.now()
    run(
        operations.review_record,
        actor=staff["inspector"],
        target=detention,
        data={"done_at": _iso(done_at), "continued": True, "aa_present": True},
    )
    detention.refresh_from_db()
    assert detention.next_review_due == done_at + timedelta(hours=9)
    review.refresh_from_db()
    assert review.state == DeadlineState.MET
    nxt = _live(detention, "custody:review")
    assert nxt is not None
    assert nxt.due_at == done_at + timedelta(hours=9)


def test_c04_the_alert_before_a_review_follows_force_policy(book: Any, make_user: Any) -> None:
    from haven.custody import policy
    from haven.policy.schemas import PolicySetIn
    from haven.policy.services import policy_set

    admin = make_user("admin1", roles=("administrator",))
    policy_set(actor=admin, setting=policy.REVIEW_ALERT_BEFORE, data=PolicySetIn(value=60, reason="Force decision"))
    detention = book()
    alert = _live(detention, "custody:review-alert")
    assert alert is not None
    assert alert.due_at == detention.next_review_due - timedelta(hours=1)


def test_c04_an_overdue_review_escalates_to_the_duty_inspector(book: Any, clock: Any) -> None:
    detention = book()
    clock.travel(timedelta(hours=6, minutes=20))
    sweep()
    review = _live(detention, "custody:review")
    assert review is not None
    assert review.state == DeadlineState.BREACHED
    fired = {e.notify for e in review.escalations.filter(fired_at__isnull=False)}
    assert {"responsible", "duty_inspector"} <= fired


def test_c04_reviews_are_an_inspectors(book: Any, staff: Any) -> None:
    detention = book()
    with pytest.raises(Forbidden):
        run(
            operations.review_record,
            actor=staff["officer"],
            target=detention,
            data={"done_at": _iso(haven_clock.now()), "continued": True, "aa_present": True},
        )
    assert not detention.reviews.exists()


# --- C-05 ----------------------------------------------------------------------------------------------


def _review(detention: Any, staff: Any, clock: Any, after: timedelta) -> None:
    clock.travel(after)
    run(
        operations.review_record,
        actor=staff["inspector"],
        target=detention,
        data={"done_at": _iso(haven_clock.now()), "continued": True, "aa_present": True},
    )


def test_c05_limit_24_hours_and_extension_only_after_the_second_review(book: Any, staff: Any, clock: Any) -> None:
    detention = book()
    assert detention.limit_at == detention.relevant_time + timedelta(hours=24)
    until = {"kind": "superintendent", "until": _iso(detention.relevant_time + timedelta(hours=36))}
    _review(detention, staff, clock, timedelta(hours=5))
    with pytest.raises(ValidationFailed) as early:
        run(operations.extension_record, actor=staff["superintendent"], target=detention, data=until)
    assert "second review" in early.value.message
    _review(detention, staff, clock, timedelta(hours=8))
    with pytest.raises(Forbidden):  # an inspector cannot extend
        run(operations.extension_record, actor=staff["inspector"], target=detention, data=until)
    too_long = {**until, "until": _iso(detention.relevant_time + timedelta(hours=37))}
    with pytest.raises(ValidationFailed):
        run(operations.extension_record, actor=staff["superintendent"], target=detention, data=too_long)
    run(operations.extension_record, actor=staff["superintendent"], target=detention, data=until)
    detention.refresh_from_db()
    assert detention.limit_at == detention.relevant_time + timedelta(hours=36)
    assert _live(detention, "custody:limit").due_at == detention.limit_at  # type: ignore[union-attr]


def test_c05_detention_does_not_continue_past_its_limit(book: Any, staff: Any, clock: Any) -> None:
    detention = book()
    clock.travel(timedelta(hours=25))
    with pytest.raises(ValidationFailed) as refused:
        run(
            operations.review_record,
            actor=staff["inspector"],
            target=detention,
            data={"done_at": _iso(haven_clock.now()), "continued": True, "aa_present": True},
        )
    assert "continued" in refused.value.fields
    limit = _live(detention, "custody:limit")
    assert limit is not None
    assert limit.due_at < clock.now()  # the limit's deadline is overdue: the duty inspector is alerted
    assert not detention.reviews.exists()


def test_c05_beyond_36_hours_only_by_warrant_and_never_beyond_96(book: Any, staff: Any) -> None:
    detention = book()
    warrant = {"kind": "warrant", "until": _iso(detention.relevant_time + timedelta(hours=72))}
    with pytest.raises(ValidationFailed) as no_ref:
        run(operations.extension_record, actor=staff["inspector"], target=detention, data=warrant)
    assert "warrant_reference" in no_ref.value.fields
    beyond = {
        **warrant,
        "warrant_reference": "MC/2026/118",
        "until": _iso(detention.relevant_time + timedelta(hours=97)),
    }
    with pytest.raises(ValidationFailed):
        run(operations.extension_record, actor=staff["inspector"], target=detention, data=beyond)
    run(
        operations.extension_record,
        actor=staff["inspector"],
        target=detention,
        data={**beyond, "until": warrant["until"]},
    )
    detention.refresh_from_db()
    assert detention.limit_at == detention.relevant_time + timedelta(hours=72)


def test_c05_the_limit_counts_real_hours_across_the_end_of_british_summer_time(
    book: Any, staff: Any, clock: Any
) -> None:
    """Relevant time 00:30 BST on Sunday 25 October 2026 (the clocks go back at 02:00 BST): 24 real hours
    later is 23:30 GMT the same Sunday, not 00:30 on the Monday; the review 6 hours after authorisation
    at 05:30 BST-turned-GMT is 05:30 local minus the hour gained."""
    london = timezone.get_current_timezone()
    local = datetime(2026, 10, 25, 0, 30, tzinfo=london)  # BST
    assert local.utcoffset() == timedelta(hours=1)
    # In UTC: adding hours to a London time would add wall-clock hours, the very slip this test guards.
    relevant = local.astimezone(UTC)
    clock.freeze(relevant + timedelta(minutes=5))
    detention = book(
        arrested_at=_iso(relevant - timedelta(minutes=20)),
        relevant_time=_iso(relevant),
        authorised_at=_iso(relevant),
        aa_requested_at=_iso(relevant),
    )
    limit = timezone.localtime(detention.limit_at)
    assert (limit.day, limit.hour, limit.minute) == (25, 23, 30)
    assert limit.utcoffset() == timedelta(0)  # GMT by then
    review = timezone.localtime(detention.next_review_due)
    assert (review.hour, review.minute) == (5, 30)  # 00:30 BST + 6 real hours = 05:30 GMT
    deadline = _live(detention, "custody:limit")
    assert deadline is not None
    clock.freeze(relevant + timedelta(hours=23, minutes=59))
    assert deadline.due_at > clock.now()
    clock.freeze(relevant + timedelta(hours=24, minutes=1))
    assert deadline.due_at < clock.now()


# --- C-06 ----------------------------------------------------------------------------------------------


def test_c06_a_child_refused_bail_leaves_only_with_a_request_or_a_certificate(charged: Any, staff: Any) -> None:
    detention = charged()
    assert detention.state == DetentionState.CHARGED
    end = {"outcome": "court", "ended_at": _iso(haven_clock.now())}
    with pytest.raises(ValidationFailed) as refused:
        run(operations.detention_end, actor=staff["officer"], target=detention, data=end)
    assert "outcome" in refused.value.fields
    run(
        operations.la_request_record,
        actor=staff["officer"],
        target=detention,
        data={"la_requested_at": _iso(haven_clock.now()), "la_authority": "Northshire", "la_type": "non_secure"},
    )
    run(operations.detention_end, actor=staff["officer"], target=detention, data=end)
    detention.refresh_from_db()
    assert detention.state == DetentionState.COURT


def test_c06_the_transfer_clock_and_the_referral_start_at_charge(charged: Any, staff: Any) -> None:
    detention = charged()
    transfer = _live(detention, "custody:transfer")
    assert transfer is not None
    assert transfer.due_at == detention.charged_at + timedelta(hours=2)
    court = _live(detention, "custody:court")
    assert court is not None
    assert court.due_at == detention.court_at
    assert _live(detention, "referral:raise") is not None  # haven.referrals' referral_required
    assert _live(detention, "custody:review") is None  # the PACE review clock stops at charge
    run(
        operations.la_request_record,
        actor=staff["officer"],
        target=detention,
        data={"la_requested_at": _iso(haven_clock.now()), "la_authority": "Northshire", "la_type": "non_secure"},
    )
    transfer.refresh_from_db()
    assert transfer.state == DeadlineState.MET


def test_c06_no_request_two_hours_after_charge_escalates_to_the_duty_inspector(charged: Any, clock: Any) -> None:
    detention = charged()
    clock.travel(timedelta(hours=1, minutes=50))
    sweep()
    transfer = _live(detention, "custody:transfer")
    assert transfer is not None
    assert transfer.state == DeadlineState.OPEN
    clock.travel(timedelta(minutes=45))
    sweep()
    transfer.refresh_from_db()
    assert transfer.state == DeadlineState.BREACHED
    fired = {e.notify for e in transfer.escalations.filter(fired_at__isnull=False)}
    assert {"responsible", "duty_inspector"} <= fired


def _certificate(**changes: Any) -> dict[str, Any]:
    return {
        "reason": "impracticable",
        "circumstances": ["weather_or_roads"],
        "details": "Snow has closed the A66; the children's home is 40 miles away.",
        "monitoring_inspector": "custodyinsp",
        **changes,
    }


def test_c06_reason_a_needs_the_circumstances_specified(charged: Any, staff: Any) -> None:
    detention = charged()
    with pytest.raises(ValidationFailed) as refused:
        run(
            operations.certificate_record,
            actor=staff["officer"],
            target=detention,
            data=_certificate(circumstances=[], details=""),
        )
    assert {"circumstances", "details"} <= set(refused.value.fields)
    assert not Certificate.objects.exists()


def test_c06_reason_b_is_refused_under_12(charged: Any, staff: Any, make_child: Any) -> None:
    young = make_child("Alfie", "Ward", age=11)
    detention = charged(about=young)
    b = _certificate(
        reason="no_secure", circumstances=[], details="Serious violence; risk of serious injury to others."
    )
    with pytest.raises(ValidationFailed) as refused:
        run(operations.certificate_record, actor=staff["officer"], target=detention, data=b)
    assert "reason" in refused.value.fields
    older = charged(custody_reference="NS-0413-26")
    run(operations.certificate_record, actor=staff["officer"], target=older, data=b)
    assert Certificate.objects.get().reason == "no_secure"


# --- C-07 ----------------------------------------------------------------------------------------------


def test_c07_no_bed_alone_is_flagged_for_an_inspectors_review(charged: Any, staff: Any) -> None:
    detention = charged()
    no_bed = _certificate(circumstances=["no_bed"], details="The LA said it had no beds tonight.")
    run(operations.certificate_record, actor=staff["officer"], target=detention, data=no_bed)
    cert = Certificate.objects.get()
    assert cert.flagged is True
    assert _live(detention, "custody:certificate") is not None
    run(
        operations.certificate_review,
        actor=staff["inspector"],
        target=detention,
        data={"note": "Told the LA it must accept."},
    )
    cert.refresh_from_db()
    assert cert.flag_reviewed_at is not None
    assert _live(detention, "custody:certificate") is None


def test_c07_other_circumstances_with_no_bed_are_not_flagged(charged: Any, staff: Any) -> None:
    detention = charged()
    run(
        operations.certificate_record,
        actor=staff["officer"],
        target=detention,
        data=_certificate(circumstances=["no_bed", "weather_or_roads"]),
    )
    assert Certificate.objects.get().flagged is False


# --- C-08 ----------------------------------------------------------------------------------------------


def test_c08_the_certificate_names_an_inspector_who_monitors_and_is_for_court(charged: Any, staff: Any) -> None:
    detention = charged()
    with pytest.raises(ValidationFailed) as sergeant:
        run(
            operations.certificate_record,
            actor=staff["officer"],
            target=detention,
            data=_certificate(monitoring_inspector="custodyps"),
        )
    assert "monitoring_inspector" in sergeant.value.fields
    with pytest.raises(ValidationFailed):
        run(
            operations.certificate_record,
            actor=staff["officer"],
            target=detention,
            data=_certificate(monitoring_inspector=""),
        )
    run(operations.certificate_record, actor=staff["officer"], target=detention, data=_certificate())
    cert = Certificate.objects.get()
    assert cert.monitoring_inspector == staff["inspector"]
    assert cert.for_court is True
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=cert.pk).update(for_court=False)


# --- C-09 ----------------------------------------------------------------------------------------------


def test_c09_secure_without_the_serious_harm_rationale_is_warned(charged: Any, staff: Any) -> None:
    detention = charged()
    request = {"la_requested_at": _iso(haven_clock.now()), "la_authority": "Northshire", "la_type": "secure"}
    done = run(operations.la_request_record, actor=staff["officer"], target=detention, data=request)
    assert done.la_warning == rules.SECURE_WARNING
    other = charged(custody_reference="NS-0414-26")
    justified = run(
        operations.la_request_record,
        actor=staff["officer"],
        target=other,
        data={
            **request,
            "la_requested_at": _iso(haven_clock.now()),
            "serious_harm_rationale": "Stabbed a stranger; threatened to kill a witness.",
        },
    )
    assert justified.la_warning == ""


# --- C-10 (the DMM section and the Concordat report have their own tests) ---------------------------------


# --- C-11 ----------------------------------------------------------------------------------------------


def test_c11_a_child_never_shares_a_cell_with_an_adult(book: Any, staff: Any) -> None:
    detention = book()
    with pytest.raises(ValidationFailed) as refused:
        run(
            operations.cell_record,
            actor=staff["officer"],
            target=detention,
            data={"cell": "C4", "cell_occupants": "adult"},
        )
    assert "cell_occupants" in refused.value.fields
    with pytest.raises(IntegrityError), transaction.atomic():
        Detention.objects.filter(pk=detention.pk).update(cell="C4", cell_occupants="adult")
    run(
        operations.cell_record,
        actor=staff["officer"],
        target=detention,
        data={"cell": "Juvenile room 1", "cell_occupants": "alone"},
    )


# --- The workforce gate and the record's state ------------------------------------------------------------


def test_only_a_qualified_custody_officer_books_a_child_in(book: Any, staff: Any) -> None:
    with pytest.raises(Forbidden):
        book(by=staff["untrained"])
    assert not Detention.objects.exists()


def test_the_same_custody_record_is_not_booked_twice(book: Any, staff: Any, make_child: Any) -> None:
    book()
    with pytest.raises(Conflict):
        book(about=make_child("Other", "Child", age=14))
    assert Detention.objects.count() == 1


def test_booking_is_refused_whole_with_a_time_in_the_future(staff: Any, child: Any) -> None:
    later = _iso(haven_clock.now() + timedelta(hours=2))
    with pytest.raises(ValidationFailed):
        run(operations.detention_record, actor=staff["officer"], data=booking(child, authorised_at=later))
    assert not Detention.objects.exists()
