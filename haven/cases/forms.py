"""GOV.UK forms for cases: presentation only (labels, hints, widgets). What is required, how long an
answer may be and every message come from the operation's input model (haven/cases/schemas.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms

from haven.cases import operations
from haven.cases.choices import NOTE_KINDS, CaseKind, Sensitivity
from haven.ui.forms import UserPickerInput
from haven.ui.operations import InputForm

if TYPE_CHECKING:
    from haven.accounts.models import User

NOTE_CHOICES = [(k.value, k.label) for k in NOTE_KINDS]


class CaseOpenForm(InputForm):
    operation = operations.case_open

    subject = forms.CharField(
        label="Subject (the child)",
        help_text="The person's Haven id, shown on their person page (opening from that page fills it in).",
    )
    kind = forms.ChoiceField(label="Kind of case", choices=CaseKind.choices, initial=CaseKind.GENERAL)
    summary = forms.CharField(label="Summary", help_text="One line that says what the case is about.")
    sensitivity = forms.ChoiceField(
        label="Sensitivity",
        choices=Sensitivity.choices,
        initial=Sensitivity.NORMAL,
        widget=forms.RadioSelect,
        help_text="Only you and the people you name can see a restricted case; others must break the glass.",
    )


class CaseEditForm(InputForm):
    operation = operations.case_update

    summary = forms.CharField(label="Summary")
    sensitivity = forms.ChoiceField(label="Sensitivity", choices=Sensitivity.choices, widget=forms.RadioSelect)
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(InputForm):
    operation = operations.case_note_add

    kind = forms.ChoiceField(
        label="Is this note fact or assessment?",
        choices=NOTE_CHOICES,
        widget=forms.RadioSelect,
        help_text="Keep what was seen, said or done (fact) apart from your judgement (assessment). "
        "Choose each time: there is no default.",
    )
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 5}))


class HandoverForm(InputForm):
    operation = operations.case_handover

    to_user = forms.CharField(label="New owner's username")
    reason = forms.CharField(label="Reason for the handover", widget=forms.Textarea(attrs={"rows": 3}))


class AllocateForm(InputForm):
    operation = operations.case_allocate

    to_user = forms.CharField(
        label="Officer",
        help_text="Start typing their name, collar number or team, then choose them from the list.",
        widget=UserPickerInput(),
    )
    note = forms.CharField(
        label="Note for the officer",
        help_text="Anything they should know or do first. Kept on the case's timeline.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BreakGlassForm(InputForm):
    operation = operations.case_break_glass

    reason = forms.CharField(
        label="Why do you need to see this case?",
        help_text="Your reason is logged and the case owner is told.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(InputForm):
    operation = operations.case_close

    reason = forms.CharField(
        label="Why is the case being closed?",
        help_text="The reason goes on the timeline and in the access log. Once closed, the case cannot be "
        "changed until a supervisor reopens it.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(InputForm):
    operation = operations.case_reopen

    reason = forms.CharField(
        label="Why is the case being reopened?",
        help_text="The reason goes on the timeline and in the access log.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MembersForm(InputForm):
    """Who may see a restricted case: tick the people to keep or add, and add others by username.

    The input model takes one list of usernames (``members``): :meth:`usernames` joins the ticked and
    the typed ones into it.
    """

    operation = operations.members_set

    members = forms.MultipleChoiceField(
        label="Members",
        widget=forms.CheckboxSelectMultiple,
        help_text="Ticked people may see the case. Untick someone to take them off.",
    )
    add = forms.CharField(
        label="Add people by username (optional)",
        required=False,  # not in the input model: typed names join the ticked ones in ``members``
        help_text="Usernames separated by spaces or commas, for people outside the case's team.",
    )

    def __init__(self, *args: Any, candidates: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.MultipleChoiceField)
        members.choices = [(u.username, f"{u.rank_and_name} ({u.username})") for u in candidates]

    def usernames(self) -> list[str]:
        """Every username chosen: the ticked ones and those typed, each once, in order."""
        values = self.values()
        typed = str(values.get("add", "")).replace(",", " ").split()
        return list(dict.fromkeys([*values.get("members", []), *typed]))
