"""Obligations follow the owner: when a case changes owner (an accepted handover, an allocation from a
team queue) its deadlines of the case owner's move to the new owner with their next escalation, the
team's follow the case's team, and named people's stay. The move is on the timeline and the new owner is
told once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven.cases import services as cases
from haven.cases.models import TimelineEntry
from haven.core import clock
from haven.deadlines import services
from haven.deadlines.choices import ResponsibleKind
from haven.deadlines.models import Deadline
from haven.deadlines.sweep import sweep
from haven.notifications.models import Notification


def _make(case, actor, key, *, minutes, **whose):
    return services.deadline_create(
        actor=actor,
        case=case,
        kind="tests.one_hour",
        what=f"Task {key}",
        due_at=clock.now() + timedelta(minutes=minutes),
        key=key,
        **whose,
    )


@pytest.fixture
def setup(ranks, make_case, make_user):
    """A case of the CATE officer with one deadline of each kind; a new owner in OCSET."""
    clock.freeze(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    officer = ranks["officer"]
    case = make_case(officer)
    new_owner = make_user("newowner", roles=("investigator",), rank="DC", team="OCSET")
    ocset_sergeant = make_user("ocsetsgt", roles=("supervisor",), rank="DS", team="OCSET")
    _make(case, officer, "owners-late", minutes=-20)  # nobody named: the case owner's
    _make(case, officer, "owners-later", minutes=120, responsible_user=officer)  # the owner named: the owner's
    _make(case, officer, "named", minutes=30, responsible_user=ranks["stranger"])
    _make(case, officer, "team", minutes=60, responsible_kind=ResponsibleKind.TEAM)
    return {"case": case, "new": new_owner, "ocset_sergeant": ocset_sergeant}


def _accept(case, actor, to_user):
    cases.case_handover(actor=actor, case=case, data=cases.HandoverIn(to_user=to_user.username, reason="OCSET lead"))
    cases.case_handover_acknowledge(actor=to_user, case=case)
    case.refresh_from_db()


def _whose(case):
    rows = Deadline.objects.filter(case=case).exclude(kind="cases.handover")
    return {
        key: (kind, user, team)
        for key, kind, user, team in rows.values_list(
            "key", "responsible_kind", "responsible_user__username", "responsible_team__code"
        )
    }


def test_deadline_create_says_whose_each_deadline_is(setup, ranks):
    assert _whose(setup["case"]) == {
        "owners-late": (ResponsibleKind.OWNER, "officer", "CATE"),
        "owners-later": (ResponsibleKind.OWNER, "officer", "CATE"),
        "named": (ResponsibleKind.NAMED, "stranger", "OTHER"),
        "team": (ResponsibleKind.TEAM, None, "CATE"),
    }


def test_deadline_create_refuses_an_owners_deadline_naming_someone_else(setup, ranks):
    with pytest.raises(ValueError, match="case owner"):
        _make(
            setup["case"],
            ranks["officer"],
            "x",
            minutes=5,
            responsible_user=ranks["stranger"],
            responsible_kind="owner",
        )


def test_handover_moves_the_owners_deadlines_the_teams_follow_and_named_ones_stay(setup, ranks):
    _accept(setup["case"], ranks["officer"], setup["new"])
    assert _whose(setup["case"]) == {
        "owners-late": (ResponsibleKind.OWNER, "newowner", "OCSET"),
        "owners-later": (ResponsibleKind.OWNER, "newowner", "OCSET"),
        "named": (ResponsibleKind.NAMED, "stranger", "OTHER"),
        "team": (ResponsibleKind.TEAM, None, "OCSET"),
    }


def test_m10_handover_acknowledgement_stays_named_to_the_person_asked(setup, ranks):
    cases.case_handover(
        actor=ranks["officer"], case=setup["case"], data=cases.HandoverIn(to_user="newowner", reason="OCSET lead")
    )
    deadline = Deadline.objects.get(case=setup["case"], kind="cases.handover")
    assert (deadline.responsible_kind, deadline.responsible_user) == (ResponsibleKind.NAMED, setup["new"])


def test_the_move_is_on_the_case_timeline(setup, ranks):
    _accept(setup["case"], ranks["officer"], setup["new"])
    texts = list(TimelineEntry.objects.filter(case=setup["case"]).values_list("text", flat=True))
    new = setup["new"].rank_and_name
    assert f"2 deadlines moved to {new}; 1 team deadline moved to Team OCSET." in texts


def test_the_new_owner_is_told_once_listing_the_overdue_ones_first(setup, ranks):
    _accept(setup["case"], ranks["officer"], setup["new"])
    told = Notification.objects.filter(recipient=setup["new"], deadline__isnull=True)
    assert told.count() == 1
    item = told.get()
    assert item.subject == f"2 deadlines on case {setup['case'].reference} moved to you, 1 overdue"
    assert item.severity == "urgent"
    lines = item.body.splitlines()
    assert lines[1].startswith("Task owners-late")
    assert "overdue by 20 min" in lines[1]
    assert lines[2].startswith("Task owners-later")
    assert setup["case"].subject.surname not in item.subject + item.body  # no names: it may be e-mailed


def test_the_next_escalation_reaches_the_new_owners_team_not_the_old(setup, ranks):
    """The sweep resolves who to tell when a step fires: a moved deadline's next step reaches the new team."""
    _accept(setup["case"], ranks["officer"], setup["new"])
    clock.travel(timedelta(minutes=1))
    sweep()
    late = Deadline.objects.get(case=setup["case"], key="owners-late")
    told = set(Notification.objects.filter(deadline=late).values_list("recipient__username", flat=True))
    assert told == {"ocsetsgt"}  # the supervisor step: the new owner's sergeant, not CATE's


def test_nothing_moves_and_nothing_is_said_when_the_owner_is_the_same(setup, ranks):
    from haven.cases import hooks

    case = setup["case"]
    hooks.on_owner_changed(case, previous_owner=ranks["officer"], actor=ranks["officer"])
    assert not TimelineEntry.objects.filter(case=case, text__contains="moved to").exists()
    assert not Notification.objects.filter(recipient=ranks["officer"], deadline__isnull=True).exists()


def test_met_deadlines_do_not_move(setup, ranks):
    services.deadline_meet(actor=ranks["officer"], case=setup["case"], key="owners-later", how="Done")
    _accept(setup["case"], ranks["officer"], setup["new"])
    assert Deadline.objects.get(case=setup["case"], key="owners-later").responsible_user == ranks["officer"]
