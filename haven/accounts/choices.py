"""Accounts' kinds, for other apps to name without spelling them: the duties of a shift."""

from __future__ import annotations

from django.db import models


class Duty(models.TextChoices):
    """The duty roles of a team's shift (who takes the team's queue and its escalations)."""

    DUTY_SERGEANT = "duty_sergeant", "Duty sergeant"
    DUTY_INSPECTOR = "duty_inspector", "Duty inspector"
    DUTY_OFFICER = "duty_officer", "Duty officer"  # of the intelligence or contact unit


class GrantState(models.TextChoices):
    """Where a role grant that needs a second administrator stands."""

    PENDING = "pending", "Waiting for a second administrator"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class MailKind(models.TextChoices):
    """The e-mails accounts sends its users (through Haven's outbox, haven.core.outbox): each is written
    when it is sent. The values are the outbox's kinds, named by the app like every registered kind."""

    PASSWORD_LINK = "accounts.password_link", "A link to choose a password"
    SIGN_IN_FAILED = "accounts.sign_in_failed", "A failed sign-in"
    SECOND_FACTOR_CHANGED = "accounts.second_factor_changed", "A second factor added or removed"
