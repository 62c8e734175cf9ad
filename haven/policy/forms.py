"""The form an administrator changes one policy setting with; its value field suits the setting's kind."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from haven.policy.registry import Setting, ValueKind
from haven.ui.forms import HavenForm


def _value_field(setting: Setting, current: Any) -> forms.Field:
    label = "New value"
    if setting.kind == ValueKind.INTEGER:
        return forms.IntegerField(
            label=label, min_value=setting.minimum, max_value=setting.maximum, widget=forms.NumberInput
        )
    if setting.kind == ValueKind.DURATION:
        return forms.IntegerField(
            label="New value, in minutes",
            min_value=setting.minimum,
            max_value=setting.maximum,
            help_text="For example 60 for one hour, 2880 for 48 hours.",
        )
    if setting.kind == ValueKind.CHOICE:
        return forms.ChoiceField(label=label, choices=setting.choices, widget=forms.RadioSelect)
    if setting.kind == ValueKind.BOOLEAN:
        return forms.TypedChoiceField(
            label=label,
            choices=(("yes", "Yes"), ("no", "No")),
            coerce=lambda v: v == "yes",
            widget=forms.RadioSelect,
        )
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="JSON, in the same shape as the current value shown above.",
    )


def initial_for(setting: Setting, value: Any) -> Any:
    if setting.kind == ValueKind.DURATION:
        return int(value.total_seconds() // 60)
    if setting.kind == ValueKind.BOOLEAN:
        return "yes" if value else "no"
    if setting.kind == ValueKind.JSON:
        return json.dumps(value, indent=2)
    return value


class PolicyChangeForm(HavenForm):
    reason = forms.CharField(
        label="Why are you changing it?",
        help_text="For example the decision or document that sets the new policy. Kept with the change.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, setting: Setting, current: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"value": initial_for(setting, current)}
        super().__init__(*args, **kwargs)
        self.setting = setting
        self.fields = {"value": _value_field(setting, current), "reason": self.fields["reason"]}

    def clean_value(self) -> Any:
        """The value as the service expects it: a timedelta for a duration, parsed JSON for JSON."""
        from datetime import timedelta

        value = self.cleaned_data["value"]
        if self.setting.kind == ValueKind.DURATION:
            return timedelta(minutes=value)
        if self.setting.kind == ValueKind.JSON:
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise forms.ValidationError(f"This is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
        return value


class PolicyResetForm(HavenForm):
    reason = forms.CharField(
        label="Why are you going back to the default?", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
