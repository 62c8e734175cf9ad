"""Accounts' kinds, for other apps to name without spelling them: the duties of a shift."""

from __future__ import annotations

from django.db import models


class Duty(models.TextChoices):
    """The duty roles of a team's shift (who takes the team's queue and its escalations)."""

    DUTY_SERGEANT = "duty_sergeant", "Duty sergeant"
    DUTY_INSPECTOR = "duty_inspector", "Duty inspector"
    DUTY_OFFICER = "duty_officer", "Duty officer"  # of the intelligence or contact unit
