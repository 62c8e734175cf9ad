"""Police protection's writes and rules, each rule by its id (PP-01..PP-09; PP-10 in test_pages), with the
controllable clock for every limit."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from haven.audit.models import AccessEvent
from haven.core import clock
from haven.core import operations as registered
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.core.operations import run
from haven.deadlines.models import Deadline
from haven.notifications.models import Notification as Alert
from haven.policy import registry
from haven.policy.schemas import PolicySetIn
from haven.policy.services import policy_set
from haven.protection import operations, policy, selectors
from haven.protection.models import PoliceProtection
from haven.protection.tests.conftest import record_all

pytestmark = pytest.mark.django_db

# The sweep is the deadline engine's own worker; a test runs it as the worker does (by name: import-linter).
sweep = importlib.import_module("haven.deadlines.sweep").sweep

START = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def _end(protection: Any, actor: Any, **changes: Any) -> Any:
    data = {
        "ended_at": clock.now().isoformat(),
        "outcome": "la_accommodated",
        "decision": "Accommodated by Northshire under section 20; no further need for police protection.",
        **changes,
    }
    return run(operations.protection_end, actor=actor, target=protection, data=data)


def _deadline(protection: Any, kind: str) -> Deadline:
    return Deadline.objects.get(case=protection.case, kind=kind)


# --- PP-01: 72 hours, absolute -----------------------------------------------------------------------


def test_pp01_expires_exactly_72_hours_after_the_start(start):
    clock.freeze(START)
    protection = start()
    assert protection.expires_at == START + timedelta(hours=72)
    assert protection.case.kind == "protection"


def test_pp01_police_protection_cannot_end_later_than_72_hours(start, force):
    clock.freeze(START)
    protection = start()
    record_all(protection, force)
    clock.freeze(START + timedelta(hours=73))
    with pytest.raises(ValidationFailed) as refused:
        _end(protection, force["designated"], ended_at=(START + timedelta(hours=72, minutes=1)).isoformat())
    assert "72 hours" in refused.value.fields["ended_at"][0]
    assert PoliceProtection.objects.get().ended_at is None
    _end(protection, force["designated"], ended_at=(START + timedelta(hours=72)).isoformat())
    assert PoliceProtection.objects.get().ended_at == START + timedelta(hours=72)


def test_pp01_the_database_refuses_an_end_after_72_hours(start, force):
    protection = start()
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliceProtection.objects.filter(pk=protection.pk).update(
            ended_at=protection.expires_at + timedelta(seconds=1),
            outcome="released",
            decision="Released",
            ended_by=force["designated"],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliceProtection.objects.filter(pk=protection.pk).update(expires_at=protection.expires_at + timedelta(hours=1))


def test_pp01_open_past_72_hours_is_a_critical_alert_to_the_superintendent(start, force):
    clock.freeze(START)
    protection = start()
    expiry = _deadline(protection, "protection.expiry")
    assert expiry.due_at == protection.expires_at
    clock.freeze(START + timedelta(hours=72, minutes=1))
    sweep()
    expiry.refresh_from_db()
    assert expiry.state == "breached"
    critical = Alert.objects.filter(deadline=expiry, severity="critical")
    assert {a.recipient.username for a in critical} >= {"ppsupt"}


def test_pp01_starting_more_than_72_hours_ago_is_refused(start):
    with pytest.raises(ValidationFailed) as refused:
        start(hours_ago=73)
    assert "started_at" in refused.value.fields
    assert not PoliceProtection.objects.exists()


# --- PP-02: escalations before expiry ------------------------------------------------------------------


def test_pp02_escalations_at_48_60_and_70_hours_by_default(start, force):
    clock.freeze(START)
    protection = start()
    escalation = _deadline(protection, "protection.escalation")
    offsets = sorted(step["offset_minutes"] for step in escalation.ladder)
    assert offsets == [-24 * 60, -12 * 60, -2 * 60]
    assert escalation.responsible_user == force["designated"]
    clock.freeze(START + timedelta(hours=47, minutes=59))
    sweep()
    assert not Alert.objects.filter(deadline=escalation).exists()
    clock.freeze(START + timedelta(hours=48, minutes=1))
    sweep()
    assert Alert.objects.filter(deadline=escalation, recipient=force["designated"]).exists()
    clock.freeze(START + timedelta(hours=70, minutes=1))
    sweep()
    assert Alert.objects.filter(deadline=escalation, recipient=force["superintendent"]).exists()


def test_pp02_the_escalation_points_are_force_policy(start, make_user):
    admin = make_user("ppadmin", roles=("administrator",), team="ADMIN")
    setting = registry.get("deadlines.ladder.protection.escalation")
    ladder = [{"offset_minutes": -36 * 60, "notify": "responsible", "severity": "warning"}]
    policy_set(actor=admin, setting=setting, data=PolicySetIn(value=ladder, reason="Force policy 2026"))
    protection = start()
    assert [s["offset_minutes"] for s in _deadline(protection, "protection.escalation").ladder] == [-36 * 60]


def test_pp02_a_new_designated_officer_takes_the_clock_without_restarting_it(start, force):
    clock.freeze(START)
    protection = start()
    clock.freeze(START + timedelta(hours=10))
    run(
        operations.designated_officer_appoint,
        actor=force["constable"],
        target=protection,
        data={"designated_officer": force["relief"].username},
    )
    live = Deadline.objects.get(case=protection.case, kind="protection.expiry", state="open")
    assert live.responsible_user == force["relief"]
    assert live.due_at == START + timedelta(hours=72)


# --- PP-03 / PP-04: the designated officer -------------------------------------------------------------


def test_pp03_the_designated_officer_is_never_the_initiating_officer(start, force):
    with pytest.raises(ValidationFailed) as refused:
        start(by=force["designated"], designated_officer=force["designated"].username)
    assert "different officer" in refused.value.fields["designated_officer"][0]
    assert not PoliceProtection.objects.exists()


def test_pp03_the_designated_officer_is_told_at_once_and_a_new_one_takes_the_inquiry(start, force):
    clock.freeze(START)
    protection = start()
    sweep()
    told = Alert.objects.filter(deadline__kind="protection.inquiry", recipient=force["designated"])
    assert told.exists()
    run(
        operations.designated_officer_appoint,
        actor=force["constable"],
        target=protection,
        data={"designated_officer": force["relief"].username},
    )
    sweep()
    assert Alert.objects.filter(deadline__kind="protection.inquiry", recipient=force["relief"]).exists()
    run(operations.inquiry_record, actor=force["relief"], target=protection, data={"summary": "Spoke to EDT."})
    assert Deadline.objects.get(case=protection.case, key="protection:inquiry", state="met")


def test_pp03_the_database_refuses_the_same_officer(start, force):
    protection = start()
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliceProtection.objects.filter(pk=protection.pk).update(designated_officer=force["constable"])


def test_pp03_the_designated_officer_must_be_set(start):
    with pytest.raises(ValidationFailed) as refused:
        start(designated_officer="")
    assert "designated_officer" in refused.value.fields


def test_pp04_below_the_minimum_rank_is_refused_in_words(start, force):
    with pytest.raises(ValidationFailed) as refused:
        start(designated_officer=force["sergeant"].username)
    assert "inspector rank or above" in refused.value.fields["designated_officer"][0]


def test_pp04_the_minimum_rank_is_force_policy(start, force, make_user):
    admin = make_user("ppadmin", roles=("administrator",), team="ADMIN")
    policy_set(actor=admin, setting=policy.DESIGNATED_MIN_RANK, data=PolicySetIn(value="SUPT", reason="Policy"))
    with pytest.raises(ValidationFailed):
        start()
    protection = start(designated_officer=force["superintendent"].username)
    assert protection.designated_officer == force["superintendent"]


def test_pp04_the_workforce_gate_refuses_an_untrained_inspector_with_the_reason(start, force):
    with pytest.raises(ValidationFailed) as refused:
        start(designated_officer=force["untrained"].username)
    message = refused.value.fields["designated_officer"][0]
    assert "cannot be the designated officer yet" in message
    assert "Designated officer" in message  # the qualification the gate names


# --- PP-05 / PP-06: notifications -------------------------------------------------------------------------


def test_pp05_the_notifications_deadline_alerts_while_any_is_incomplete(start, force):
    clock.freeze(START)
    protection = start()
    deadline = _deadline(protection, "protection.notifications")
    assert deadline.due_at == START + timedelta(hours=1)
    run(
        operations.notification_record,
        actor=force["constable"],
        target=protection,
        data={"item": "la_found", "at": START.isoformat(), "to_whom": "Northshire EDT"},
    )
    clock.freeze(START + timedelta(hours=1, minutes=1))
    sweep()
    deadline.refresh_from_db()
    assert deadline.state == "breached"
    assert Alert.objects.filter(deadline=deadline, recipient=force["constable"]).exists()
    assert selectors.missing(protection) == ["la_appropriate", "child_informed", "wishes", "inquiry", "parents"]


def test_pp05_the_deadline_is_met_when_every_item_is_recorded(start, force):
    protection = start()
    record_all(protection, force, parents=False)
    assert _deadline(protection, "protection.notifications").state == "met"


def test_pp05_each_notification_has_time_by_whom_and_to_whom(start, force):
    protection = start()
    with pytest.raises(ValidationFailed) as refused:
        run(
            operations.notification_record,
            actor=force["constable"],
            target=protection,
            data={"item": "la_found", "at": clock.now().isoformat()},
        )
    assert "to_whom" in refused.value.fields
    with pytest.raises(ValidationFailed):  # the local authority must be told: no "not done"
        run(
            operations.notification_record,
            actor=force["constable"],
            target=protection,
            data={"item": "la_found", "done": False, "reason": "Busy", "at": clock.now().isoformat()},
        )
    note = run(
        operations.notification_record,
        actor=force["constable"],
        target=protection,
        data={
            "item": "child_informed",
            "done": False,
            "reason": "Six years old: not able to understand",
            "at": clock.now().isoformat(),
        },
    )
    assert note.by == force["constable"]
    assert not note.done


def test_pp05_only_the_designated_officer_starts_the_inquiry(start, force):
    protection = start()
    with pytest.raises(Conflict):
        run(
            operations.notification_record,
            actor=force["constable"],
            target=protection,
            data={"item": "inquiry", "at": clock.now().isoformat(), "to_whom": "Inquiry"},
        )
    run(operations.inquiry_record, actor=force["designated"], target=protection, data={"summary": "Spoke to EDT."})
    assert "inquiry" not in selectors.missing(PoliceProtection.objects.get())


def test_pp06_cannot_end_without_the_parents_told_or_a_reason(start, force):
    protection = start()
    record_all(protection, force, parents=False)
    with pytest.raises(ValidationFailed) as refused:
        _end(protection, force["designated"])
    assert "parents" in refused.value.message
    run(
        operations.notification_record,
        actor=force["constable"],
        target=protection,
        data={"item": "parents", "at": clock.now().isoformat(), "to_whom": "Mother, by phone at the custody suite"},
    )
    assert _end(protection, force["designated"]).ended_at is not None


# --- PP-07: accommodation ------------------------------------------------------------------------------


def test_pp07_a_police_station_needs_exceptional_circumstances_and_alerts_the_supervisor(start, force):
    clock.freeze(START)
    protection = start()
    with pytest.raises(ValidationFailed) as refused:
        run(
            operations.accommodation_record,
            actor=force["constable"],
            target=protection,
            data={"accommodation": "police_station"},
        )
    assert "station_justification" in refused.value.fields
    run(
        operations.accommodation_record,
        actor=force["constable"],
        target=protection,
        data={
            "accommodation": "police_station",
            "station_justification": "No carer available until 06:00; child asleep in the family room.",
        },
    )
    sweep()
    station = _deadline(protection, "protection.station")
    assert Alert.objects.filter(deadline=station, recipient=force["sergeant"]).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliceProtection.objects.filter(pk=protection.pk).update(station_justification="")


def test_pp07_a_refuge_address_is_withheld_without_need_to_know(start, force, events):
    protection = start()
    run(
        operations.accommodation_record,
        actor=force["constable"],
        target=protection,
        data={"accommodation": "refuge", "address": "Safe House, 1 Hidden Lane"},
    )
    protection = selectors.protection_get(user=force["sergeant"], public_id=protection.public_id)
    assert selectors.address_shown(force["sergeant"], protection) == "Address withheld (refuge)"
    assert operations.protection_out(protection)["accommodation_address"] is None
    with pytest.raises(NotFound):
        selectors.refuge_address(user=force["sergeant"], protection=protection)
    assert selectors.refuge_address(user=force["designated"], protection=protection) == "Safe House, 1 Hidden Lane"
    reads = [e for e in events(case=protection.case) if e.detail.get("read") == "refuge address"]
    assert [e.outcome for e in reads] == ["denied", "allowed"]
    assert reads[1].justification


# --- PP-08: the end -----------------------------------------------------------------------------------------


def test_pp08_ending_needs_an_outcome_and_the_designated_officer_s_decision(start, force):
    protection = start()
    record_all(protection, force)
    with pytest.raises(ValidationFailed) as refused:
        _end(protection, force["designated"], decision="")
    assert "decision" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        _end(protection, force["designated"], outcome="other")
    assert "outcome_reason" in refused.value.fields
    with pytest.raises(Conflict):  # only the designated officer ends it
        _end(protection, force["relief"])
    ended = _end(protection, force["designated"])
    assert ended.outcome == "la_accommodated"
    assert ended.ended_by == force["designated"]
    assert all(d.state != "open" for d in Deadline.objects.filter(case=protection.case, kind__startswith="protection."))


def test_pp08_the_database_refuses_an_end_without_a_decision(start, force):
    protection = start()
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliceProtection.objects.filter(pk=protection.pk).update(
            ended_at=clock.now(), outcome="released", decision="", ended_by=force["designated"]
        )


def test_pp08_an_epo_granted_needs_the_application_recorded(start, force):
    protection = start(hours_ago=5)
    record_all(protection, force)
    with pytest.raises(ValidationFailed):
        _end(protection, force["designated"], outcome="epo_granted")
    epo = run(
        operations.epo_record,
        actor=force["designated"],
        target=protection,
        data={
            "applicant": "designated_officer",
            "court": "Northtown Family Court",
            "applied_at": (clock.now() - timedelta(hours=2)).isoformat(),
        },
    )
    assert PoliceProtection.objects.get().stage == "epo_applied"
    with pytest.raises(ValidationFailed):
        _end(protection, force["designated"], outcome="epo_granted")  # still waiting for the court
    decision = {"application": str(epo.public_id), "outcome": "granted"}
    with pytest.raises(ValidationFailed):  # not before the application
        run(
            operations.epo_decide,
            actor=force["designated"],
            target=protection,
            data={**decision, "decided_at": (clock.now() - timedelta(hours=3)).isoformat()},
        )
    run(
        operations.epo_decide,
        actor=force["designated"],
        target=protection,
        data={**decision, "decided_at": (clock.now() - timedelta(hours=1)).isoformat()},
    )
    with pytest.raises(Conflict):
        run(
            operations.epo_decide,
            actor=force["designated"],
            target=protection,
            data={**decision, "decided_at": clock.now().isoformat()},
        )
    assert _end(protection, force["designated"], outcome="epo_granted").outcome == "epo_granted"


# --- PP-09: strategy discussion --------------------------------------------------------------------------


def test_pp09_a_strategy_discussion_is_expected_within_force_policy_time(start, force):
    clock.freeze(START)
    protection = start()
    deadline = _deadline(protection, "protection.strategy")
    assert deadline.due_at == START + timedelta(hours=24)
    discussion = run(
        registered.get("referrals.strategy_record"),
        actor=force["designated"],
        data={
            "held_on": START.date().isoformat(),
            "attendees": "DS Kaur, SW Patel",
            "agencies": ["Police", "Children's services"],
            "outcome": "s47",
            "decision": "Section 47 enquiries; child to stay with foster carer.",
            "case": str(protection.case.public_id),
        },
    )
    run(
        operations.strategy_link,
        actor=force["designated"],
        target=protection,
        data={"discussion": str(discussion.public_id)},
    )
    deadline.refresh_from_db()
    assert deadline.state == "met"


# --- The referral, visibility, s62 -------------------------------------------------------------------------


def test_starting_police_protection_requires_a_child_concern_referral_within_an_hour(start):
    clock.freeze(START)
    protection = start()
    raise_ = _deadline(protection, "referrals.raise")
    assert raise_.due_at == START + timedelta(hours=1)


def test_a_stranger_cannot_see_it_and_the_attempt_is_logged(start, force, events):
    protection = start()
    with pytest.raises(NotFound):
        selectors.protection_get(user=force["stranger"], public_id=protection.public_id)
    assert any(e.outcome == "denied" for e in events(case=protection.case, actor=force["stranger"]))
    assert selectors.protection_get(user=force["designated"], public_id=protection.public_id)


def test_every_write_and_read_is_in_the_s62_log(start, force, events):
    protection = start()
    selectors.protection_get(user=force["designated"], public_id=protection.public_id)
    operations_seen = {e.operation for e in events(case=protection.case, person=protection.child)}
    assert {"collection", "consultation"} <= operations_seen
    assert AccessEvent.objects.filter(detail__step="started").exists()


def test_police_protection_is_for_a_child(start, make_person, force):
    adult = make_person("Dan", "Marsh", date_of_birth=clock.now().date().replace(year=clock.now().year - 30))
    with pytest.raises(ValidationFailed) as refused:
        start(about=adult)
    assert "not a child" in refused.value.fields["child"][0]


def test_pp01_the_72_hours_are_elapsed_hours_across_the_end_of_british_summer_time(start, force):
    # 23:00 BST on Friday 23 October 2026; the clocks go back at 02:00 BST on Sunday 25 October.
    clock.freeze(datetime(2026, 10, 23, 22, 0, tzinfo=UTC))
    protection = start()
    assert protection.expires_at == datetime(2026, 10, 26, 22, 0, tzinfo=UTC)  # 22:00 GMT on the Monday
    record_all(protection, force)
    clock.freeze(datetime(2026, 10, 26, 22, 30, tzinfo=UTC))
    with pytest.raises(ValidationFailed):  # 23:00 on the Monday, UK time, is 73 hours on
        _end(protection, force["designated"], ended_at="2026-10-26T23:00:00+00:00")
    assert _end(protection, force["designated"], ended_at="2026-10-26T22:00:00+00:00").ended_at == (
        protection.expires_at
    )
