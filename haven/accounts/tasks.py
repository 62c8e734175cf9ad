"""Worker jobs for accounts: the e-mail its outbox owes. They call the outbox and hold no logic."""

from __future__ import annotations

from datetime import timedelta

from procrastinate.contrib.django import app

from haven.accounts.mail import outbox_send


@app.task(queue="default", name="accounts.email", pass_context=False)
def accounts_email(ids: list[int]) -> int:
    """Send the e-mails ``ids`` (queued with the write that owes them)."""
    return outbox_send(ids=ids)


@app.periodic(cron="* * * * *", periodic_id="accounts-outbox")
@app.task(queue="default", name="accounts.outbox", pass_context=False, queueing_lock="accounts.outbox")
def accounts_outbox(timestamp: int) -> int:
    """Every minute: send whatever is still owed a minute on (a lost job, a mail server that was down)."""
    return outbox_send(older_than=timedelta(minutes=1))
