"""GOV.UK forms for the daily management meeting."""

from __future__ import annotations

from typing import Any, cast

from django import forms

ACTION_SLOTS = 3
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.rank_and_name if hasattr(obj, "rank_and_name") else str(obj)


class UsersChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.rank_and_name if hasattr(obj, "rank_and_name") else str(obj)


class MeetingStartForm(forms.Form):
    held_on = forms.DateField(
        label="Date of the meeting",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Enter the date of the meeting", "invalid": "Enter a real date"},
    )
    chair = UserChoiceField(queryset=None, label="Chair", error_messages={"required": "Choose who chairs the meeting"})
    attendees = UsersChoiceField(queryset=None, label="Attendees", required=False, widget=forms.CheckboxSelectMultiple)
    other_attendees = forms.CharField(
        label="Other attendees",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Partners and others present who do not use Haven, one a line.",
    )

    def __init__(self, *args: Any, chairs: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UserChoiceField, self.fields["chair"]).queryset = chairs
        cast(UsersChoiceField, self.fields["attendees"]).queryset = people


class DecisionForm(forms.Form):
    """A decision about one row's case and up to three actions, each with an owner and a due time (D-02)."""

    text = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter the decision"},
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, ACTION_SLOTS + 1):
            self.fields[f"action_{n}_what"] = forms.CharField(
                label=f"Action {n}: what is to be done", required=False, max_length=200
            )
            owner = UserChoiceField(queryset=owners, label=f"Action {n}: owner", required=False)
            self.fields[f"action_{n}_owner"] = owner
            self.fields[f"action_{n}_due_at"] = forms.DateTimeField(
                label=f"Action {n}: due",
                required=False,
                input_formats=DATETIME_FORMATS,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                help_text="Date and time (UK time).",
                error_messages={"invalid": "Enter a real date and time"},
            )

    def actions(self) -> list[dict[str, Any]]:
        """The action slots that were filled in at all (a half-filled slot is checked by the service, D-02)."""
        data = self.cleaned_data
        filled = []
        for n in range(1, ACTION_SLOTS + 1):
            spec = {k: data.get(f"action_{n}_{k}") for k in ("what", "owner", "due_at")}
            if any(v not in (None, "") for v in spec.values()):
                filled.append({**spec, "slot": n})
        return filled


class ActionDoneForm(forms.Form):
    outcome = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Say what was done"},
    )


class ActionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why the action no longer applies",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Say why the action no longer applies"},
    )
