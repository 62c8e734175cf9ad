"""The auditor's questions of the s62 log: about a person, a case or a user, between two dates, of one
kind of processing; and who a person is, found by name and date of birth."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from haven.audit.choices import Operation
from haven.audit.selectors import LogFilter
from haven.ui.forms import GovukDateField


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class LogFilterForm(forms.Form):
    person = forms.UUIDField(
        required=False,
        label="Person's Haven id",
        help_text="As shown on their record. Or find the person by name: see “Find a person”.",
    )
    case = forms.UUIDField(required=False, label="Case's Haven id", help_text="As shown on the case.")
    user = forms.CharField(
        required=False,
        max_length=150,
        label="User",
        help_text="Their name (for example Tom Jones) or username, to see what they accessed.",
    )
    operation = forms.ChoiceField(
        required=False,
        label="Kind of processing",
        choices=[("", "Any"), *Operation.choices],
    )
    since = GovukDateField(required=False, time=False, label="From", what="the start date")
    until = GovukDateField(required=False, time=False, label="To (inclusive)", what="the end date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("person", "case"):
            self.fields[name].error_messages["invalid"] = "Enter a Haven id, like 3f2b7c1e-…"

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
            operation=data.get("operation") or "",
        )


class PeopleSearchForm(forms.Form):
    """Find a person in the register by name, and date of birth when it is known."""

    name = forms.CharField(
        max_length=200,
        label="Name",
        help_text="Their first name and surname, or part of either. Aliases are searched too.",
        error_messages={"required": "Enter the person's name"},
    )
    date_of_birth = GovukDateField(
        required=False, time=False, label="Date of birth (optional)", what="the date of birth", past=True
    )

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("name", "")).split())
        if not any(c.isalnum() for c in name):
            raise forms.ValidationError("Enter the person's name")
        return name


class SubjectAccessForm(forms.Form):
    person = forms.UUIDField(label="Person's Haven id", help_text="As shown on their record.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].error_messages["invalid"] = "Enter a Haven id, like 3f2b7c1e-…"
        self.fields["person"].error_messages["required"] = "Enter the person's Haven id"
