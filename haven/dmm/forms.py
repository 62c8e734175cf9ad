"""GOV.UK forms for the daily management meeting. They only present: the input models in
haven/dmm/schemas.py hold every field rule, and the services decide (D-02)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from haven.dmm import operations
from haven.dmm.schemas import ActionIn
from haven.ui.forms import GovukDateField
from haven.ui.operations import InputForm

ACTION_SLOTS = 3
ACTION_FIELDS = ("what", "owner", "due_at", "meets")


def people(users: Iterable[Any], *, blank: str = "") -> list[tuple[str, str]]:
    """Users as choices: the username posted, the rank and name shown."""
    choices = [(user.username, user.rank_and_name) for user in users]
    return [("", blank), *choices] if blank else choices


class MeetingStartForm(InputForm):
    operation = operations.meeting_start

    held_on = GovukDateField(label="Date of the meeting", time=False, help_text="For example, 27 3 2026.")
    chair = forms.ChoiceField(label="Chair")
    attendees = forms.MultipleChoiceField(label="Attendees", widget=forms.CheckboxSelectMultiple)
    other_attendees = forms.CharField(
        label="Other attendees",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Partners and others present who do not use Haven, one a line.",
    )

    def __init__(self, *args: Any, chairs: Iterable[Any], attendees: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["chair"]).choices = people(chairs)
        cast(forms.MultipleChoiceField, self.fields["attendees"]).choices = people(attendees)
        # The page always names the chair (the API may leave it to default to the caller).
        self.fields["chair"].required = True
        self.fields["chair"].label = "Chair"


class DecisionForm(InputForm):
    """The decision about one row's case; its actions are ActionForm rows (D-02)."""

    operation = operations.decision_record

    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(InputForm):
    """One of the decision's action slots, named ``action_<n>_<field>``. A blank slot is left out; a
    half-filled one is checked whole (D-02)."""

    model = ActionIn

    what = forms.CharField(label="What is to be done")
    owner = forms.ChoiceField(label="Owner")
    due_at = GovukDateField(
        label="Due",
        time=True,
        what="the date the action is due",
        help_text="UK time: for example, 27 3 2026 and 19:40 (24-hour clock).",
    )
    meets = forms.ChoiceField(
        label="Meets",
        help_text="If the action is one of the case's open obligations, choose it: marking the action done "
        "records the obligation too, and recording the obligation marks the action done.",
    )

    def __init__(
        self, *args: Any, slot: int, owners: Iterable[Any], obligations: Iterable[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, prefix=f"action_{slot}", **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = people(owners, blank="Choose an owner")
        offered = [(o.key, o.label) for o in obligations]
        if offered:
            cast(forms.ChoiceField, self.fields["meets"]).choices = [("", "None: an action of its own"), *offered]
        else:
            del self.fields["meets"]
        for field in self.fields.values():
            field.required = False  # a slot may be left blank: only a started one must be whole
            field.label = f"Action {slot}: {str(field.label).removesuffix(' (optional)').lower()}"

    def add_prefix(self, field_name: str) -> str:
        return f"{self.prefix}_{field_name}"

    def is_blank(self) -> bool:
        def typed(name: str) -> str:
            raw = self.fields[name].widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            return "".join(raw.values()) if isinstance(raw, dict) else str(raw or "")

        return not any(typed(name).strip() for name in ACTION_FIELDS if name in self.fields)


class ActionDoneForm(InputForm):
    operation = operations.action_complete

    outcome = forms.CharField(label="What was done", widget=forms.Textarea(attrs={"rows": 3}))


class ActionCancelForm(InputForm):
    operation = operations.action_cancel

    reason = forms.CharField(label="Why the action no longer applies", widget=forms.Textarea(attrs={"rows": 3}))
