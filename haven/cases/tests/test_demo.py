"""The demo cases: a few open cases about existing people for the demo users, one handover pending."""

from __future__ import annotations

from haven.cases.demo import PLAN, seed_cases
from haven.cases.models import Case, Handover
from haven.demo.seed import seed_demo


def test_seed_cases_gives_demo_users_open_cases_and_is_idempotent(db):
    created = seed_demo()  # users, then the demo people, then their cases
    assert created["cases"] == len(PLAN)
    assert Case.objects.filter(state="open").count() == len(PLAN)
    assert Case.objects.filter(owner__username="investigator", sensitivity="restricted").exists()
    assert Handover.objects.filter(acknowledged_at=None, to_user__username="investigator").count() == 1
    assert seed_cases() == 0
    assert Case.objects.count() == len(PLAN)
