"""GOV.UK forms for a child's detention. They only present (labels, hints, widgets): every field rule is in
the input models (haven.custody.schemas), and the services decide the numbered rules."""

from __future__ import annotations

from typing import Any

from django import forms

from haven.custody import operations
from haven.custody.choices import (
    AaOccupation,
    AaType,
    AccommodationType,
    BailDecision,
    CellOccupants,
    CertificateReason,
    Circumstance,
    DetentionOutcome,
    ExtensionKind,
    LaResponse,
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


def when(label: str) -> GovukDateField:
    return GovukDateField(label=label, time=True)


class FindChildForm(HavenForm):
    q = forms.CharField(label="The child's name", max_length=200, required=False)


class DetentionForm(InputForm):
    operation = operations.detention_record
    conditional = ("aa_requested_at",)

    child = forms.CharField(widget=forms.HiddenInput)
    custody_reference = forms.CharField(label="Custody record number")
    appears_under_18 = YesNo(
        label="Does the child appear to be under 18?",
        help_text="Treat anyone who appears to be under 18 as a child unless there is clear evidence they are older.",
    )
    clear_evidence_over_18 = YesNo(label="Is there clear evidence they are 18 or over?")
    arrested_at = when("Time of arrest")
    relevant_time = GovukDateField(
        label="Relevant time",
        help_text="Usually the arrival at the police station. Left blank, the time of arrest is used. "
        "For example, 27 3 2026 and 19:40 (24-hour clock).",
    )
    authorised_at = GovukDateField(
        label="Time detention was authorised",
        help_text="Left blank, the time of arrest is used. For example, 27 3 2026 and 19:40 (24-hour clock).",
    )
    offences = text("Offences")
    solicitor_requested = YesNo(label="Did the child ask for a solicitor?")
    aa_requested_at = when("Time the appropriate adult was asked to come")


class AaForm(InputForm):
    operation = operations.aa_record

    aa_type = radios("Who is the appropriate adult?", AaType.choices)
    aa_name = forms.CharField(label="Their name")
    aa_occupation = radios("Are they any of these?", AaOccupation.choices)
    aa_connected = YesNo(label="Are they a suspect, victim or witness in the offence?")
    aa_arrived_at = when("Time they arrived")


class WelfareForm(InputForm):
    operation = operations.welfare_record

    welfare_person = forms.CharField(label="Who is responsible for the child's welfare and was told?")
    welfare_informed_at = when("Time they were told")


class CellForm(InputForm):
    operation = operations.cell_record

    cell = forms.CharField(label="Cell or room")
    cell_occupants = radios("Who else is in it?", CellOccupants.choices)


class InterviewForm(InputForm):
    operation = operations.interview_record
    conditional = ("urgent_authorised_by", "urgent_reason")

    started_at = when("Time the interview started")
    ended_at = when("Time it ended")
    aa_present = YesNo(label="Was the appropriate adult present?")
    urgent_authorised_by = forms.CharField(
        label="Superintendent who authorised an urgent interview",
        help_text="Only if the appropriate adult was not present. Type a name or collar number.",
        widget=UserPickerInput(),
    )
    urgent_reason = text("Why the interview could not wait")


class ReviewForm(InputForm):
    operation = operations.review_record

    done_at = when("Time of the review")
    continued = YesNo(label="Does detention continue?")
    aa_present = YesNo(label="Was the appropriate adult present?")
    note = text("Review notes")


class ExtensionForm(InputForm):
    operation = operations.extension_record
    conditional = ("warrant_reference",)

    kind = radios("Kind of extension", ExtensionKind.choices)
    until = when("Detention extended to")
    warrant_reference = forms.CharField(label="Warrant reference", help_text="Only for a warrant of further detention.")
    reason = text("Reason")


class ChargeForm(InputForm):
    operation = operations.charge_record
    conditional = ("bail_refused_grounds", "court_at")

    charged_at = when("Time of charge")
    charges = text("Charges")
    bail_decision = radios("Bail decision", BailDecision.choices)
    bail_refused_grounds = text("Grounds for refusing bail", help_text="Only if bail was refused.")
    court_at = when("Next court sitting")


class LaRequestForm(InputForm):
    operation = operations.la_request_record
    conditional = ("serious_harm_rationale",)

    la_requested_at = when("Time of the request")
    la_authority = forms.CharField(label="Local authority")
    la_type = radios(
        "Accommodation requested",
        AccommodationType.choices,
        help_text="Request secure accommodation only when other accommodation would not protect the public "
        "from serious harm.",
    )
    serious_harm_rationale = text("Why other accommodation would not protect the public from serious harm")


class LaResponseForm(InputForm):
    operation = operations.la_response_record

    la_response = radios("The local authority's response", LaResponse.choices)
    la_response_at = when("Time of the response")
    transferred_at = when("Time the child was transferred")


class CertificateForm(InputForm):
    operation = operations.certificate_record
    conditional = ("circumstances", "details")

    reason = radios("Why does the child stay at the police station?", CertificateReason.choices)
    circumstances = forms.MultipleChoiceField(
        label="What makes the move impracticable?",
        choices=Circumstance.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. A lack of a bed does not, on its own, make a move impracticable.",
    )
    details = text("Specify the circumstances, or the serious harm the public must be protected from", rows=5)
    monitoring_inspector = forms.CharField(
        label="Inspector who monitors the case", help_text="Type a name or collar number.", widget=UserPickerInput()
    )


class CertificateReviewForm(InputForm):
    operation = operations.certificate_review

    note = text("Your review of the certificate", rows=5)


class EndForm(InputForm):
    operation = operations.detention_end

    outcome = radios("How did the detention end?", DetentionOutcome.choices)
    ended_at = when("Time the child left custody")
    note = text("Notes")
