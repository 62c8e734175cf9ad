"""M-11 at the Case: a missing case cannot close until its episode allows it (registered in ready())."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.cases.models import Case


def episode_close_check(case: Case) -> list[str]:
    """M-11: refuse to close a missing case whose child is not found or has no prevention interview
    (or a supervisor's waiver)."""
    from haven.missing import rules
    from haven.missing.models import Episode

    episode = Episode.objects.filter(case=case).first()
    if episode is None:
        return []
    return rules.close_blockers(episode)
