"""The auditor's questions of the s62 log: about a person, a case or a user, between two dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from haven.audit.selectors import LogFilter

DATES = ["%d/%m/%Y", "%Y-%m-%d"]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class LogFilterForm(forms.Form):
    person = forms.UUIDField(
        required=False, label="Person", help_text="The person's Haven id, as shown on their record."
    )
    case = forms.UUIDField(required=False, label="Case", help_text="The case's Haven id.")
    user = forms.CharField(
        required=False, max_length=150, label="User", help_text="A username, to see what that user accessed."
    )
    since = forms.DateField(required=False, label="From", help_text="For example, 27/3/2026", input_formats=DATES)
    until = forms.DateField(
        required=False, label="To (inclusive)", help_text="For example, 28/3/2026", input_formats=DATES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("person", "case"):
            self.fields[name].error_messages["invalid"] = "Enter a Haven id, like 3f2b7c1e-…"
        for name in ("since", "until"):
            self.fields[name].error_messages["invalid"] = "Enter a real date, like 27/3/2026"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("person") or data.get("case") or (data.get("user") or "").strip()):
            raise forms.ValidationError("Enter a person, a case or a user.")
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be the same as or after the start date")
        return data

    def log_filter(self) -> LogFilter:
        data = self.cleaned_data
        return LogFilter(
            person=data.get("person"),
            case=data.get("case"),
            user=(data.get("user") or "").strip(),
            since=_start_of(data["since"]) if data.get("since") else None,
            until=_start_of(data["until"] + timedelta(days=1)) if data.get("until") else None,
        )


class SubjectAccessForm(forms.Form):
    person = forms.UUIDField(label="Person", help_text="The person's Haven id, as shown on their record.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].error_messages["invalid"] = "Enter a Haven id, like 3f2b7c1e-…"
        self.fields["person"].error_messages["required"] = "Enter the person's Haven id"
