"""The demo library: a required briefing in its second version (watched by the call handler, to be
watched again by the response officer), the CRSU's document read by its officer, and one item past its
review date; idempotent."""

from __future__ import annotations

import pytest

from haven.accounts.models import User
from haven.guidance import selectors
from haven.guidance.demo import MISSING, PROTECTION, SHARING, seed_guidance

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_library_once():
    from haven.demo.seed import seed_demo

    seed_demo()

    admin = User.objects.get(username="admin")
    items = {i.title: i for i in selectors.item_list(user=admin)}
    assert set(items) == {MISSING, SHARING, PROTECTION}
    missing = items[MISSING]
    assert missing.current is not None
    assert missing.current.number == 2
    assert selectors.read_current(user=User.objects.get(username="callhandler"), item=missing) is not None
    assert selectors.read_current(user=User.objects.get(username="response"), item=missing) is None
    assert selectors.read_current(user=User.objects.get(username="crsu"), item=items[SHARING]) is not None
    assert selectors.past_review(items[PROTECTION])
    assert seed_guidance() == 0
