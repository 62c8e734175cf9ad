"""GOV.UK forms for cases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms

from haven.cases.choices import NOTE_KINDS, CaseKind, Sensitivity

if TYPE_CHECKING:
    from haven.accounts.models import User

NOTE_CHOICES = [(k.value, k.label) for k in NOTE_KINDS]


class CaseOpenForm(forms.Form):
    subject = forms.CharField(
        label="Subject (the child)",
        help_text="The person's Haven id, shown on their person page (opening from that page fills it in).",
        max_length=64,
        error_messages={"required": "Enter the Haven id of the child the case is about"},
    )
    kind = forms.ChoiceField(label="Kind of case", choices=CaseKind.choices, initial=CaseKind.GENERAL)
    summary = forms.CharField(
        label="Summary", max_length=200, required=False, help_text="One line that says what the case is about."
    )
    sensitivity = forms.ChoiceField(
        label="Sensitivity",
        choices=Sensitivity.choices,
        initial=Sensitivity.NORMAL,
        widget=forms.RadioSelect,
        help_text="Only you and the people you name can see a restricted case; others must break the glass.",
        error_messages={"required": "Choose the sensitivity"},
    )


class CaseEditForm(forms.Form):
    summary = forms.CharField(label="Summary", max_length=200, required=False)
    sensitivity = forms.ChoiceField(
        label="Sensitivity",
        choices=Sensitivity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the sensitivity"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="Is this note fact or assessment?",
        choices=NOTE_CHOICES,
        widget=forms.RadioSelect,
        help_text="Keep what was seen, said or done (fact) apart from your judgement (assessment). "
        "Choose each time: there is no default.",
        error_messages={"required": "Say whether the note records fact or assessment"},
    )
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={"required": "Enter the note"},
    )


class HandoverForm(forms.Form):
    to_user = forms.CharField(
        label="New owner's username", max_length=150, error_messages={"required": "Enter the new owner's username"}
    )
    reason = forms.CharField(
        label="Reason for the handover",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
        error_messages={"required": "Enter the reason for the handover"},
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see this case?",
        help_text="Your reason is logged and the case owner is told.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
        error_messages={"required": "Enter why you need to see this case"},
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Why is the case being closed?",
        help_text="The reason goes on the timeline and in the access log. Once closed, the case cannot be "
        "changed until a supervisor reopens it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
        error_messages={"required": "Enter the reason for closing the case"},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why is the case being reopened?",
        help_text="The reason goes on the timeline and in the access log.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2_000,
        error_messages={"required": "Enter the reason for reopening the case"},
    )


class MembersForm(forms.Form):
    """Who may see a restricted case: tick the people to keep or add, and add others by username."""

    members = forms.MultipleChoiceField(
        label="Members",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ticked people may see the case. Untick someone to take them off.",
    )
    add = forms.CharField(
        label="Add people by username",
        required=False,
        max_length=1_000,
        help_text="Usernames separated by spaces or commas, for people outside the case's team.",
    )

    def __init__(self, *args: Any, candidates: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.MultipleChoiceField)
        members.choices = [(u.username, f"{u.rank_and_name} ({u.username})") for u in candidates]

    def usernames(self) -> list[str]:
        """Every username chosen: the ticked ones and those typed, each once, in order."""
        typed = self.cleaned_data.get("add", "").replace(",", " ").split()
        return list(dict.fromkeys([*self.cleaned_data.get("members", []), *typed]))
