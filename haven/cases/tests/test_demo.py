"""The demo cases: a few cases about existing people for the demo users, one handover pending, one case
closed and a named member on the restricted one."""

from __future__ import annotations

from haven.cases.demo import PLAN, seed_cases
from haven.cases.models import Case, Handover
from haven.demo.seed import seed_demo


def test_seed_cases_gives_demo_users_cases_and_is_idempotent(db):
    created = seed_demo()  # users, then the demo people, then their cases
    assert created["cases"] == len(PLAN)
    general = Case.objects.filter(kind="general")  # other apps' demos add cases of their own kinds
    assert general.filter(state="open").count() == len(PLAN) - 1
    assert general.filter(state="closed", owner__username="callhandler").count() == 1
    restricted = Case.objects.get(owner__username="investigator", sensitivity="restricted")
    assert list(restricted.members.values_list("username", flat=True)) == ["sergeant"]
    # The cases demo hands a general case to the investigator (the deadlines demo adds handovers of its own).
    awaiting = Handover.objects.filter(acknowledged_at=None, to_user__username="investigator", case__in=general)
    assert awaiting.exists()
    assert seed_cases() == 0
    assert general.count() == len(PLAN)
