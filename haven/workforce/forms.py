"""GOV.UK forms for the workforce writes. They only present (labels, hints, widgets): every field rule
is in the input models (haven.workforce.schemas) and the services decide who may sign off."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from haven.ui.forms import GovukDateField, UserPickerInput
from haven.ui.operations import InputForm
from haven.workforce import operations
from haven.workforce.choices import Activity


def _select(label: str, choices: Any, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "Choose…"), *choices], help_text=help_text)


def _text(label: str, *, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


class QualificationForm(InputForm):
    operation = operations.qualification_record

    qualification = _select("Qualification or course", [])
    achieved_on = GovukDateField(label="Date gained", time=False)
    evidence_reference = forms.CharField(
        label="Evidence reference",
        help_text="For example, the certificate number or the learning and development record.",
    )

    def __init__(self, *args: Any, qualifications: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["qualification"]).choices = [("", "Choose…"), *qualifications]
        self.fields["qualification"].help_text = "If the officer already holds it, this records the refresher."


class CompetenceStartForm(InputForm):
    operation = operations.competence_start

    activity = _select("Work they are training for", Activity.choices)
    mentor = forms.CharField(
        label="Mentor", help_text="Start typing their name, collar number or team.", widget=UserPickerInput()
    )
    started_on = GovukDateField(label="Start date", time=False)


class _StepForm(InputForm):
    """A step on one of the officer's activities: the activity is chosen from those in the right state."""

    activity = forms.ChoiceField(label="Work", widget=forms.RadioSelect)

    def __init__(self, *args: Any, activities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["activity"]).choices = activities


class CompetenceAssessForm(_StepForm):
    operation = operations.competence_assess

    note = _text("What the assessment found", help_text="Kept with the assessment on the officer's record.")


class CompetenceSignOffForm(_StepForm):
    operation = operations.competence_sign_off

    note = _text("Note", help_text="Anything the officer's record should keep about the sign-off.")


class CompetenceWithdrawForm(_StepForm):
    operation = operations.competence_withdraw

    reason = _text("Why is it withdrawn?")


class OverrideForm(InputForm):
    operation = operations.override_grant

    activity = _select("Work you are allowing", Activity.choices)
    reason = _text("Why are you allowing it?", help_text="Kept on the officer's record and in the access log.")
    ends_at = GovukDateField(label="When does it end?", time=True)

    def __init__(self, *args: Any, longest_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_at"].help_text = (
            f"At most {longest_days} days from now. Leave empty for the longest the force allows. "
            "For example, 27 3 2026 and 19:40 (24-hour clock)."
        )


class ImportForm(InputForm):
    """The CSV file; the page reads it and gives its text to the import (a dry run first)."""

    operation = operations.qualifications_import

    csv = forms.FileField(
        label="CSV file",
        help_text="The first line must be officer,qualification,gained,evidence. One record per line.",
        widget=forms.FileInput,
    )
