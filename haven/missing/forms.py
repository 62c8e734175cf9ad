"""GOV.UK forms for the missing-child journey. They only present (labels, hints, widgets): every field
rule is in the input models (haven.missing.schemas), and the services decide the numbered rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from haven.cases.selectors import queue_areas
from haven.missing import operations
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
from haven.missing.schemas import EnquiryRaiseIn, InformationSourceIn
from haven.people.choices import Sex
from haven.people.schemas import PersonCreateIn
from haven.ui.forms import GovukDateField, UserPickerInput
from haven.ui.operations import InputForm

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
YES_NO = [("yes", "Yes"), ("no", "No")]


class YesNo(forms.ChoiceField):
    """Yes / No (/ Not known) radios, given to the input model as True, False or None (no answer)."""

    widget = forms.RadioSelect

    def to_python(self, value: Any) -> bool | None:
        return {"yes": True, "no": False}.get(str(value))


EXAMPLE_WHEN = "For example, 27 3 2026 and 19:40 (24-hour clock)."


def when(label: str, *, help_text: str = "") -> GovukDateField:
    """A date and a 24-hour time in the GOV.UK date input, read as UK time."""
    return GovukDateField(label=label, time=True, help_text=f"{help_text} {EXAMPLE_WHEN}".strip())


def born(label: str, **kwargs: Any) -> GovukDateField:
    """A date of birth in the GOV.UK date input (day, month, year)."""
    return GovukDateField(label=label, time=False, help_text="For example, 27 3 2012.", **kwargs)


def text(label: str, *, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


def line(label: str, *, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text)


def radios(label: str, choices: Any, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, help_text=help_text, widget=forms.RadioSelect)


def select(label: str, choices: Any, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "Choose…"), *choices], help_text=help_text)


# --- Report ---------------------------------------------------------------------------------------------


class FindChildForm(forms.Form):
    """The search for the child (a read: nothing is written)."""

    q = forms.CharField(label="Child's name", max_length=200, required=False)
    date_of_birth = born("Date of birth (if known)", required=False, what="the date of birth", past=True)


class NewChildForm(InputForm):
    """A child not yet on the register, recorded through haven.people's ``person_create``."""

    model = PersonCreateIn

    forenames = line("First names")
    surname = line("Last name")
    date_of_birth = born("Date of birth")
    sex = radios("Sex", Sex.choices)
    duplicate_reason = text(
        "Why is this a new person and not one of the matches?",
        help_text="Only needed if Haven finds people who may be this child.",
    )
    # The service's list of likely matches lands here; the page lists them itself.
    likely_matches = forms.CharField(widget=forms.HiddenInput, required=False)

    def values(self) -> dict[str, Any]:
        values = super().values()
        if not values.get("sex"):
            values.pop("sex", None)  # left unanswered: the sex is not known (the model's default)
        return values


class ReportForm(InputForm):
    """The report, on one page in the order a call goes (then "check your answers"): under two minutes
    for a practised call handler. The child comes from the search; what their record already says
    (looked after, Philomena, placement, phone numbers, accounts, photograph) is filled in."""

    operation = operations.episode_report

    # The call
    informant_name = line("Name of the person reporting")
    informant_relationship = line(
        "Their relationship to the child", help_text="For example, mother, residential care worker, teacher."
    )
    informant_contact = line("Their phone number or other contact")
    called_at = when("When did they call?", help_text="Now, unless you are typing up an earlier call.")
    # Last seen
    last_seen_at = when("When was the child last seen?")
    last_seen_where = line("Where was the child last seen?")
    missing_from = radios("Where did the child go missing from?", MissingFrom.choices)
    placement_address = text(
        "Address of the children's home or foster placement",
        rows=2,
        help_text="Only for a child missing from a placement. Kept on the child's record.",
    )
    circumstances = text("What happened?", help_text="What they were doing, what they said, where they may go.")
    out_of_character = YesNo(label="Is this out of character?", choices=YES_NO_UNKNOWN)
    # Description
    height = line("Height", help_text="For example, 5 feet 4 or 163 cm.")
    build = line("Build", help_text="For example, slim, medium or heavy.")
    hair = line("Hair", help_text="Colour, length and style.")
    features = text("Distinguishing features", rows=2, help_text="Scars, tattoos, piercings, glasses, accent.")
    clothing = text("What were they wearing?", rows=2)
    photo = forms.FileField(
        label="A recent photograph",
        help_text="A JPEG, PNG or WebP image, smaller than 5 MB. It replaces the photograph on the child's record.",
    )
    # Reaching them
    phone_numbers = text("The child's phone numbers", rows=2, help_text="One a line. Kept on the child's record.")
    social_media = text(
        "The child's social media", rows=2, help_text="One a line, like Snapchat: lily_c. Kept on the child's record."
    )
    risks_to_finder = text(
        "Anything an officer who finds them should know",
        rows=2,
        help_text="Violence, weapons, self-harm, illness or medication.",
    )
    # What the record keeps (M-13)
    looked_after = YesNo(
        label="Is the child looked after by a local authority?",
        choices=YES_NO,
        help_text="From the child's record; change it if you know better (the record is updated).",
    )
    responsible_authority = line("Responsible local authority", help_text="Needed for a looked-after child.")
    host_authority = line("Host local authority, if placed out of area")
    philomena_exists = YesNo(label="Does a Philomena form exist?", choices=YES_NO_UNKNOWN)
    area = select(
        "Which area is the child missing from?", (), help_text="Its team's duty sergeant allocates the report."
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput)

    SECTIONS = (
        ("The call", ("informant_name", "informant_relationship", "informant_contact", "called_at")),
        (
            "When and where they were last seen",
            (
                "last_seen_at",
                "last_seen_where",
                "missing_from",
                "placement_address",
                "circumstances",
                "out_of_character",
            ),
        ),
        ("What they look like", ("height", "build", "hair", "features", "clothing")),
        ("Reaching them, and risks", ("phone_numbers", "social_media", "risks_to_finder")),
        (
            "What the child's record says",
            ("looked_after", "responsible_authority", "host_authority", "philomena_exists"),
        ),
    )
    """The page's sections, in the order a call goes: its headings and their questions."""

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.SECTIONS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Asked only where the force has more than one area (force policy); else the one area's team.
        areas = [a["area"] for a in queue_areas()]
        if len(areas) > 1:
            cast(forms.ChoiceField, self.fields["area"]).choices = [("", "Choose an area"), *((a, a) for a in areas)]
        else:
            del self.fields["area"]


# --- Risk -----------------------------------------------------------------------------------------------


class SourceForm(InputForm):
    """One information source (an "add another" row). A wholly blank row is left out."""

    model = InformationSourceIn

    information = text("Information given", rows=2)
    provider_name = line("Given by (name)")
    provider_contact = line("Their contact details")
    obtained_at = when("When it was obtained")

    def is_blank(self) -> bool:
        return not any(str(value).strip() for value in self.values().values())


SourceFormSet = forms.formset_factory(SourceForm, extra=0, min_num=1, max_num=20)


class GradeForm(InputForm):
    operation = operations.risk_assess

    grade = radios("Risk grade", RiskGrade.choices)
    rationale = text("Rationale", rows=4, help_text="Why this grade: what you relied on and what you weighed.")
    agreed_actions = text(
        "Actions agreed with the person reporting",
        help_text="Needed for very low risk, with a latest review time.",
    )
    next_review_due = when(
        "Next review (latest review time)",
        help_text="Leave empty to use the force's review interval for the grade.",
    )
    floor_override_reason = text(
        "Reason for grading a child below the force's minimum",
        help_text="Supervisors only: the override is recorded with your name.",
    )
    cra_decision = radios(
        "Child Rescue Alert consideration", CraDecision.choices, help_text="Needed for a child at medium or high risk."
    )
    cra_reason = text("Reason for the Child Rescue Alert decision", rows=2)


class ObligationForm(InputForm):
    operation = operations.obligation_record

    obligation = select("What are you recording?", Obligation.choices)
    at = when("When", help_text="Leave empty for now.")
    officer = line("Officer's username", help_text="For the senior manager or investigating officer.")
    note = text("Media strategy decision")


class InvestigatingOfficerForm(InputForm):
    """The investigating officer of a high-risk episode, chosen from a list that says, for each officer,
    whether the gate allows them (T-01). The page draws the radios itself, refused ones disabled."""

    operation = operations.obligation_record

    officer = forms.ChoiceField(label="Investigating officer", widget=forms.RadioSelect)


# --- Enquiries ------------------------------------------------------------------------------------------


class EnquiriesForm(InputForm):
    """Several enquiries at once: the rows are EnquiryRowForm ("Add another enquiry")."""

    operation = operations.enquiries_raise


class EnquiryRowForm(InputForm):
    """One enquiry of the page's rows, named ``enquiries-<n>-<field>``. A wholly blank row is left out."""

    model = EnquiryRaiseIn

    type = select("Type of enquiry", EnquiryType.choices)
    description = text("What needs to be done", help_text="Name the place, person or contact.")
    priority = radios("Priority", EnquiryPriority.choices, help_text="Sets when it is due, unless you give a time.")
    due_at = when("Due by", help_text="Leave empty for the priority's time.")
    allocated_to = forms.CharField(
        label="Allocate to",
        help_text="Their name, collar number or team; leave empty for now.",
        widget=UserPickerInput(),
    )

    def is_blank(self) -> bool:
        values: dict[str, Any] = self.values()
        return not any(
            str(values.get(name) or "").strip() for name in ("type", "description", "due_at", "allocated_to")
        )


class AllocateForm(InputForm):
    operation = operations.enquiry_allocate

    to_user = forms.CharField(
        label="Allocate to", help_text="Start typing their name, collar number or team.", widget=UserPickerInput()
    )


class ResultForm(InputForm):
    operation = operations.enquiry_complete

    result = text("Result", rows=4, help_text="What was done and what was found.")


class EnquiryCancelForm(InputForm):
    operation = operations.enquiry_cancel

    reason = text("Reason")


class PlanActionsForm(InputForm):
    operation = operations.plan_actions_raise

    actions = forms.MultipleChoiceField(
        label="Trigger-plan actions to raise as enquiries", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, actions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["actions"]).choices = [(str(i), a.text) for i, a in enumerate(actions)]


# --- Supervision, found, interviews ---------------------------------------------------------------------


class ReviewForm(InputForm):
    operation = operations.review_record

    decision = text(
        "Decision and direction", rows=4, help_text="Your review: is the grade right, what must be done next."
    )
    grade_confirmed = forms.BooleanField(label="I confirm the current risk grade", initial=True)
    next_review_due = when("Next review due", help_text="Leave empty for the force's interval.")


class FoundForm(InputForm):
    operation = operations.episode_found

    found_at = when("When was the child found?")
    found_where = line("Where was the child found?")
    found_where_code = select("Kind of place", WhereFound.choices)
    found_by = line("Found by")
    condition = text("Condition on return", help_text="Injuries, intoxication, state of mind.")
    far_from_home = forms.BooleanField(label="Found far from home")
    with_adults_of_concern = forms.BooleanField(label="Found with adults of concern")
    rhi_authority = line(
        "Local authority for the return home interview",
        help_text="The responsible authority is told so it can offer the interview within 72 hours.",
    )
    rhi_recipient = line("Who at the authority is told", help_text="A team or secure e-mail address.")


class PreventionForm(InputForm):
    operation = operations.prevention_interview_record

    done_at = when("When was the interview done?")
    mode = radios("How was it done?", InterviewMode.choices)
    why_went = text("Why did the child go missing?")
    what_happened = text("What happened while they were away?")
    with_whom = text("Who were they with?")
    harm_or_crime = text("Harm suffered, disclosures or crimes identified")
    safeguarding_referrals = text("Safeguarding referrals made")


class WaiveForm(InputForm):
    operation = operations.prevention_waive

    reason = text("Reason")


class RhiForm(InputForm):
    operation = operations.rhi_update

    status = radios("Return home interview", RhiStatus.choices)
    offered_at = when("When was it offered?")
    completed_at = when("When was it done?")
    interviewer = line("Who did the interview?")
    reason = text("Why was it declined or not done?")
    themes = text("What the authority shared back (themes)")


class ExploitationForm(InputForm):
    operation = operations.exploitation_record

    outcome = radios("What was done?", ExploitationOutcome.choices)
    note = text("Reasoning")


# --- Ending ---------------------------------------------------------------------------------------------


class SightingForm(InputForm):
    operation = operations.sighting_record

    seen_at = when("When was the child seen?")
    where = line("Where were they seen?", help_text="As exactly as you can: a street, a shop, a bus route.")
    information = text(
        "What did you see or hear?", help_text="Who they were with, how they seemed, which way they went."
    )
    source = line("Who saw them?", help_text="Leave empty if you saw them yourself.")


class SightingReportForm(InputForm):
    operation = operations.sighting_report

    child_name = line("The child's full name", help_text="As you know it: first names and last name.")
    date_of_birth = born("Their date of birth, if you know it")
    seen_at = when("When was the child seen?")
    where = line("Where were they seen?", help_text="As exactly as you can: a street, a shop, a bus route.")
    information = text("What did you see or hear?", help_text="Who they were with, how they seemed, where they went.")
    source = line("Who saw them?", help_text="Leave empty if you saw them yourself.")


class CloseForm(InputForm):
    operation = operations.episode_close
    conditional = ("override_reason",)  # needed only while a review or notice is outstanding

    reason_missing = select("Why did the child go missing?", ReasonMissing.choices)
    reason = text("Closing summary")
    override_reason = text(
        "Why the episode may close with this outstanding",
        help_text="Only if it cannot wait: what is outstanding stays on the record with your reason.",
    )

    def __init__(
        self, *args: Any, supervisor: bool = False, outstanding: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not (supervisor and outstanding):
            del self.fields["override_reason"]
        else:
            self.fields["override_reason"].help_text = (
                " ".join(outstanding) + " " + str(self.fields["override_reason"].help_text)
            )


class CancelForm(InputForm):
    operation = operations.episode_cancel

    reason = text("Reason")


class EscalateForm(InputForm):
    operation = operations.episode_escalate

    crime_reference = line("Crime reference")
    reason = text("Why it is escalated")


class DeceasedForm(InputForm):
    operation = operations.episode_found_deceased

    found_at = when("When was the child found?")
    found_where = line("Where?")
    reason = text("Circumstances")
