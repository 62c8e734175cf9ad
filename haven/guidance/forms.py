"""GOV.UK forms for the guidance library. They only present: the input models in schemas.py hold
every field rule, and the services decide."""

from __future__ import annotations

from django import forms

from haven.core.permissions import Role
from haven.guidance import operations
from haven.guidance.choices import Kind, Place
from haven.ui.forms import GovukDateField
from haven.ui.operations import InputForm

LINK_HELP = "Where officers open it: a web address starting with https://."
FILE_HELP = "If it is in the force's document store rather than on the web, its reference there."


class ItemForm(InputForm):
    operation = operations.item_create

    title = forms.CharField(label="Title")
    kind = forms.ChoiceField(
        label="Is it a document or a video briefing?", choices=Kind.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label="Summary", help_text="What it covers and who it is for.", widget=forms.Textarea(attrs={"rows": 3})
    )
    places = forms.MultipleChoiceField(
        label="Where it applies",
        choices=Place.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="It is shown on the screens for this work. Select all that apply.",
    )
    url = forms.CharField(label="Web address", help_text=LINK_HELP)
    file_reference = forms.CharField(label="Document store reference", help_text=FILE_HELP)
    owner = forms.CharField(
        label="Owner", help_text="Their username or collar number. Leave it empty to own it yourself."
    )
    team = forms.CharField(label="Owning team", help_text="The team's code, for example CRSU.")
    review_date = GovukDateField(label="Review date", time=False)


class PublishForm(InputForm):
    operation = operations.version_publish

    what_changed = forms.CharField(label="What changed", widget=forms.Textarea(attrs={"rows": 3}))
    url = forms.CharField(label="Web address", help_text=f"{LINK_HELP} Leave both empty to keep the current link.")
    file_reference = forms.CharField(label="Document store reference", help_text=FILE_HELP)
    review_date = GovukDateField(label="Next review date", time=False)


OFFICER_ROLES = [(r.value, r.label) for r in Role if r not in (Role.PARTNER, Role.AUDITOR)]


class RequireForm(InputForm):
    operation = operations.required_roles_set

    roles = forms.MultipleChoiceField(
        label="Who must read it",
        choices=OFFICER_ROLES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Officers with these roles must read each new version; it counts toward their training. "
        "Select none to make it no longer required.",
    )


class RetireForm(InputForm):
    operation = operations.item_retire

    reason = forms.CharField(label="Why is it being retired?", widget=forms.Textarea(attrs={"rows": 3}))


class ReadForm(InputForm):
    operation = operations.read_record

    version = forms.IntegerField(widget=forms.HiddenInput)
