"""The synthetic force's referrals: the CRSU with an officer signed off to share, a partner agency and
referrals waiting for the CRSU, made once through the services; raising and sharing work on them."""

from __future__ import annotations

import pytest

from haven.demo.synthetic.load import force_build
from haven.demo.synthetic.referrals import children, raise_referral, referrals_ensure
from haven.referrals import services
from haven.referrals.choices import Decision, LawfulBasis
from haven.referrals.models import ChildConcernReferral
from haven.referrals.schemas import DecideIn
from haven.workforce.choices import Activity, Answer
from haven.workforce.selectors import may

pytestmark = pytest.mark.django_db


def test_the_crsu_and_its_waiting_referrals_are_made_once() -> None:
    force_build(tier="t0", seed=3, parts=range(1), stream=None)

    crsu, waiting = referrals_ensure(3, 3)
    again, same = referrals_ensure(3, 3)

    assert [r.state for r in waiting] == ["submitted"] * 3
    assert all(r.case is not None and r.share_by is not None for r in waiting)
    assert [r.pk for r in same] == [r.pk for r in waiting]
    assert ChildConcernReferral.objects.count() == 3
    assert (again.officer, again.agency, again.raiser) == (crsu.officer, crsu.agency, crsu.raiser)
    assert may(crsu.officer, Activity.CRSU_SHARE_INFORMATION).answer == Answer.ALONE


def test_a_referral_is_raised_and_shared_on_the_synthetic_force() -> None:
    force_build(tier="t0", seed=3, parts=range(1), stream=None)
    crsu, _ = referrals_ensure(3, 1)

    referral = raise_referral(crsu.raiser, children(5)[-1])
    decision = services.referral_decide(
        actor=crsu.officer,
        referral=referral,
        data=DecideIn(
            decision=Decision.SHARE,
            lawful_basis=LawfulBasis.SAFEGUARDING,
            reason="The children are at risk of neglect.",
            agency=str(crsu.agency.public_id),
        ),
    )

    referral.refresh_from_db()
    assert referral.state == "shared"
    assert not decision.needs_approval
