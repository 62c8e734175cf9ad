"""Worker jobs for the workforce: they call the reminders and hold no logic of their own."""

from __future__ import annotations

from procrastinate.contrib.django import app

from haven.workforce.reminders import reminders_send


@app.periodic(cron="5 6 * * *", periodic_id="workforce-reminders")
@app.task(queue="default", name="workforce.reminders", pass_context=False, queueing_lock="workforce.reminders")
def workforce_reminders(timestamp: int) -> int:
    """Daily at 06:05 UTC: every T-02 refresher deadline opened (once each, whenever the job runs); the
    deadline sweep tells the officer and their line manager when each step falls due."""
    return reminders_send()
