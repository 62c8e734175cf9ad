"""The partner portal's and the agency pages' forms: labels, hints and widgets only (the input models
in haven.partners.schemas decide what is valid)."""

from __future__ import annotations

from django import forms

from haven.partners import operations
from haven.partners.choices import AgencyDecision, AgencyKind, Field, RhiOutcome
from haven.ui.forms import GovukDateField
from haven.ui.operations import InputForm


class AgencyForm(InputForm):
    operation = operations.agency_create

    name = forms.CharField(label="Name of the agency")
    kind = forms.ChoiceField(label="Kind of agency", choices=AgencyKind.choices, widget=forms.RadioSelect)
    local_authority = forms.CharField(
        label="Local authority it serves",
        help_text="For children's services: return home interview requests for "
        "this authority's children go to this agency. For example, Leeds City Council.",
    )
    notice_email = forms.CharField(
        label="Secure e-mail address for notices",
        help_text="Told that something was shared, without any personal information.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(label="Phone number", widget=forms.TextInput(attrs={"type": "tel"}))
    projection = forms.MultipleChoiceField(
        label="What the agency receives of a shared referral",
        help_text="Leave all unticked for what this kind of agency usually receives. Restricted information "
        "goes only when the decision to share says so.",
        choices=Field.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label="Haven may share with this agency")


class AgencyEditForm(AgencyForm):
    operation = operations.agency_update


class MemberAddForm(InputForm):
    operation = operations.member_add

    username = forms.CharField(
        label="Username", help_text="A user with the partner agency user role. A user belongs to one agency."
    )


class MemberRemoveForm(InputForm):
    operation = operations.member_remove

    username = forms.CharField(widget=forms.HiddenInput)


class AcknowledgeForm(InputForm):
    """Acknowledging receipt asks nothing: the button is the answer."""

    operation = operations.item_acknowledge


class DecisionForm(InputForm):
    operation = operations.item_decide

    decision = forms.ChoiceField(
        label="What did your agency decide?", choices=AgencyDecision.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="Notes",
        help_text="What you will do, who will do it, and anything the police should know.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class RhiOutcomeForm(InputForm):
    operation = operations.item_rhi_outcome
    conditional = ("interviewer", "findings")

    outcome = forms.ChoiceField(
        label="What happened to the return home interview?", choices=RhiOutcome.choices, widget=forms.RadioSelect
    )
    interviewer = forms.CharField(label="Who did the interview?", help_text="Needed when it was completed.")
    done_at = GovukDateField(label="When was it done?", time=True, help_text="For example, 27 3 2026 and 14:30.")
    findings = forms.CharField(
        label="What the interview found, or why it was not done",
        help_text="Needed when it was declined or not done.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
