"""Forms for the person register. They only present: labels, hints, widgets. The input models in
schemas.py hold every field rule (a linked record's form presents its kind's model), and services
decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from haven.core.types import NAME_MAX
from haven.people import operations
from haven.people.choices import AddressKind, ContactKind, FlagKind, IdentifierKind, NameKind, RelationshipKind, Sex
from haven.people.models import Person
from haven.people.schemas import (
    AddressIn,
    AliasIn,
    ContactIn,
    FlagIn,
    IdentifierIn,
    NewRelationshipIn,
    PersonIn,
    RelationshipIn,
    plausible_birth_date,
)
from haven.ui.forms import GovukDateField
from haven.ui.operations import InputForm


def _date(label: str, **kwargs: Any) -> GovukDateField:
    """A date in the GOV.UK date input (day, month and year boxes). On an input form its errors name the
    field as the input model does ("The start date must include a month")."""
    return GovukDateField(label=label, time=False, **kwargs)


class SearchForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=NAME_MAX)
    # A GET form: the date of birth travels as dob-day, dob-month and dob-year.
    dob = _date("Date of birth (optional)", required=False, what="the date of birth", past=True)
    age = forms.IntegerField(label="Age (optional)", required=False, min_value=0, max_value=120)

    def clean_dob(self) -> date | None:
        try:
            return plausible_birth_date(self.cleaned_data.get("dob"))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class _Change(InputForm):
    """A change: the API sends only the fields that change, but the page sends every field it shows,
    a blank one as None (which clears a date, and is refused for a name that must be given)."""

    def values(self) -> dict[str, Any]:
        values = super().values()
        return {name: values.get(name) for name in self.fields}


class PersonForm(InputForm):
    operation = operations.person_create

    forenames = forms.CharField(label="Forenames")
    surname = forms.CharField(label="Surname")
    date_of_birth = _date("Date of birth")
    date_of_birth_estimated = forms.BooleanField(label="The date of birth is an estimate")
    date_of_birth_earliest = _date("Earliest possible date of birth")
    date_of_birth_latest = _date("Latest possible date of birth")
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN)
    gender = forms.CharField(label="Gender")
    ethnicity = forms.CharField(label="Ethnicity")
    health_notes = forms.CharField(label="Health notes", widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, show_sensitive: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_sensitive:
            for name in Person.SENSITIVE_FIELDS:
                del self.fields[name]


class PersonCreateForm(PersonForm):
    duplicate_reason = forms.CharField(
        label="Why are you creating a new person instead of using a match?",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The service's list of likely matches lands here; the page lists them itself, as links.
    likely_matches = forms.CharField(widget=forms.HiddenInput, required=False)


class PersonEditForm(_Change, PersonForm):
    operation = operations.person_update
    model = PersonIn

    version = forms.IntegerField(widget=forms.HiddenInput)


class AliasForm(InputForm):
    operation = operations.record_add
    model = AliasIn

    kind = forms.ChoiceField(label="Type", choices=NameKind.choices)
    forenames = forms.CharField(label="Forenames")
    surname = forms.CharField(label="Surname")


class IdentifierForm(InputForm):
    operation = operations.record_add
    model = IdentifierIn

    kind = forms.ChoiceField(label="Type", choices=IdentifierKind.choices)
    value = forms.CharField(label="Number or reference")


class ContactForm(InputForm):
    operation = operations.record_add
    model = ContactIn

    kind = forms.ChoiceField(label="Type", choices=ContactKind.choices)
    value = forms.CharField(label="Number, address or handle")
    platform = forms.CharField(label="Platform", help_text="For social media: Snapchat, Instagram…")


class AddressForm(InputForm):
    operation = operations.record_add
    model = AddressIn

    kind = forms.ChoiceField(label="Type", choices=AddressKind.choices)
    lines = forms.CharField(label="Address", widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label="Postcode")
    start_date = _date("Start date", help_text="For example, 27 3 2024.")
    end_date = _date("End date", help_text="For example, 27 3 2024.")


class FlagForm(InputForm):
    operation = operations.record_add
    model = FlagIn

    kind = forms.ChoiceField(label="Flag", choices=FlagKind.choices)
    start_date = _date("Start date", help_text="For example, 27 3 2024.")
    end_date = _date("End date", help_text="For example, 27 3 2024.")
    responsible_authority = forms.CharField(label="Responsible local authority", help_text="For a looked-after child")
    host_authority = forms.CharField(label="Host local authority", help_text="For a looked-after child")
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))


class _RelationshipFields(InputForm):
    kind = forms.ChoiceField(label="This person is the … of the other person", choices=RelationshipKind.choices)
    start_date = _date("Start date", help_text="For example, 27 3 2024.")
    end_date = _date("End date", help_text="For example, 27 3 2024.")
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))


class RelationshipForm(_RelationshipFields):
    operation = operations.record_add
    model = NewRelationshipIn

    other = forms.UUIDField(label="Other person's Haven id", help_text="Shown at the foot of their person page")

    field_order = ["kind", "other", "start_date", "end_date", "note"]


class _Seen(_Change):
    """Changing a linked record: the form carries when it was last saved (``seen``)."""

    operation = operations.record_update

    seen = forms.CharField(widget=forms.HiddenInput)


class AliasChangeForm(_Seen, AliasForm):
    pass


class IdentifierChangeForm(_Seen, IdentifierForm):
    pass


class ContactChangeForm(_Seen, ContactForm):
    pass


class AddressChangeForm(_Seen, AddressForm):
    pass


class FlagChangeForm(_Seen, FlagForm):
    pass


class RelationshipChangeForm(_Seen, _RelationshipFields):
    model = RelationshipIn


class MergeForm(InputForm):
    operation = operations.person_merge

    reason = forms.CharField(label="Why are these the same person?", widget=forms.Textarea(attrs={"rows": 3}))


class UnmergeForm(InputForm):
    operation = operations.person_unmerge


class RemoveForm(InputForm):
    operation = operations.record_remove

    reason = forms.CharField(
        label="Why is this being removed?",
        help_text="For example, it was recorded against the wrong person. The reason is logged.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EndForm(InputForm):
    operation = operations.record_end

    end_date = _date("End date", help_text="Today if left blank. For example, 27 3 2024.")


class PhotoForm(InputForm):
    operation = operations.person_photo_set

    photo = forms.FileField(
        label="Upload a photograph",
        help_text="A JPEG, PNG or WebP image, smaller than 5 MB. Haven removes its location and camera details.",
    )


class BreakGlassForm(InputForm):
    operation = operations.person_break_glass

    reason = forms.CharField(
        label="Why do you need to see this person now?",
        help_text="Your reason is logged and every named member is told at once.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefugeReadForm(InputForm):
    operation = operations.refuge_addresses_read

    reason = forms.CharField(
        label="Why do you need to see the refuge address now?",
        help_text="Your reason is logged each time you see it.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RestrictionForm(InputForm):
    operation = operations.person_restriction_set

    is_restricted = forms.BooleanField(label="Restrict this person to named members")
    members = forms.CharField(
        label="Members",
        help_text=(
            "Haven usernames, one per line. You, and the officers who own open cases about this person, stay members."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(
        label="Why are you changing who may see this person?",
        help_text="Your reason is logged.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def values(self) -> dict[str, Any]:
        """Usernames one per line, or separated by commas."""
        values = super().values()
        values["members"] = [name.strip() for line in values.get("members", []) for name in line.split(",")]
        values["members"] = [name for name in values["members"] if name]
        return values
