"""Forms for the person register. They only collect input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from haven.people.choices import AddressKind, ContactKind, FlagKind, IdentifierKind, NameKind, RelationshipKind
from haven.people.models import Person

DATE_HELP = "For example, 2012-03-27."


class SearchForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=200)
    dob = forms.DateField(label="Date of birth (optional)", required=False, help_text=DATE_HELP)
    age = forms.IntegerField(label="Age (optional)", required=False, min_value=0, max_value=120)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "forenames",
            "surname",
            "date_of_birth",
            "date_of_birth_estimated",
            "date_of_birth_earliest",
            "date_of_birth_latest",
            "sex",
            "gender",
            "ethnicity",
            "health_notes",
            "description",
        ]
        labels = {
            "date_of_birth_estimated": "The date of birth is an estimate",
            "date_of_birth_earliest": "Earliest possible date of birth",
            "date_of_birth_latest": "Latest possible date of birth",
            "health_notes": "Health notes",
        }

    def __init__(self, *args: Any, show_sensitive: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_sensitive:
            for name in Person.SENSITIVE_FIELDS:
                del self.fields[name]
        for name in ("date_of_birth", "date_of_birth_earliest", "date_of_birth_latest"):
            self.fields[name].help_text = DATE_HELP
        self.fields["forenames"].error_messages["required"] = "Enter the forenames"
        self.fields["surname"].error_messages["required"] = "Enter the surname"


class PersonCreateForm(PersonForm):
    duplicate_reason = forms.CharField(
        label="Why are you creating a new person instead of using a match?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta(PersonForm.Meta):
        fields = [*PersonForm.Meta.fields, "duplicate_reason"]


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AliasForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=NameKind.choices)
    forenames = forms.CharField(required=False, max_length=200)
    surname = forms.CharField(max_length=200)


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=IdentifierKind.choices)
    value = forms.CharField(label="Number or reference", max_length=64)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ContactKind.choices)
    value = forms.CharField(label="Number, address or handle", max_length=254)
    platform = forms.CharField(required=False, max_length=64, help_text="For social media: Snapchat, Instagram…")


class AddressForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=AddressKind.choices)
    lines = forms.CharField(label="Address", widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(required=False, max_length=10)
    start_date = forms.DateField(required=False, help_text=DATE_HELP)
    end_date = forms.DateField(required=False, help_text=DATE_HELP)


class FlagForm(forms.Form):
    kind = forms.ChoiceField(label="Flag", choices=FlagKind.choices)
    start_date = forms.DateField(required=False, help_text=DATE_HELP)
    end_date = forms.DateField(required=False, help_text=DATE_HELP)
    responsible_authority = forms.CharField(
        label="Responsible local authority", required=False, help_text="For a looked-after child"
    )
    host_authority = forms.CharField(label="Host local authority", required=False, help_text="For a looked-after child")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RelationshipForm(forms.Form):
    kind = forms.ChoiceField(label="This person is the … of the other person", choices=RelationshipKind.choices)
    other = forms.UUIDField(label="Other person's Haven id", help_text="Shown at the foot of their person page")
    start_date = forms.DateField(required=False, help_text=DATE_HELP)
    end_date = forms.DateField(required=False, help_text=DATE_HELP)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    reason = forms.CharField(label="Why are these the same person?", widget=forms.Textarea(attrs={"rows": 3}))


class RelationshipChangeForm(forms.Form):
    kind = forms.ChoiceField(label="This person is the … of the other person", choices=RelationshipKind.choices)
    start_date = forms.DateField(required=False, help_text=DATE_HELP)
    end_date = forms.DateField(required=False, help_text=DATE_HELP)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why is this being removed?",
        help_text="For example, it was recorded against the wrong person. The reason is logged.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EndForm(forms.Form):
    end_date = forms.DateField(label="End date", help_text=DATE_HELP)


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="Upload a photograph",
        help_text="A JPEG, PNG or WebP image, smaller than 5 MB. Haven removes its location and camera details.",
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see this person now?",
        help_text="Your reason is logged and every named member is told at once.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RestrictionForm(forms.Form):
    is_restricted = forms.BooleanField(label="Restrict this person to named members", required=False)
    members = forms.CharField(
        label="Members",
        required=False,
        help_text="Haven usernames, one per line. You stay a member of a person you restrict.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_members(self) -> list[str]:
        raw = self.cleaned_data["members"]
        names = [n.strip() for n in raw.replace(",", "\n").splitlines() if n.strip()]
        return list(dict.fromkeys(names))
