"""Raising a child concern referral from a case: the case page offers it (registered in ready())."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from haven.cases.choices import CaseKind
from haven.core.permissions import Perm

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case


def raise_from_case(case: Case, user: User) -> tuple[str, str] | None:
    """("Raise a child concern referral", step 1 with the case's child offered) for a user who may raise
    one; None on a referral's own case (the referral is already there) or for anyone else."""
    if case.kind == CaseKind.REFERRAL or not user.has_perm(Perm.REFERRALS_REFERRAL_CREATE):
        return None
    return ("Raise a child concern referral", f"{reverse('referrals:new')}?case={case.public_id}")
