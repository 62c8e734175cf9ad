"""The demo episodes: repeat missing children, children missing now (one with an overdue enquiry),
one found awaiting the prevention interview, one cancelled; seeding again adds nothing."""

from __future__ import annotations

from haven.demo.seed import seed_demo
from haven.missing.demo import seed_missing
from haven.missing.models import Enquiry, Episode


def test_seed_missing_gives_a_realistic_mix_and_is_idempotent(db):
    created = seed_demo()
    assert created["missing episodes"] == Episode.objects.count() == 16
    states = sorted(Episode.objects.values_list("state", flat=True))
    assert states.count("closed") == 11
    assert {"open", "reported", "found", "cancelled"} <= set(states)
    assert [e for e in Enquiry.objects.filter(status="allocated") if e.is_overdue]
    repeat = Episode.objects.values("child").order_by().distinct().count()
    assert repeat == 8
    assert Episode.objects.filter(exploitation_outcome="review_requested").exists()
    assert seed_missing() == 0
