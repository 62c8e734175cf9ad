"""The demo custody suite: a child detained, a juvenile charged 5 hours ago with no transfer request, a
certificate citing only "no bed" (flagged), last month's transfer for the Concordat report; idempotent."""

from __future__ import annotations

import pytest

from haven.accounts.models import User
from haven.core import clock
from haven.custody import selectors
from haven.custody.demo import seed_custody
from haven.custody.models import Certificate

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_custody_suite_once() -> None:
    from haven.demo.seed import seed_demo

    seed_demo()
    inspector = User.objects.get(username="inspector")
    rows, total = selectors.in_custody(user=inspector, log=False)
    assert total == 3
    first = rows[0].detention
    assert first.state == "charged"
    assert first.la_requested_at is None
    assert first.charged_at is not None
    assert 4.9 <= (clock.now() - first.charged_at).total_seconds() / 3600 <= 5.1
    assert Certificate.objects.get().flagged is True
    assert sum(m.transferred for m in selectors.concordat_report(user=inspector, log=False).months) == 1
    assert seed_custody() == 0
