"""Worker jobs for the s62 log: they call the partition service and hold no logic of their own."""

from __future__ import annotations

from procrastinate.contrib.django import app

from haven.audit.partitions import partitions_ensure


@app.periodic(cron="17 3 * * *", periodic_id="audit-partitions")
@app.task(queue="default", name="audit.partitions_ensure", pass_context=False)
def audit_partitions_ensure(timestamp: int) -> None:
    """Daily at 03:17 UTC: make sure the next months' partitions of the s62 log exist."""
    partitions_ensure()
