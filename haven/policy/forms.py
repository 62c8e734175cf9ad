"""The forms an administrator changes one policy setting with; the value field suits the setting's
kind. They only present: the reason's rules are the input models' (haven.policy.schemas), a value's
are its setting's."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from haven.policy import operations
from haven.policy.registry import Setting, ValueKind
from haven.policy.schemas import in_minutes
from haven.ui.operations import InputForm


class JsonField(forms.CharField):
    """JSON typed in a text area, read as the JSON value it spells."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"This is not valid JSON (line {exc.lineno}: {exc.msg})") from None


class YesNoField(forms.ChoiceField):
    def to_python(self, value: Any) -> Any:
        return {"yes": True, "no": False}.get(value, value)


def _value_field(setting: Setting[Any]) -> forms.Field:
    label = "New value"
    if setting.kind == ValueKind.INTEGER:
        return forms.IntegerField(label=label, widget=forms.NumberInput)
    if setting.kind == ValueKind.DURATION:
        return forms.IntegerField(
            label="New value, in minutes", help_text="For example 60 for one hour, 2880 for 48 hours."
        )
    if setting.kind == ValueKind.CHOICE:
        return forms.ChoiceField(label=label, choices=setting.choices, widget=forms.RadioSelect)
    if setting.kind == ValueKind.BOOLEAN:
        return YesNoField(label=label, choices=(("yes", "Yes"), ("no", "No")), widget=forms.RadioSelect)
    return JsonField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="JSON, in the same shape as the current value shown above.",
    )


def initial_for(setting: Setting[Any], value: Any) -> Any:
    if setting.kind == ValueKind.BOOLEAN:
        return "yes" if value else "no"
    if setting.kind == ValueKind.JSON:
        return json.dumps(value, indent=2)
    return in_minutes(value)


class PolicyChangeForm(InputForm):
    operation = operations.policy_set

    value = forms.CharField(label="New value")  # replaced by the field that suits the setting
    reason = forms.CharField(
        label="Why are you changing it?",
        help_text="For example the decision or document that sets the new policy. Kept with the change.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, setting: Setting[Any], current: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"value": initial_for(setting, current)}
        super().__init__(*args, **kwargs)
        value = _value_field(setting)
        value.required = self.fields["value"].required
        self.fields = {"value": value, "reason": self.fields["reason"]}

    def unreadable(self) -> dict[str, list[str]]:
        """What was typed but cannot be read at all (JSON that is not JSON), by field."""
        field = self.fields["value"]
        if not isinstance(field, JsonField):
            return {}
        try:
            field.to_python(field.widget.value_from_datadict(self.data, self.files, self.add_prefix("value")))
        except forms.ValidationError as exc:
            return {"value": list(exc.messages)}
        return {}


class PolicyResetForm(InputForm):
    operation = operations.policy_reset

    reason = forms.CharField(label="Why are you going back to the default?", widget=forms.Textarea(attrs={"rows": 3}))
