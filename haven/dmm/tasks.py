"""Worker jobs for the DMM board: they call the trend's service and hold no logic of their own."""

from __future__ import annotations

from procrastinate.contrib.django import app

from haven.dmm.trend import settle_window


@app.periodic(cron="20 0 * * *", periodic_id="dmm-trend-settle")
@app.task(queue="default", name="dmm.trend_settle", pass_context=False, queueing_lock="dmm.trend_settle")
def trend_settle(timestamp: int) -> None:
    """Nightly at 00:20 UTC (after midnight in London, summer or winter): write the trend's figures for
    the day just ended, and again for the rest of the window, so records entered late count."""
    settle_window()
