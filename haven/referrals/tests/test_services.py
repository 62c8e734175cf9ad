"""Child concern referrals through their writes: S-01..S-04, the gate (T-01), append-only, the queue."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, ProgrammingError, transaction

from haven.audit.models import AccessEvent
from haven.core import clock
from haven.core.errors import Conflict, NotFound, ValidationFailed
from haven.core.operations import run
from haven.deadlines.models import Deadline
from haven.notifications.models import Notification
from haven.policy.schemas import PolicySetIn
from haven.policy.services import policy_set
from haven.referrals import operations, policy, selectors, services
from haven.referrals.models import ChildConcernReferral, ReferralEntry, ShareDecision
from haven.referrals.tests.conftest import COMPLETE

pytestmark = pytest.mark.django_db

# The sweep is the deadline engine's own worker; a test runs it as the worker does (by name: import-linter).
sweep = importlib.import_module("haven.deadlines.sweep").sweep


# --- S-01: the voice of the child -------------------------------------------------------------------


def test_s01_a_referral_cannot_be_submitted_without_the_voice_of_the_child(raise_referral, officer):
    referral = raise_referral(submit=False, child_seen=None, child_spoken_to=None, child_words="", child_demeanour="")

    with pytest.raises(ValidationFailed) as refused:
        run(operations.referral_submit, actor=officer, target=referral, data={})

    assert set(refused.value.fields) == {"child_seen", "child_spoken_to"}
    referral.refresh_from_db()
    assert referral.state == "draft"


def test_s01_a_child_spoken_to_needs_their_words_and_one_seen_their_demeanour(raise_referral, officer):
    referral = raise_referral(submit=False, child_words="", child_demeanour="")

    with pytest.raises(ValidationFailed) as refused:
        run(operations.referral_submit, actor=officer, target=referral, data={})

    assert set(refused.value.fields) == {"child_words", "child_demeanour"}


def test_s01_a_child_not_seen_needs_the_reason_why(raise_referral, officer):
    referral = raise_referral(submit=False, child_seen=False, child_spoken_to=False, child_words="", child_demeanour="")
    with pytest.raises(ValidationFailed) as refused:
        run(operations.referral_submit, actor=officer, target=referral, data={})
    assert set(refused.value.fields) == {"child_not_seen_reason"}

    run(
        operations.referral_update,
        actor=officer,
        target=referral,
        data={
            **{k: getattr(referral, k) for k in ("categories", "narrative", "officer_grade", "immediate_actions")},
            "child_seen": False,
            "child_spoken_to": False,
            "child_not_seen_reason": "Asleep upstairs; the grandmother would not wake her at 2am.",
        },
    )
    run(operations.referral_submit, actor=officer, target=referral, data={})
    referral.refresh_from_db()
    assert referral.state == "submitted"


# --- Append-only once submitted ----------------------------------------------------------------------


def test_a_submitted_referral_cannot_be_changed_and_corrections_are_entries(raise_referral, officer):
    referral = raise_referral()

    with pytest.raises(Conflict):
        run(operations.referral_update, actor=officer, target=referral, data={"narrative": "Something else"})
    run(operations.referral_correct, actor=officer, target=referral, data={"text": "The address is 4 Elm Road."})

    referral.refresh_from_db()
    assert referral.narrative.startswith("Called to a domestic")
    assert [e.kind for e in referral.entries.all()] == ["submitted", "correction"]


def test_the_database_refuses_changes_to_a_submitted_referral_and_its_entries(raise_referral):
    referral = raise_referral()

    with pytest.raises(ProgrammingError), transaction.atomic():
        ChildConcernReferral.objects.filter(pk=referral.pk).update(narrative="Rewritten")
    with pytest.raises(ProgrammingError), transaction.atomic():
        ChildConcernReferral.objects.filter(pk=referral.pk).delete()
    with pytest.raises(ProgrammingError), transaction.atomic():
        ReferralEntry.objects.filter(referral=referral).update(text="Rewritten")
    # The CRSU's own fields still change (allocation, rating).
    ChildConcernReferral.objects.filter(pk=referral.pk).update(rag="red")


def test_a_draft_is_changed_only_by_its_officer_and_seen_by_nobody_else(raise_referral, make_user):
    referral = raise_referral(submit=False)
    colleague = make_user("colleague", roles=("response_officer",), team="RESP-A")
    sergeant = make_user("sgtx", roles=("supervisor",), team="RESP-A")

    for user in (colleague, sergeant):
        with pytest.raises(NotFound):
            selectors.referral_get(user=user, public_id=referral.public_id)
    with pytest.raises(NotFound):
        run(operations.referral_update, actor=colleague, target=referral, data={"narrative": "Mine now"})


def test_a_submitted_referral_is_seen_by_the_team_and_the_crsu_not_another_team(raise_referral, make_user, crsu):
    referral = raise_referral()
    colleague = make_user("colleague", roles=("response_officer",), team="RESP-A")
    stranger = make_user("stranger", roles=("investigator",), team="CATE")

    assert selectors.referral_get(user=colleague, public_id=referral.public_id) == referral
    assert selectors.referral_get(user=crsu["trainee"], public_id=referral.public_id) == referral
    with pytest.raises(NotFound):
        selectors.referral_get(user=stranger, public_id=referral.public_id)


def test_reading_a_referral_is_logged_naming_its_children_and_case(raise_referral, crsu, child):
    referral = raise_referral()

    selectors.referral_get(user=crsu["lead"], public_id=referral.public_id)

    event = AccessEvent.objects.filter(actor=crsu["lead"], operation="consultation").latest("id")
    assert child.public_id in event.person_ids
    assert referral.case.public_id in event.case_ids


# --- S-02: review and share deadlines ---------------------------------------------------------------


def test_s02_submitting_starts_the_review_and_share_deadlines_and_a_review_meets_its_own(raise_referral, crsu):
    referral = raise_referral()
    deadlines = {d.kind: d for d in Deadline.objects.filter(case=referral.case)}
    assert set(deadlines) == {"referrals.review", "referrals.share", "referrals.share_hard"}
    assert deadlines["referrals.review"].due_at == referral.submitted_at + timedelta(hours=24)
    assert deadlines["referrals.share_hard"].due_at == referral.submitted_at + timedelta(hours=24)
    team = deadlines["referrals.share"].responsible_team
    assert team is not None
    assert team.code == "CRSU"

    run(operations.referral_review, actor=crsu["sergeant"], target=referral, data={"note": "Complete; high is right."})

    review = Deadline.objects.get(case=referral.case, kind="referrals.review")
    assert review.state == "met"
    assert Deadline.objects.get(case=referral.case, kind="referrals.share").state == "open"


def test_s02_the_officer_cannot_review_their_own_referral(raise_referral, make_user):
    sergeant = make_user("raisingsgt", roles=("supervisor",), team="RESP-A")
    referral = raise_referral(by=sergeant)
    with pytest.raises(Conflict):
        run(operations.referral_review, actor=sergeant, target=referral, data={"note": "Fine"})


def test_s02_the_share_deadline_is_the_same_day_by_default_and_escalates_when_missed(raise_referral, crsu):
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))  # 10:00 in London
    referral = raise_referral()
    assert referral.share_by == datetime(2026, 6, 1, 23, 0, tzinfo=UTC)  # midnight, UK time

    clock.freeze(datetime(2026, 6, 1, 23, 1, tzinfo=UTC))
    sweep()
    late = Notification.objects.filter(deadline__kind="referrals.share")
    assert {n.recipient.username for n in late} >= {"crsuds"}

    clock.freeze(datetime(2026, 6, 2, 9, 1, tzinfo=UTC))  # 24 hours: the hard alert
    sweep()
    hard = Deadline.objects.get(case=referral.case, kind="referrals.share_hard")
    assert hard.state == "breached"
    assert Notification.objects.filter(deadline=hard, severity="critical").exists()


def test_s02_rating_red_moves_the_share_deadline_to_the_force_s_red_target(raise_referral, crsu, make_user):
    admin = make_user("admin", roles=("administrator",), team="ADMIN")
    data = PolicySetIn(value="hours_2", reason="Force policy 2026")
    policy_set(actor=admin, setting=policy.SHARE_TARGET_RED, data=data)
    referral = raise_referral()

    run(operations.referral_rate, actor=crsu["lead"], target=referral, data={"rag": "red", "reason": "Baby"})

    referral.refresh_from_db()
    assert referral.share_by == referral.submitted_at + timedelta(hours=2)
    assert Deadline.objects.get(case=referral.case, kind="referrals.share").due_at == referral.share_by


# --- S-04 and the gate ----------------------------------------------------------------------------------


def test_s04_a_decision_needs_its_lawful_basis_and_reason(raise_referral, crsu, share):
    referral = raise_referral()

    with pytest.raises(ValidationFailed) as refused:
        run(operations.referral_decide, actor=crsu["lead"], target=referral, data={"decision": "no_share"})
    assert set(refused.value.fields) == {"lawful_basis", "reason"}
    with pytest.raises(ValidationFailed) as refused:
        run(operations.referral_decide, actor=crsu["lead"], target=referral, data={**share, "agency": ""})
    assert set(refused.value.fields) == {"agency"}
    with pytest.raises(IntegrityError), transaction.atomic():
        ShareDecision.objects.create(
            referral=referral, decided_by=crsu["lead"], decision="no_share", lawful_basis="", reason=""
        )


def test_s04_a_no_share_decision_is_recorded_with_its_basis_and_closes_the_referral(raise_referral, crsu):
    referral = raise_referral()
    data = {"decision": "no_share", "lawful_basis": "not_necessary", "reason": "Already known; plan in place."}

    decision = run(operations.referral_decide, actor=crsu["lead"], target=referral, data=data)

    referral.refresh_from_db()
    assert (decision.lawful_basis, referral.state) == ("not_necessary", "not_shared")
    assert Deadline.objects.get(case=referral.case, kind="referrals.share").state == "met"


def test_a_signed_off_officer_shares_at_once_a_disclosure_naming_the_recipient(raise_referral, crsu, child, share):
    referral = raise_referral()

    run(operations.referral_decide, actor=crsu["lead"], target=referral, data=share)

    referral.refresh_from_db()
    assert referral.state == "shared"
    assert referral.shared_at is not None
    sent = referral.shares.get()
    assert any("Mum's friend" in line for line in sent.projection["voice_of_child"])
    assert "research" not in sent.projection
    assert sent.partner_reference
    disclosure = AccessEvent.objects.get(operation="disclosure")
    assert "Northshire children's services" in str(disclosure.recipients)
    assert child.public_id in disclosure.person_ids
    assert {d.state for d in Deadline.objects.filter(case=referral.case, kind__startswith="referrals.share")} == {"met"}


def test_a_trainee_s_share_waits_for_a_signed_off_colleague_s_approval(raise_referral, crsu, share):
    referral = raise_referral()

    run(operations.referral_decide, actor=crsu["trainee"], target=referral, data=share)

    referral.refresh_from_db()
    assert referral.state == "awaiting_approval"
    assert not referral.shares.exists()
    row = selectors.queue(user=crsu["sergeant"]).rows[0]
    assert row.referral == referral
    assert row.awaiting_approval
    with pytest.raises(Conflict):  # not by the trainee, nor by another trainee
        run(operations.decision_approve, actor=crsu["trainee"], target=referral, data={})

    run(operations.decision_approve, actor=crsu["sergeant"], target=referral, data={"note": "Agreed."})

    referral.refresh_from_db()
    assert referral.state == "shared"
    assert referral.shares.get().by == crsu["sergeant"]


def test_an_officer_the_gate_refuses_cannot_prepare_a_share(raise_referral, crsu, share):
    referral = raise_referral()
    with pytest.raises(Conflict, match="training record"):
        run(operations.referral_decide, actor=crsu["untrained"], target=referral, data=share)
    assert not ShareDecision.objects.exists()


def test_a_response_officer_may_not_decide_or_view_the_queue(raise_referral, officer, share):
    from haven.core.errors import Forbidden

    referral = raise_referral()
    with pytest.raises(Forbidden):
        run(operations.referral_decide, actor=officer, target=referral, data=share)
    with pytest.raises(NotFound):
        selectors.queue(user=officer)


# --- DP-06: research --------------------------------------------------------------------------------


def test_dp06_research_is_read_only_with_need_to_know_and_each_read_is_logged(raise_referral, crsu, make_user):
    referral = raise_referral()
    note = {"source": "Intelligence system", "text": "Mother's partner has two domestic abuse convictions."}
    run(operations.research_add, actor=crsu["lead"], target=referral, data=note)
    outside = make_user("respsgt", roles=("supervisor",), team="RESP-A")

    with pytest.raises(NotFound):
        selectors.research_notes(user=outside, referral=referral)
    notes = selectors.research_notes(user=crsu["trainee"], referral=referral)

    assert [n.text for n in notes] == [note["text"]]
    read = AccessEvent.objects.filter(actor=crsu["trainee"], detail__read="research notes").get()
    assert read.justification == "Works in the CRSU, which researches referrals."


# --- The queue ---------------------------------------------------------------------------------------


def test_the_queue_is_reddest_then_oldest_first_with_the_backlog_and_its_trend(raise_referral, crsu, make_child, share):
    # After the CRSU officers gained their qualification (the fixture records it 60 days before today).
    clock.freeze(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))
    oldest_green = raise_referral(about=make_child("A", "One"), officer_grade="standard")
    clock.freeze(datetime(2027, 1, 6, 9, 0, tzinfo=UTC))
    unrated_high = raise_referral(about=make_child("C", "Three"), officer_grade="high")  # as red, and older
    clock.freeze(datetime(2027, 1, 6, 9, 5, tzinfo=UTC))
    newer_red = raise_referral(about=make_child("B", "Two"), officer_grade="standard")
    run(operations.referral_rate, actor=crsu["lead"], target=newer_red, data={"rag": "red"})
    done = raise_referral(about=make_child("D", "Four"))
    run(operations.referral_decide, actor=crsu["lead"], target=done, data=share)
    clock.freeze(datetime(2027, 1, 6, 12, 0, tzinfo=UTC))

    found = selectors.queue(user=crsu["sergeant"])

    assert [row.referral for row in found.rows] == [unrated_high, newer_red, oldest_green]
    assert found.rows[2].waited == timedelta(days=1, hours=3)
    assert found.backlog == 3
    assert found.trend[-1] == (date(2027, 1, 6), 3)
    assert found.trend[-2] == (date(2027, 1, 5), 1)
    assert len(found.trend) == 30


def test_allocation_is_to_a_crsu_officer(raise_referral, crsu, officer):
    referral = raise_referral()
    with pytest.raises(ValidationFailed):
        run(operations.referral_allocate, actor=crsu["sergeant"], target=referral, data={"officer": officer.username})
    run(operations.referral_allocate, actor=crsu["sergeant"], target=referral, data={"officer": "crsutrainee"})
    referral.refresh_from_db()
    assert referral.allocated_to == crsu["trainee"]
    assert selectors.research_need(crsu["trainee"], referral) == "Allocated CRSU officer for the referral."


# --- S-03 ---------------------------------------------------------------------------------------------


def test_s03_a_conference_is_due_15_working_days_after_the_strategy_discussion(raise_referral, crsu):
    clock.freeze(datetime(2026, 6, 5, 12, 0, tzinfo=UTC))
    referral = raise_referral()
    data: dict[str, Any] = {
        "held_on": "2026-06-05",  # a Friday
        "attendees": "DS Hughes (police), A Social Worker (children's services), Health visitor",
        "agencies": ["Children's services", "Police", "Health"],
        "outcome": "s47",
        "decision": "Section 47 enquiries; joint visit tomorrow.",
        "icpc": True,
        "referrals": [str(referral.public_id)],
    }

    discussion = run(operations.strategy_record, actor=crsu["sergeant"], data=data)

    assert discussion.icpc_due == date(2026, 6, 26)
    assert list(discussion.referrals.all()) == [referral]
    assert referral.entries.filter(kind="strategy").exists()
    without = run(operations.strategy_record, actor=crsu["sergeant"], data={**data, "icpc": False, "referrals": []})
    assert without.icpc_due is None


# --- A referral another record requires (police protection, a child kept in custody after charge) ---


def test_a_referral_another_record_requires_is_the_case_owners_deadline_met_by_sending_one_from_the_case(
    officer, child, make_case
):
    case = make_case(officer, subject=child)
    due = clock.now() + timedelta(hours=2)
    services.referral_required(case=case, due=due, why="the child is in police protection")
    services.referral_required(case=case, due=due + timedelta(hours=5), why="asked twice")

    deadline = Deadline.objects.get(case=case, kind="referrals.raise")
    assert (deadline.responsible_user, deadline.due_at, deadline.state) == (officer, due, "open")
    assert "police protection" in deadline.what

    referral = run(
        operations.referral_start, actor=officer, data={"child": str(child.public_id), "case": str(case.public_id)}
    )
    run(operations.referral_update, actor=officer, target=referral, data=COMPLETE)
    assert Deadline.objects.get(pk=deadline.pk).state == "open"  # a draft is not a referral sent
    run(operations.referral_submit, actor=officer, target=referral, data={})

    deadline.refresh_from_db()
    assert deadline.state == "met"
    assert deadline.met_by == officer
    assert referral.reference in deadline.met_how
