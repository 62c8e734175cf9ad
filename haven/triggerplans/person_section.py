"""The person page's "Trigger plan" section (registered in TriggerplansConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.core.permissions import Perm
from haven.triggerplans import selectors


def person_plan_context(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    """The child's plan status, repeat-missing flag and M-16 prompt; hidden from those who cannot see plans."""
    user: Any = request.user
    if not user.has_perm(Perm.MISSING_EPISODE_VIEW):
        return None
    plan = selectors.current_plan(user=user, child=person)
    return {
        "plan": plan,
        "status": selectors.plan_status(user=user, child=person),
        "flag": selectors.repeat_missing_flag(child=person),
        "exploitation_prompt": selectors.exploitation_review_prompt(child=person),
        "can_write": user.has_perm(Perm.MISSING_ENQUIRY_RECORD),
    }
