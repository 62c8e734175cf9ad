"""The GOV.UK date input (haven.ui.forms.GovukDateField): day, month and year boxes and a 24-hour time,
read as UK time, with GOV.UK's error messages written for people."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.template import Context, Template

from haven.ui.forms import GovukDateField, GovukDateInput, HavenForm

WHAT = "the date the child was last seen"


class LastSeen(HavenForm):
    last_seen_at = GovukDateField(label="When was the child last seen?", what=WHAT)


class Born(HavenForm):
    date_of_birth = GovukDateField(
        label="Date of birth", time=False, what="the date of birth", past=True, required=False
    )


def _errors(form_class: type[forms.Form], **boxes: str) -> list[str]:
    name = next(iter(form_class.base_fields))
    form = form_class({f"{name}-{part}": value for part, value in boxes.items()})
    assert not form.is_valid()
    return [str(message) for message in form.errors[name]]


@pytest.mark.parametrize(
    ("boxes", "message"),
    [
        ({"month": "12", "year": "2026", "time": "19:40"}, "The date the child was last seen must include a day"),
        ({"day": "7", "year": "2026", "time": "19:40"}, "The date the child was last seen must include a month"),
        ({"day": "7", "month": "12", "time": "19:40"}, "The date the child was last seen must include a year"),
        ({"year": "2026", "time": "19:40"}, "The date the child was last seen must include a day and month"),
        ({"month": "12", "time": "19:40"}, "The date the child was last seen must include a day and year"),
        ({"time": "19:40"}, "The date the child was last seen must include a day, month and year"),
        (
            {"day": "31", "month": "2", "year": "2026", "time": "19:40"},
            "The date the child was last seen must be a real date",
        ),
        (
            {"day": "x", "month": "2", "year": "2026", "time": "19:40"},
            "The date the child was last seen must be a real date",
        ),
        ({"day": "7", "month": "12", "year": "26", "time": "19:40"}, "Year must include 4 numbers"),
        ({"day": "7", "month": "12", "year": "2026"}, "Enter the time the child was last seen, like 19:40"),
        (
            {"day": "7", "month": "12", "year": "2026", "time": "7pm"},
            "Enter the time the child was last seen in 24-hour format, like 19:40",
        ),
        (
            {"day": "7", "month": "12", "year": "2026", "time": "24:10"},
            "Enter the time the child was last seen in 24-hour format, like 19:40",
        ),
        (
            {"day": "29", "month": "3", "year": "2026", "time": "01:30"},
            "There is no 01:30 on 29 March 2026 in UK time: the clocks went forward an hour",
        ),
    ],
)
def test_each_error_is_written_for_people(boxes: dict[str, str], message: str) -> None:
    assert _errors(LastSeen, **boxes) == [message]


def test_a_date_in_the_future_is_refused_where_it_must_be_past(clock: object) -> None:
    assert _errors(Born, day="1", month="1", year="2999") == ["The date of birth must be in the past"]


def test_nothing_typed_is_no_answer_and_a_required_field_says_so() -> None:
    form = LastSeen({})
    assert not form.is_valid()
    assert form.errors["last_seen_at"] == ["This field is required."]  # a plain form; an InputForm's model says more
    assert Born({}).is_valid()  # not required: None


def test_the_boxes_are_read_as_uk_time_and_given_as_an_aware_time() -> None:
    summer = LastSeen(
        {"last_seen_at-day": "7", "last_seen_at-month": "Jul", "last_seen_at-year": "2026", "last_seen_at-time": "1940"}
    )
    assert summer.is_valid(), summer.errors
    assert summer.cleaned_data["last_seen_at"].astimezone(UTC) == datetime(2026, 7, 7, 18, 40, tzinfo=UTC)
    winter = LastSeen(
        {
            "last_seen_at-day": "07",
            "last_seen_at-month": "december",
            "last_seen_at-year": "2026",
            "last_seen_at-time": "19.40",
        }
    )
    assert winter.is_valid(), winter.errors
    assert winter.cleaned_data["last_seen_at"].astimezone(UTC) == datetime(2026, 12, 7, 19, 40, tzinfo=UTC)
    # October's repeated hour is the first one (British Summer Time).
    repeated = LastSeen(
        {
            "last_seen_at-day": "25",
            "last_seen_at-month": "10",
            "last_seen_at-year": "2026",
            "last_seen_at-time": "01:30",
        }
    )
    assert repeated.is_valid()
    assert repeated.cleaned_data["last_seen_at"].astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert Born({"date_of_birth-day": "27", "date_of_birth-month": "3", "date_of_birth-year": "2012"}).is_valid()


def test_a_time_is_shown_in_uk_time_in_the_boxes() -> None:
    posted = GovukDateInput.post_data("at", datetime(2026, 7, 7, 18, 40, tzinfo=UTC))
    assert posted == {"at-day": "7", "at-month": "7", "at-year": "2026", "at-time": "19:40"}
    assert GovukDateInput.post_data("dob", date(2012, 3, 27), time=False) == {
        "dob-day": "27",
        "dob-month": "3",
        "dob-year": "2012",
    }


def _render(form: forms.Form) -> str:
    return Template("{% load govuk %}{% error_summary form %}{{ form }}").render(Context({"form": form}))


def test_the_page_shows_the_boxes_marks_only_those_in_error_and_the_summary_links_to_the_first() -> None:
    form = LastSeen({"last_seen_at-day": "7", "last_seen_at-year": "2026", "last_seen_at-time": "19:40"})
    assert not form.is_valid()
    html = _render(form)
    assert 'href="#id_last_seen_at-month"' in html  # the first box in error, not the field
    assert 'name="last_seen_at-day" type="text" inputmode="numeric" spellcheck="false" value="7"' in html  # as typed
    assert html.count("govuk-input--error") == 1  # only the month
    assert 'class="govuk-label govuk-date-input__label" for="id_last_seen_at-time">Time (24-hour)' in html
    whole = LastSeen(
        {"last_seen_at-day": "31", "last_seen_at-month": "2", "last_seen_at-year": "2026", "last_seen_at-time": "19:40"}
    )
    assert not whole.is_valid()
    html = _render(whole)
    assert 'href="#id_last_seen_at-day"' in html
    assert html.count("govuk-input--error") == 3  # the date's three boxes, not the time


def test_a_date_of_birth_box_asks_the_browser_for_a_birthday_only_when_told() -> None:
    field = GovukDateField(label="Date of birth", time=False, autocomplete="bday")
    html = Template("{{ form }}").render(Context({"form": type("F", (HavenForm,), {"dob": field})()}))
    assert 'autocomplete="bday-day"' in html
    assert "Time (24-hour)" not in html


def test_the_page_title_says_error_once_when_any_form_on_it_has_errors() -> None:
    page = Template("{% load govuk %}{% error_title %}{% if prefixed %}Error: {% endif %}Report{% enderror_title %}")
    failed = LastSeen({"last_seen_at-day": "7"})
    failed.is_valid()
    assert page.render(Context({"form": failed})) == "Error: Report"
    assert page.render(Context({"rows": [failed]})) == "Error: Report"
    assert page.render(Context({"summary": {"errors": [{"text": "x"}]}})) == "Error: Report"
    assert page.render(Context({"form": failed, "prefixed": True})) == "Error: Report"  # never twice
    assert page.render(Context({"form": LastSeen()})) == "Report"
