"""The demo police protection: a child at hour 60 with notifications missing, one ended; idempotent."""

from __future__ import annotations

import pytest

from haven.protection import selectors
from haven.protection.demo import seed_protection
from haven.protection.models import PoliceProtection

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_child_at_hour_60_with_notifications_missing_and_one_ended_once():
    from haven.accounts.models import User
    from haven.demo.seed import seed_demo

    seed_demo()

    inspector = User.objects.get(username="inspector")
    (open_,) = selectors.open_protections(user=inspector)
    assert open_.hours_left() in (11, 12)
    assert selectors.missing(open_)
    ended = PoliceProtection.objects.get(ended_at__isnull=False)
    assert ended.ended_at is not None
    assert ended.ended_at <= ended.expires_at
    assert ended.outcome == "la_accommodated"
    assert seed_protection() == 0
