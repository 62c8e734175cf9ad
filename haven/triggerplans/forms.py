"""GOV.UK forms for trigger plans. They only present: the input models in schemas.py hold every
field rule, and services decide (M-15)."""

from __future__ import annotations

from typing import Any

from django import forms

from haven.missing.choices import EnquiryType
from haven.triggerplans import operations
from haven.triggerplans.choices import ActionKind
from haven.triggerplans.schemas import PlanActionIn
from haven.ui.forms import GovukDateField
from haven.ui.operations import InputForm

DATE_HELP = "For example, 27 3 2027."
ACTION_FIELDS = ("kind", "target", "person", "enquiry_type", "instructions")


class PlanForm(InputForm):
    """The plan's own fields (the actions come as ActionForm rows)."""

    operation = operations.plan_create

    agencies = forms.CharField(
        label="Agencies involved",
        help_text="One per line, for example: Leeds children's social care, Police missing coordinator, School.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    thresholds = forms.CharField(
        label="What raises the risk grade",
        help_text="One per line, for example: Missing overnight, Seen with adults of concern.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_date = GovukDateField(
        label="Review date", time=False, help_text=f"When the plan must next be reviewed. {DATE_HELP}"
    )


class RevisionForm(PlanForm):
    operation = operations.plan_revise

    note = forms.CharField(label="What changed and why", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(InputForm):
    operation = operations.plan_review

    note = forms.CharField(
        label="What the review found",
        help_text="Who took part and why the plan stays as it is. To change the plan, revise it instead.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_date = GovukDateField(label="Next review date", time=False, help_text=DATE_HELP)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(InputForm):
    """One directive action (an "add another" row). A wholly blank row is ignored."""

    model = PlanActionIn
    conditional = ("target",)  # needed unless a person is linked, or the action is "Other"

    kind = forms.ChoiceField(label="Kind of action", choices=[("", "Choose a kind of action"), *ActionKind.choices])
    target = forms.CharField(
        label="What it names",
        help_text="The address, place, person, phone number, account (platform and handle) or who to tell.",
    )
    person = forms.CharField(
        label="Haven id of the person named",
        help_text="Links an associate's person record.",
    )
    enquiry_type = forms.ChoiceField(
        label="Offered as the enquiry", choices=[("", "The usual one for this kind of action"), *EnquiryType.choices]
    )
    instructions = forms.CharField(label="Instructions", widget=forms.Textarea(attrs={"rows": 2}))

    def is_blank(self) -> bool:
        values: dict[str, Any] = self.values()
        return not any(str(values.get(name) or "").strip() for name in ("kind", "target", "person", "instructions"))
