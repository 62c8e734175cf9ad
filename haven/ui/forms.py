"""GOV.UK Design System rendering for every Django form: error summary, labels, hints, errors."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from datetime import time as dt_time
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import timezone


class GovukFormRenderer(TemplatesSetting):
    """Renders ``{{ form }}`` and ``{{ field.as_field_group }}`` with GOV.UK markup."""

    form_template_name = "ui/forms/form.html"
    field_template_name = "ui/forms/field.html"


def widget_kind(field: forms.BoundField) -> str:
    """The GOV.UK component that suits a field's widget."""
    widget = field.field.widget
    if isinstance(widget, GovukDateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "input": "govuk-input",
}


def render_widget(field: forms.BoundField) -> str:
    kind = widget_kind(field)
    css = _CLASSES.get(kind, "")
    if field.errors and css:
        css += f" {css}--error"
    attrs: dict[str, Any] = {}
    if css:
        existing = field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{css} {existing}".strip()
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


class HavenForm(forms.Form):
    """Base form: remembers the first error for the page title and the error summary."""

    template_name = "ui/forms/form.html"


class UserPickerInput(forms.TextInput):
    """A text input for a person that user-picker.js (loaded on every page) turns into a combobox of
    matches by name, collar number and team (ui/user_picker.html). Without script it stays a text box:
    the service's resolver (haven.accounts.selectors.user_by_reference) accepts a name, collar number or
    username."""

    template_name = "ui/forms/user_picker_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"class": "haven-user-picker__input", "autocomplete": "off", "spellcheck": "false"}
        super().__init__({**base, **(attrs or {})})


# --- The GOV.UK date input (day, month, year) and a 24-hour time ---------------------------------------

DATE_PARTS = ("day", "month", "year")
TIME_PART = "time"
PART_LABELS = {"day": "Day", "month": "Month", "year": "Year", "time": "Time (24-hour)"}
PART_WIDTHS = {"day": 2, "month": 2, "year": 4, "time": 5}
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_TIME = re.compile(r"^(?P<hour>[0-9]{1,2})\s*[:.h]?\s*(?P<minute>[0-9]{2})$")


class GovukDateInput(forms.Widget):
    """The GOV.UK date input: day, month and year boxes (named ``<name>-day`` …), and with ``time`` a
    fourth box for a 24-hour time (``<name>-time``, "19:40"). Rendered by ``ui/forms/field.html``
    (kind "date"); its value is the boxes as typed, so a page sent back shows them as they were."""

    template_name = "ui/forms/date_input_widget.html"

    def __init__(self, *, time: bool, autocomplete: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.time = time
        self.autocomplete = autocomplete  # "bday" for a date of birth: bday-day, bday-month, bday-year

    @property
    def parts(self) -> tuple[str, ...]:
        return (*DATE_PARTS, TIME_PART) if self.time else DATE_PARTS

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {part: str(data.get(f"{name}-{part}", "") or "") for part in self.parts}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in self.parts)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-day" if id_ else id_

    def format_value(self, value: Any) -> dict[str, str]:
        """The boxes for ``value``: as typed (a dict), or a date or time shown in UK time."""
        return boxes(value, time=self.time)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["parts"] = date_parts(name, (attrs or {}).get("id", f"id_{name}"), self, value, errors=())
        return context

    @staticmethod
    def post_data(name: str, value: datetime | date | None, *, time: bool = True) -> dict[str, str]:
        """What a browser posts for ``value`` in the boxes of field ``name`` (for tests and scripts)."""
        return {f"{name}-{part}": text for part, text in boxes(value, time=time).items()}


def boxes(value: Any, *, time: bool) -> dict[str, str]:
    parts = (*DATE_PARTS, TIME_PART) if time else DATE_PARTS
    if isinstance(value, dict):
        return {part: str(value.get(part, "") or "") for part in parts}
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        shown = {"day": str(local.day), "month": str(local.month), "year": str(local.year)}
        if time:
            shown[TIME_PART] = f"{local:%H:%M}"
        return shown
    if isinstance(value, date):
        shown = {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return {**shown, TIME_PART: ""} if time else shown
    return dict.fromkeys(parts, "")


def date_parts(name: str, id_: str, widget: GovukDateInput, value: Any, *, errors: Any) -> list[dict[str, Any]]:
    """Each box of a date input as the template draws it: name, id, label, value, width and whether it
    is in error (GOV.UK marks only the boxes an error names, else all of them)."""
    shown = boxes(value, time=widget.time)
    named: set[str] = set()
    for error in errors:
        named.update((getattr(error, "params", None) or {}).get("parts", ()))
    return [
        {
            "name": f"{name}-{part}",
            "id": f"{id_}-{part}",
            "label": PART_LABELS[part],
            "value": shown.get(part, ""),
            "width": PART_WIDTHS[part],
            "error": bool(errors) and (not named or part in named),
            "inputmode": "numeric" if part != TIME_PART else "text",
            "autocomplete": f"{widget.autocomplete}-{part}" if widget.autocomplete and part != TIME_PART else "",
        }
        for part in widget.parts
    ]


class GovukDateField(forms.Field):
    """A date (``time=False``) or a date and time (``time=True``) in the GOV.UK date input, read as UK
    time (Europe/London) and given as a ``date`` or an aware ``datetime``.

    Its errors are written for people, GOV.UK style, using ``what``, the noun phrase of the question
    ("the date the child was last seen"): "… must include a month", "… must be a real date", "Enter
    the time …, like 19:40". On an :class:`haven.ui.operations.InputForm` ``what`` defaults to the
    input model's ``Says`` phrase, and "Enter …" and "… must be in the past" are the model's to say.
    ``past``: a date after today is refused here (for forms with no input model, such as a search).
    """

    widget = GovukDateInput
    says_own_errors = True  # an InputForm shows these errors rather than passing the boxes to its model

    def __init__(
        self, *, time: bool = True, what: str = "", past: bool = False, autocomplete: str = "", **kwargs: Any
    ) -> None:
        kwargs.setdefault("widget", GovukDateInput(time=time, autocomplete=autocomplete))
        kwargs.setdefault(
            "help_text",
            "For example, 27 3 2026 and 19:40 (24-hour clock)." if time else "For example, 27 3 2012.",
        )
        super().__init__(**kwargs)
        self.time = time
        self.what = what
        self.past = past

    def _what(self) -> str:
        return self.what or f"the {str(self.label or 'date').removesuffix(' (optional)').lower()}"

    def _time_what(self) -> str:
        what = self._what()
        return "the time" + what.removeprefix("the date") if what.startswith("the date") else f"the time of {what}"

    def to_python(self, value: Any) -> date | datetime | None:
        if value is None or isinstance(value, date):
            return value
        typed = {part: str(text).strip() for part, text in boxes(value, time=self.time).items()}
        if not any(typed.values()):
            return None
        day = self._date(typed)
        if not self.time:
            result: date | datetime = day
        else:
            result = self._moment(day, typed[TIME_PART])
        if self.past and _later_than_now(result):
            raise _invalid(f"{_capital(self._what())} must be in the past", "past", DATE_PARTS)
        return result

    def _date(self, typed: dict[str, str]) -> date:
        what = _capital(self._what())
        missing = [part for part in DATE_PARTS if not typed[part]]
        if missing:
            return _refuse_missing(what, missing)
        month = MONTHS.get(typed["month"].lower(), typed["month"])
        numbers = {"day": typed["day"], "month": str(month), "year": typed["year"]}
        wrong = [part for part, text in numbers.items() if not text.isdigit()]
        if wrong:
            raise _invalid(f"{what} must be a real date", "invalid", wrong)
        if len(numbers["year"]) != 4:  # noqa: PLR2004 - GOV.UK: years of 4 numbers
            raise _invalid("Year must include 4 numbers", "year", ("year",))
        try:
            return date(int(numbers["year"]), int(numbers["month"]), int(numbers["day"]))
        except ValueError:
            raise _invalid(f"{what} must be a real date", "invalid", DATE_PARTS) from None

    def _moment(self, day: date, text: str) -> datetime:
        what = self._time_what()
        if not text:
            raise _invalid(f"Enter {what}, like 19:40", "time_missing", (TIME_PART,))
        found = _TIME.match(text)
        hour, minute = (int(found["hour"]), int(found["minute"])) if found else (99, 99)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):  # noqa: PLR2004 - the 24-hour clock
            raise _invalid(f"Enter {what} in 24-hour format, like 19:40", "time_invalid", (TIME_PART,))
        zone = timezone.get_default_timezone()
        naive = datetime.combine(day, dt_time(hour, minute))
        # An hour the clocks skip in March does not exist in UK time: say so rather than move it.
        moment = naive.replace(tzinfo=zone)
        if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
            raise _invalid(
                f"There is no {hour:02d}:{minute:02d} on {day:%-d %B %Y} in UK time: the clocks went forward an hour",
                "time_skipped",
                (TIME_PART,),
            )
        return moment  # in October's repeated hour, the first (British Summer Time) one


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _invalid(message: str, code: str, parts: Any) -> forms.ValidationError:
    return forms.ValidationError(message, code=code, params={"parts": tuple(parts)})


def _refuse_missing(what: str, missing: list[str]) -> date:
    words = " and ".join(missing) if len(missing) < 3 else "day, month and year"  # noqa: PLR2004
    raise _invalid(f"{what} must include a {words}", "incomplete", missing)


def _later_than_now(value: date | datetime) -> bool:
    from haven.core import clock

    now = clock.now()
    if isinstance(value, datetime):
        return value > now
    return value > timezone.localdate(now)
