"""The data-protection rules the s62 log enforces (domain.md §12.4, §13)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from haven.audit.choices import JustificationKind, Operation


def dp01_problems(
    *,
    operation: Operation,
    justification: str,
    justification_kind: JustificationKind | None,
    recipients: Sequence[dict[str, Any]],
) -> dict[str, list[str]]:
    """DP-01: disclosures name their recipients; DP-06: a stated reason or broken glass carries its reason.

    Returns field → problems; empty when the event may be recorded.
    """
    problems: dict[str, list[str]] = {}
    if operation == Operation.DISCLOSURE and not recipients:
        problems["recipients"] = ["A disclosure must name who received the data (DPA 2018 s62(3))."]
    if any(not isinstance(r, dict) or not r for r in recipients):
        problems.setdefault("recipients", []).append("Each recipient must be a non-empty mapping.")
    if justification_kind in (JustificationKind.STATED, JustificationKind.BREAK_GLASS) and not justification.strip():
        problems["justification"] = ["Give the reason for accessing this record."]
    return problems
