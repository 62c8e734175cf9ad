"""The demo partner agencies: Leeds and Bradford children's services each with a partner user, three
referrals shared (Leeds: one waiting, one answered), and the missing demo's found children's return
home interview requests in Leeds' portal; idempotent."""

from __future__ import annotations

import pytest

from haven.accounts.models import User
from haven.partners import selectors
from haven.partners.choices import ItemKind
from haven.partners.demo import seed_partners
from haven.partners.models import Agency, SharedItem

pytestmark = pytest.mark.django_db


def test_demo_seeds_agencies_users_and_what_was_shared_once() -> None:
    from haven.demo.seed import seed_demo

    seed_demo()

    assert Agency.objects.count() == 5
    leeds_user = User.objects.get(username="partner")
    bradford_user = User.objects.get(username="partnerbd")
    assert selectors.agency_of(leeds_user).name == "Leeds Children's Services"  # type: ignore[union-attr]
    assert selectors.agency_of(bradford_user).name == "Bradford Children's Services"  # type: ignore[union-attr]
    leeds = selectors.items_for_partner(user=leeds_user)
    # Only the partners demo's own referrals: the referrals demo shares more.
    referrals = [i for i in leeds if i.reference.startswith("DEMO-CCR")]
    assert sorted(i.reference for i in referrals) == ["DEMO-CCR-0001", "DEMO-CCR-0002"]
    assert [i.decision for i in referrals if i.decision] == ["early_help"]
    assert any(i.kind == ItemKind.RHI_REQUEST for i in leeds), "the missing demo's found children"
    bradford = selectors.items_for_partner(user=bradford_user)
    assert [i.reference for i in bradford if i.reference.startswith("DEMO-CCR")] == ["DEMO-CCR-0003"]
    count = SharedItem.objects.count()
    assert seed_partners() == 0
    assert SharedItem.objects.count() == count
