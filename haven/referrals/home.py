"""On the home page of a colleague signed off for the CRSU's work: the decisions that wait for their
approval (a trainee's share or no-share, T-01), so a trainee's decision never waits unseen."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.referrals import selectors
from haven.workforce.choices import Activity, Answer
from haven.workforce.selectors import may


def approvals_section(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    if may(user, Activity.CRSU_SHARE_INFORMATION).answer != Answer.ALONE:
        return None
    referrals = selectors.awaiting_approval_by(user=user)
    if not referrals:
        return None
    return {"template": "referrals/home_approvals.html", "referrals": referrals}
