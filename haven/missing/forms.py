"""GOV.UK forms for the missing-child journey. Rules live in the services; forms only parse input."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from haven.missing.choices import (
    CraDecision,
    EnquiryPriority,
    EnquiryType,
    ExploitationOutcome,
    InterviewMode,
    MissingFrom,
    Obligation,
    ReasonMissing,
    RhiStatus,
    RiskGrade,
    WhereFound,
)
from haven.people.choices import Sex

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
YES_NO = [("yes", "Yes"), ("no", "No")]


def tri(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def untri(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown") if value is not None else "unknown"  # type: ignore[arg-type]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def when(label: str, *, required: bool = True, help_text: str = "", error: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text or "Date and time, for example 3 December 2026 at 14:30.",
        widget=LocalDateTimeInput(),
        error_messages={
            "required": error or f"Enter {label[0].lower()}{label[1:]}",
            "invalid": "Enter a real date and time",
        },
    )


def text(label: str, *, required: bool = True, rows: int = 3, help_text: str = "", limit: int = 10_000) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def line(label: str, *, required: bool = True, help_text: str = "", limit: int = 200) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=limit,
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def radios(label: str, choices: Any, *, required: bool = True, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose {label[0].lower()}{label[1:]}"},
    )


def select(label: str, choices: Any, *, required: bool = True, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Choose…"), *choices],
        required=required,
        help_text=help_text,
        error_messages={"required": f"Choose {label[0].lower()}{label[1:]}"},
    )


class FindChildForm(forms.Form):
    q = forms.CharField(label="Child's name", max_length=200, required=False)
    date_of_birth = forms.DateField(
        label="Date of birth (if known)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date of birth"},
    )


class NewChildForm(forms.Form):
    forenames = line("First names")
    surname = line("Last name")
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date of birth"},
    )
    sex = radios("Sex", Sex.choices, required=False)
    duplicate_reason = text(
        "Why is this a new person and not one of the matches?",
        required=False,
        help_text="Only needed if Haven finds people who may be this child.",
    )


class ReportForm(forms.Form):
    """The short first form: under two minutes for a trained user."""

    informant_name = line("Name of the person reporting")
    informant_relationship = line("Their relationship to the child", required=False, limit=100)
    informant_contact = line("Their phone number or other contact", required=False)
    last_seen_at = when("When was the child last seen?", error="Enter when the child was last seen")
    last_seen_where = line("Where was the child last seen?", limit=300)
    missing_from = radios("Where did the child go missing from?", MissingFrom.choices)
    circumstances = text("Circumstances", help_text="What happened, what they were doing and intending.")
    out_of_character = radios("Is this out of character?", YES_NO_UNKNOWN, required=False)
    looked_after = radios(
        "Is the child looked after by a local authority?",
        YES_NO,
        help_text="Taken from the child's flags; change it if you know better.",
    )
    responsible_authority = line(
        "Responsible local authority", required=False, help_text="Needed for a looked-after child."
    )
    host_authority = line("Host local authority, if placed out of area", required=False)
    philomena_exists = radios("Does a Philomena form exist?", YES_NO_UNKNOWN, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)


class SourceForm(forms.Form):
    information = text("Information given", required=False, rows=2)
    provider_name = line("Given by (name)", required=False)
    provider_contact = line("Their contact details", required=False)
    obtained_at = when("When it was obtained", required=False)


SourceFormSet = forms.formset_factory(SourceForm, extra=0, min_num=1, max_num=20)


class GradeForm(forms.Form):
    grade = radios("Risk grade", RiskGrade.choices)
    rationale = text("Rationale", rows=4, help_text="Why this grade: what you relied on and what you weighed.")
    agreed_actions = text(
        "Actions agreed with the person reporting",
        required=False,
        help_text="Needed for very low risk, with a latest review time.",
    )
    next_review_due = when(
        "Next review (latest review time)",
        required=False,
        help_text="Leave empty to use the force's review interval for the grade.",
    )
    floor_override_reason = text(
        "Reason for grading a child below the force's minimum",
        required=False,
        help_text="Supervisors only: the override is recorded with your name.",
    )
    cra_decision = radios(
        "Child Rescue Alert consideration",
        CraDecision.choices,
        required=False,
        help_text="Needed for a child at medium or high risk.",
    )
    cra_reason = text("Reason for the Child Rescue Alert decision", required=False, rows=2)


class ObligationForm(forms.Form):
    obligation = select("What are you recording?", Obligation.choices)
    at = when("When", required=False, help_text="Leave empty for now.")
    officer = line("Officer's username", required=False, help_text="For the senior manager or investigating officer.")
    note = text("Media strategy decision", required=False)


class EnquiryForm(forms.Form):
    type = select("Type of enquiry", EnquiryType.choices)
    description = text("What needs to be done", help_text="Name the place, person or contact.")
    priority = radios("Priority", EnquiryPriority.choices)
    due_at = when("Due by", required=False, help_text="Leave empty for the force's default.")
    allocated_to = line("Allocate to (username)", required=False, limit=150)


class AllocateForm(forms.Form):
    to_user = line("Allocate to (username)", limit=150)


class ResultForm(forms.Form):
    result = text("Result", rows=4, help_text="What was done and what was found.")


class ReasonForm(forms.Form):
    reason = text("Reason", limit=2_000)


class ReviewForm(forms.Form):
    decision = text(
        "Decision and direction", rows=4, help_text="Your review: is the grade right, what must be done next."
    )
    grade_confirmed = forms.BooleanField(label="I confirm the current risk grade", required=False, initial=True)
    next_review_due = when("Next review due", required=False, help_text="Leave empty for the force's interval.")


class FoundForm(forms.Form):
    found_at = when("When was the child found?", error="Enter when the child was found")
    found_where = line("Where was the child found?", limit=300)
    found_where_code = select("Kind of place", WhereFound.choices)
    found_by = line("Found by")
    condition = text("Condition on return", help_text="Injuries, intoxication, state of mind.")
    far_from_home = forms.BooleanField(label="Found far from home", required=False)
    with_adults_of_concern = forms.BooleanField(label="Found with adults of concern", required=False)
    rhi_authority = line(
        "Local authority for the return home interview",
        required=False,
        help_text="The responsible authority is told so it can offer the interview within 72 hours.",
    )
    rhi_recipient = line(
        "Who at the authority is told", required=False, help_text="A team or secure e-mail address.", limit=254
    )


class PreventionForm(forms.Form):
    done_at = when("When was the interview done?", error="Enter when the interview was done")
    mode = radios("How was it done?", InterviewMode.choices)
    why_went = text("Why did the child go missing?")
    what_happened = text("What happened while they were away?")
    with_whom = text("Who were they with?", required=False)
    harm_or_crime = text("Harm suffered, disclosures or crimes identified", required=False)
    safeguarding_referrals = text("Safeguarding referrals made", required=False)


class RhiForm(forms.Form):
    status = radios("Return home interview", RhiStatus.choices)
    offered_at = when("When was it offered?", required=False)
    completed_at = when("When was it done?", required=False)
    interviewer = line("Who did the interview?", required=False)
    reason = text("Why was it declined or not done?", required=False)
    themes = text("What the authority shared back (themes)", required=False)


class ExploitationForm(forms.Form):
    outcome = radios("What was done?", ExploitationOutcome.choices)
    note = text("Reasoning")


class CloseForm(forms.Form):
    reason_missing = select("Why did the child go missing?", ReasonMissing.choices)
    reason = text("Closing summary", limit=2_000)


class EscalateForm(forms.Form):
    crime_reference = line("Crime reference", limit=64)
    reason = text("Why it is escalated", limit=2_000)


class DeceasedForm(forms.Form):
    found_at = when("When was the child found?")
    found_where = line("Where?", limit=300)
    reason = text("Circumstances", limit=2_000)


class PlanActionsForm(forms.Form):
    actions = forms.MultipleChoiceField(
        label="Trigger-plan actions to raise as enquiries",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one trigger-plan action"},
    )

    def __init__(self, *args: Any, actions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["actions"]).choices = [(str(i), a.text) for i, a in enumerate(actions)]
