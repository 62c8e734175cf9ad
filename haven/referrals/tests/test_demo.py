"""The demo CRSU backlog: 30 referrals waiting, of mixed age and colour; one shared two days ago and not
acknowledged; a trainee's share waiting for approval; the response officer's draft; idempotent."""

from __future__ import annotations

import pytest

from haven.accounts.models import User
from haven.referrals import selectors
from haven.referrals.demo import seed_referrals
from haven.referrals.models import ChildConcernReferral

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_backlog_of_30_of_mixed_age_and_colour_once():
    from haven.demo.seed import seed_demo

    seed_demo()

    found = selectors.queue(user=User.objects.get(username="crsuds"))
    assert found.backlog == 30
    assert {row.referral.rag for row in found.rows} == {"red", "amber", "green", ""}
    assert max(row.waited for row in found.rows).days >= 8
    assert sum(row.awaiting_approval for row in found.rows) == 1
    assert ChildConcernReferral.objects.filter(state="shared").count() >= 2
    assert ChildConcernReferral.objects.filter(state="draft", raised_by__username="response").count() == 1
    assert max(count for _, count in found.trend) == 30
    assert seed_referrals() == 0
