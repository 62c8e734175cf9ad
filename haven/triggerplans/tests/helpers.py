"""Small helpers the trigger-plan tests share: writes go through the operations, as pages and the API do."""

from __future__ import annotations

from typing import Any

from haven.core.operations import run
from haven.triggerplans import operations

PHONE = {"kind": "phone", "target": "07700 900123"}


def review(writer: Any, plan: Any, **data: Any) -> Any:
    """Record a review without change of ``plan``'s current version (version 1 unless given)."""
    return run(operations.plan_review, actor=writer, target=plan, data={"version": 1, **data})
