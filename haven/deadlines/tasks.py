"""Worker jobs for deadlines: they call the sweep and hold no logic of their own."""

from __future__ import annotations

from procrastinate.contrib.django import app

from haven.deadlines.sweep import sweep


@app.periodic(cron="* * * * * */10", periodic_id="deadline-sweep")
@app.task(queue="default", name="deadlines.sweep", pass_context=False, queueing_lock="deadlines.sweep")
def deadline_sweep(timestamp: int) -> dict[str, object]:
    """Every 10 seconds (so an escalation is at most seconds late): escalate everything due.

    The deadline table is the source of truth, so a missed or lost run only delays by one tick.
    """
    return sweep().as_detail()
