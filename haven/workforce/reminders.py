"""T-02, the daily job's work: every refresher or mandatory module that runs out has its deadline
(``haven.workforce.deadlines``), which the deadline sweep escalates to the officer and their line
manager 30 days before and on the day. Run daily by the worker (``tasks.py``); idempotent, so a missed
or repeated run neither loses nor doubles a deadline.
"""

from __future__ import annotations

from haven.workforce.deadlines import refresher_deadlines_sync


def reminders_send() -> int:
    """Open the deadlines missing and close those whose record changed; return how many were opened."""
    opened, _ = refresher_deadlines_sync()
    return opened
