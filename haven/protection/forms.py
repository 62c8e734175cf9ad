"""GOV.UK forms for police protection. They only present (labels, hints, widgets): every field rule is in
the input models (haven.protection.schemas), and the services decide the numbered rules."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms

from haven.core import operations as registered
from haven.protection import operations
from haven.protection.choices import (
    MAY_BE_NOT_DONE,
    Accommodation,
    ContactDecision,
    EpoApplicant,
    EpoOutcome,
    Item,
    Outcome,
    Power,
)
from haven.referrals.choices import StrategyOutcome
from haven.ui.forms import GovukDateField, HavenForm, UserPickerInput
from haven.ui.operations import InputForm

YES_NO = [("yes", "Yes"), ("no", "No")]


def text(label: str, *, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


def radios(label: str, choices: Any, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, help_text=help_text, widget=forms.RadioSelect)


def when(label: str, *, help_text: str = "For example, 27 3 2026 and 19:40 (24-hour clock).") -> GovukDateField:
    return GovukDateField(label=label, time=True, help_text=help_text)


def officer_picker(label: str = "Designated officer") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text="An inspector or above (force policy), trained as a designated officer, and not the officer "
        "who used the power. Start typing their name, collar number or team.",
        widget=UserPickerInput(),
    )


class FindChildForm(HavenForm):
    """A search of the person register (a read: nothing is written)."""

    q = forms.CharField(label="Child's name", max_length=200, required=False)


class StartForm(InputForm):
    operation = operations.protection_start

    child = forms.CharField(widget=forms.HiddenInput)
    power = radios("What did you do?", Power.choices)
    grounds = text(
        "Why did you believe the child would otherwise be likely to suffer significant harm?",
        rows=6,
        help_text="What you saw and heard, and why there was no time for an emergency protection order.",
    )
    started_at = when("When did police protection start?")
    place = forms.CharField(label="Where were you?", help_text="The address or place where you used the power.")
    designated_officer = officer_picker()


class AppointForm(InputForm):
    operation = operations.designated_officer_appoint

    designated_officer = officer_picker("New designated officer")


class AccommodationForm(InputForm):
    operation = operations.accommodation_record

    accommodation = radios(
        "Where is the child kept?",
        Accommodation.choices,
        help_text="A police station is not suitable accommodation: use it only in exceptional circumstances.",
    )
    address = text("Address", rows=3, help_text="A refuge's address is withheld from everyone without need-to-know.")
    station_justification = text(
        "Exceptional circumstances (police station only)",
        rows=3,
        help_text="Why the child must stay at a police station. The supervisor is alerted.",
    )

    conditional = ("station_justification",)


class NotificationForm(InputForm):
    operation = operations.notification_record

    item = forms.CharField(widget=forms.HiddenInput)
    done = forms.ChoiceField(
        label="Was it done?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Only a child not able to understand, or parents who could not be told, may be recorded as "
        "not done, with the reason.",
    )
    at = when("When?")
    to_whom = forms.CharField(label="Who was told?", help_text="Their name, role and organisation.")
    reason = text("Why was it not done?", rows=2, help_text="For example: the child is too young to understand.")
    note = text("Note", rows=2)

    conditional = ("to_whom", "reason")

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label, hint = TO_WHOM[item]
        self.fields["to_whom"].label, self.fields["to_whom"].help_text = label, hint
        if item in MAY_BE_NOT_DONE:
            self.fields["reason"].help_text = NOT_DONE_HINTS[item]
        else:  # the local authorities, the wishes and the inquiry are recorded once done: no "not done"
            del self.fields["done"]
            del self.fields["reason"]

    def values(self) -> dict[str, Any]:
        values = super().values()
        if "done" in values:
            values["done"] = values["done"] in ("yes", "True", True)
        return values


class InquiryForm(InputForm):
    operation = operations.inquiry_record

    summary = text(
        "Your inquiry",
        rows=8,
        help_text="What you found, who you spoke to, and whether there is still reasonable cause to believe the "
        "child would be likely to suffer significant harm if released.",
    )


class ContactForm(InputForm):
    operation = operations.contact_record

    person = forms.CharField(label="Who asked for contact?", help_text="Their name and how they relate to the child.")
    decision = radios("Your decision", ContactDecision.choices)
    reason = text("Why?", rows=3, help_text="What is reasonable and in the child's best interests (section 46(10)).")


class EpoForm(InputForm):
    operation = operations.epo_record

    applicant = radios("Who applied?", EpoApplicant.choices)
    court = forms.CharField(label="Court")
    applied_at = when("When was the application made?")


class EpoDecisionForm(InputForm):
    operation = operations.epo_decide

    application = forms.CharField(widget=forms.HiddenInput)
    outcome = radios("The court's decision", [(o.value, o.label) for o in (EpoOutcome.GRANTED, EpoOutcome.REFUSED)])
    decided_at = when("When did the court decide?")


class StrategyLinkForm(InputForm):
    operation = operations.strategy_link

    discussion = forms.CharField(
        label="Haven id of the strategy discussion",
        help_text="Shown at the foot of the strategy discussion's page.",
    )


@cache
def strategy_record_form() -> type[InputForm]:
    """The form of a strategy discussion recorded here, through the referrals' own write
    (``referrals.strategy_record``), built when first asked for: that write is registered when the
    referrals' routes are loaded, which need not be before this module is."""

    class StrategyRecordForm(InputForm):
        operation = registered.get("referrals.strategy_record")

        held_on = GovukDateField(label="Date of the discussion", time=False)
        attendees = text("Who took part", rows=3, help_text="Names and roles.")
        agencies = text("Agencies", rows=3, help_text="One a line, for example: Children's services, Police, Health.")
        outcome = radios("Outcome", StrategyOutcome.choices)
        decision = text("What was decided", rows=4)

    return StrategyRecordForm


class EndForm(InputForm):
    operation = operations.protection_end

    ended_at = when("When did police protection end?", help_text="No later than 72 hours after it started.")
    outcome = radios("How did it end?", Outcome.choices)
    outcome_reason = text("How it ended (other only)", rows=2)
    decision = text(
        "Your decision as designated officer",
        rows=5,
        help_text="What you decided and why: for example, that there is no longer reasonable cause to believe the "
        "child would be likely to suffer significant harm if released.",
    )

    conditional = ("outcome_reason",)


TO_WHOM = {
    Item.LA_FOUND: ("Who was told?", "Their name, role and local authority."),
    Item.LA_APPROPRIATE: (
        "Who was told?",
        "Their name, role and local authority, and that you told them where the child is.",
    ),
    Item.CHILD_INFORMED: ("Who told the child, and who was with them?", "For example, you, with the foster carer."),
    Item.WISHES: (
        "Who did you speak to?",
        "The child, and anyone who helped them say what they want. Their wishes go in the note.",
    ),
    Item.INQUIRY: ("Who have you spoken to so far?", "For example, the emergency duty team."),
    Item.PARENTS: (
        "Who was told?",
        "Each parent, anyone else with parental responsibility and the person the child lived with: record each one.",
    ),
}
NOT_DONE_HINTS = {
    Item.CHILD_INFORMED: "For example: the child is too young to understand.",
    Item.PARENTS: "For example: the father is not known; the mother could not be found after three calls.",
}

ITEM_TITLES = {
    Item.LA_FOUND: "Tell the local authority where the child was found",
    Item.LA_APPROPRIATE: "Tell the local authority where the child lives",
    Item.CHILD_INFORMED: "Tell the child what has happened and may happen",
    Item.WISHES: "Find out the child's wishes and feelings",
    Item.INQUIRY: "Start your inquiry",
    Item.PARENTS: "Tell the parents and the person the child lived with",
}
