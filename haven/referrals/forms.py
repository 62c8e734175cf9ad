"""GOV.UK forms for referrals. They only present (labels, hints, widgets): every field rule is in the
input models (haven.referrals.schemas), and the services decide the numbered rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from haven.partners.selectors import agencies_active
from haven.people.choices import Sex
from haven.people.schemas import PersonCreateIn
from haven.referrals import operations
from haven.referrals.choices import (
    ConcernCategory,
    Decision,
    LawfulBasis,
    OfficerGrade,
    PersonRole,
    Rag,
    StrategyOutcome,
)
from haven.ui.forms import GovukDateField, HavenForm, UserPickerInput
from haven.ui.operations import InputForm

YES_NO = [("yes", "Yes"), ("no", "No")]


class YesNo(forms.ChoiceField):
    """Yes / No radios, given to the input model as True, False or None (no answer)."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=YES_NO, **kwargs)

    def to_python(self, value: Any) -> bool | None:
        return {"yes": True, "no": False, "True": True, "False": False}.get(str(value))

    def prepare_value(self, value: Any) -> Any:
        return {True: "yes", False: "no"}.get(value, value)


def text(label: str, *, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


def radios(label: str, choices: Any, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, help_text=help_text, widget=forms.RadioSelect)


# --- Raising a referral -----------------------------------------------------------------------------------


class FindPersonForm(HavenForm):
    """A search of the person register (a read: nothing is written)."""

    q = forms.CharField(label="Name", max_length=200, required=False)
    date_of_birth = GovukDateField(
        label="Date of birth (if known)", time=False, required=False, what="the date of birth", past=True
    )


class NewPersonForm(InputForm):
    """A person not yet on the register, recorded through haven.people's ``person_create`` (with its
    duplicate warning)."""

    model = PersonCreateIn

    forenames = forms.CharField(label="First names")
    surname = forms.CharField(label="Last name")
    date_of_birth = GovukDateField(label="Date of birth", time=False)
    sex = radios("Sex", Sex.choices)
    duplicate_reason = text(
        "Why is this a new person and not one of the matches?",
        help_text="Only needed if Haven finds people who may be this person.",
    )
    likely_matches = forms.CharField(widget=forms.HiddenInput, required=False)

    def values(self) -> dict[str, Any]:
        values = super().values()
        if not values.get("sex"):
            values.pop("sex", None)
        return values


class StartForm(InputForm):
    operation = operations.referral_start

    child = forms.CharField(widget=forms.HiddenInput)
    case = forms.CharField(widget=forms.HiddenInput, required=False)
    episode = forms.CharField(widget=forms.HiddenInput, required=False)


class DraftForm(InputForm):
    """The referral, in the order an officer thinks it through. Saved as a draft at any point."""

    operation = operations.referral_update

    categories = forms.MultipleChoiceField(
        label="What kind of concern is it?",
        choices=ConcernCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    narrative = text("What happened?", rows=6, help_text="What you saw and heard, where, and who was there.")
    perpetrator_description = text(
        "Alleged perpetrator",
        rows=2,
        help_text="Who is thought to have caused the harm, if anyone. Add them from the register on the "
        "referral's people page if they are on it.",
    )
    child_seen = YesNo(label="Did you see the child?")
    child_spoken_to = YesNo(label="Did you speak to the child?")
    child_words = text("What did the child say?", rows=4, help_text="In their own words, as far as you can.")
    child_demeanour = text("The child's behaviour and demeanour", rows=3, help_text="How they looked and behaved.")
    child_not_seen_reason = text(
        "Why was the child not seen or spoken to?", rows=2, help_text="Only if you did not see or speak to them."
    )
    officer_grade = radios("Your view of the risk", OfficerGrade.choices)
    immediate_actions = text("What did you do straight away?", rows=3, help_text="For example, safeguarding steps.")

    # A draft saves with any of them blank, but the referral cannot be sent without these (rules.submission_problems;
    # the voice of the child, S-01): none is labelled "(optional)". Only the alleged perpetrator is.
    conditional = (
        "narrative",
        "child_seen",
        "child_spoken_to",
        "child_words",
        "child_demeanour",
        "child_not_seen_reason",
        "officer_grade",
        "immediate_actions",
    )

    SECTIONS = (
        ("The concern", ("categories", "narrative", "perpetrator_description")),
        (
            "The voice of the child",
            ("child_seen", "child_spoken_to", "child_words", "child_demeanour", "child_not_seen_reason"),
        ),
        ("Risk and action", ("officer_grade", "immediate_actions")),
    )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


class SubmitForm(InputForm):
    operation = operations.referral_submit


class PersonAddForm(InputForm):
    operation = operations.person_add

    person = forms.CharField(widget=forms.HiddenInput)
    role = radios("How are they involved?", PersonRole.choices)


class PersonRemoveForm(InputForm):
    operation = operations.person_remove

    person = forms.CharField(widget=forms.HiddenInput)
    role = forms.CharField(widget=forms.HiddenInput)


# --- After submission ---------------------------------------------------------------------------------


class CorrectionForm(InputForm):
    operation = operations.referral_correct

    text = text("The correction", rows=4, help_text="What was wrong and what is right. The original stays as it was.")


class AllocateForm(InputForm):
    operation = operations.referral_allocate

    officer = forms.CharField(label="CRSU officer", help_text="Type a name or collar number.", widget=UserPickerInput())


class RateForm(InputForm):
    operation = operations.referral_rate

    rag = radios("Rating", Rag.choices, help_text="The rating sets the time it should be shared within.")
    reason = text("Why this rating", rows=2)


class ResearchForm(InputForm):
    operation = operations.research_add

    source = forms.CharField(label="Where the information came from", help_text="For example, the intelligence system.")
    text = text("What the research found", rows=5)


class ReviewForm(InputForm):
    operation = operations.referral_review

    note = text("Your review", rows=4, help_text="Is the referral complete and the risk right? What should happen?")
    grade = radios("Risk grade, if you change it", OfficerGrade.choices)


class DecideForm(InputForm):
    operation = operations.referral_decide

    decision = radios("Decision", Decision.choices)
    lawful_basis = radios("Lawful basis", LawfulBasis.choices)
    reason = text(
        "Reason for the decision", rows=4, help_text="Why sharing is, or is not, necessary and proportionate."
    )
    agency = forms.ChoiceField(label="Partner agency to share with", choices=())
    include_restricted = forms.BooleanField(
        label="Include the CRSU's restricted research", required=False, widget=forms.CheckboxInput
    )

    conditional = ("agency",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(a.public_id), a.name) for a in agencies_active()]
        cast(forms.ChoiceField, self.fields["agency"]).choices = [("", "Choose an agency"), *choices]


class ApproveForm(InputForm):
    operation = operations.decision_approve

    note = text("Note", rows=2)


class StrategyForm(InputForm):
    operation = operations.strategy_record

    held_on = GovukDateField(label="Date of the discussion", time=False)
    attendees = text("Who took part", rows=3, help_text="Names and roles.")
    agencies = text("Agencies", rows=3, help_text="One a line, for example: Children's services, Police, Health.")
    outcome = radios("Outcome", StrategyOutcome.choices)
    decision = text("What was decided", rows=4)
    icpc = forms.BooleanField(
        label="An initial child protection conference is to be held", required=False, widget=forms.CheckboxInput
    )
