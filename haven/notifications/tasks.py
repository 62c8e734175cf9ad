"""Worker jobs for notifications: e-mail owed by the outbox. They call services and hold no logic."""

from __future__ import annotations

from datetime import timedelta

from procrastinate.contrib.django import app

from haven.notifications.services import email_outbox_send


@app.task(queue="default", name="notifications.email", pass_context=False)
def notifications_email(ids: list[int]) -> int:
    """Send the e-mails of the notifications ``ids`` (queued by the sweep with the notifications)."""
    return email_outbox_send(ids=ids)


@app.periodic(cron="* * * * *", periodic_id="notifications-outbox")
@app.task(queue="default", name="notifications.outbox", pass_context=False, queueing_lock="notifications.outbox")
def notifications_outbox(timestamp: int) -> int:
    """Every minute: send whatever e-mail is still owed a minute after it was due (a lost job, a mail
    server that was down)."""
    return email_outbox_send(older_than=timedelta(minutes=1))
