"""GOV.UK forms for trigger plans. They only collect input; services decide (M-15)."""

from __future__ import annotations

from typing import Any

from django import forms

from haven.triggerplans.choices import ActionKind

DATE_HELP = "For example, 2027-03-27."
ACTION_FIELDS = ("kind", "target", "person", "enquiry_type", "instructions")


def _enquiry_choices() -> list[tuple[str, str]]:
    from haven.missing.choices import EnquiryType

    return [("", "The usual one for this kind of action"), *EnquiryType.choices]


class PlanForm(forms.Form):
    """The plan's own fields (the actions come as ActionForm rows)."""

    agencies = forms.CharField(
        label="Agencies involved",
        help_text="One per line, for example: Leeds children's social care, Police missing coordinator, School.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=6_000,
        error_messages={"required": "Name at least one agency involved in the plan"},
    )
    thresholds = forms.CharField(
        label="What raises the risk grade (optional)",
        help_text="One per line, for example: Missing overnight, Seen with adults of concern.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=15_000,
    )
    review_date = forms.DateField(
        label="Review date",
        help_text=f"When the plan must next be reviewed. {DATE_HELP}",
        error_messages={"required": "Enter the review date", "invalid": "Enter the review date as a real date"},
    )


class RevisionForm(PlanForm):
    note = forms.CharField(
        label="What changed and why",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        error_messages={"required": "Enter what changed and why"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label="What the review found",
        help_text="Who took part and why the plan stays as it is. To change the plan, revise it instead.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        error_messages={"required": "Enter what the review found"},
    )
    review_date = forms.DateField(
        label="Next review date",
        help_text=DATE_HELP,
        error_messages={
            "required": "Enter the next review date",
            "invalid": "Enter the next review date as a real date",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionForm(forms.Form):
    """One directive action (an "add another" row). A wholly blank row is ignored."""

    kind = forms.ChoiceField(
        label="Kind of action", choices=[("", "Choose a kind of action"), *ActionKind.choices], required=False
    )
    target = forms.CharField(
        label="What it names",
        help_text="The address, place, person, phone number, account (platform and handle) or who to tell.",
        max_length=500,
        required=False,
    )
    person = forms.CharField(
        label="Haven id of the person named (optional)",
        help_text="Links an associate's person record.",
        max_length=64,
        required=False,
    )
    enquiry_type = forms.ChoiceField(label="Offered as the enquiry", choices=(), required=False)
    instructions = forms.CharField(
        label="Instructions (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enquiry_type"].choices = _enquiry_choices()  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(str(data.get(name) or "").strip() for name in ("kind", "target", "person", "instructions"))
