"""The forms an administrator changes one policy setting with. Each kind of value has proper fields,
never JSON text: a duration in hours and minutes; a whole number; radios; a list of roles as
checkboxes; a list of objects (an escalation ladder's steps) as rows of fields with "Add another" and
"Remove". The form reads what was typed into the value the setting takes (minutes for a duration, the
list of objects for rows), saying in words what it cannot read; the value's own rules are its
setting's, checked by the service (haven.policy.services), and the reason's are the input model's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.http import QueryDict

from haven.policy import operations
from haven.policy.registry import Choices, Column, ColumnKind, Rows, Setting, ValueKind
from haven.policy.schemas import in_minutes
from haven.ui.forms import HavenForm
from haven.ui.operations import InputForm

MAX_HOURS = 60 * 24  # 60 days: the longest offset an escalation ladder takes (haven.deadlines.registry)
BEFORE, AFTER = "before", "after"


class YesNoField(forms.ChoiceField):
    def to_python(self, value: Any) -> Any:
        return {"yes": True, "no": False}.get(value, value)


def _number_input(label: str, width: int = 3) -> forms.CharField:
    """A GOV.UK number box: text with the number pad (inputmode numeric), so a leading 0 or a
    mistyped letter is read here and explained, not dropped by the browser."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(
            attrs={"class": f"govuk-input--width-{width}", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


def _whole(text: str, *, most: int) -> int | None:
    text = text.strip()
    if not text:
        return 0
    if not text.isdigit() or int(text) > most:
        return None
    return int(text)


def read_duration(hours: str, minutes: str, *, what: str) -> tuple[int | None, dict[str, str]]:
    """Whole minutes from an hours box and a minutes box (either may be blank, not both), or the errors
    by box: ``{"hours": "Enter the hours … as a whole number, like 2"}``."""
    errors: dict[str, str] = {}
    if not hours.strip() and not minutes.strip():
        return None, {"hours": f"Enter {what} in hours and minutes"}
    h = _whole(hours, most=MAX_HOURS)
    m = _whole(minutes, most=59)
    if h is None:
        errors["hours"] = f"Enter the hours of {what} as a whole number from 0 to {MAX_HOURS}, like 2"
    if m is None:
        errors["minutes"] = f"Enter the minutes of {what} as a whole number from 0 to 59, like 30"
    if errors or h is None or m is None:
        return None, errors
    return h * 60 + m, {}


# --- The setting's own form: the value (unless it is rows) and the reason ---------------------------


class PolicyChangeForm(InputForm):
    """The value's fields (by the setting's kind) and the reason. A duration is two boxes, ``value``
    (hours) and ``minutes``: the value's errors from the service land on the hours box."""

    operation = operations.policy_set

    value = forms.CharField(label="New value")  # replaced by the field(s) that suit the setting
    reason = forms.CharField(
        label="Why are you changing it?",
        help_text="For example the decision or document that sets the new policy. Kept with the change.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, setting: Setting[Any], current: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {**initial_for(setting, current), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.setting = setting
        required = self.fields["value"].required
        fields = _value_fields(setting)
        for field in fields.values():
            field.required = required and setting.kind != ValueKind.DURATION  # a duration: either box may be blank
        self.fields = {**fields, "reason": self.fields["reason"]}

    @property
    def is_duration(self) -> bool:
        return self.setting.kind == ValueKind.DURATION

    @property
    def duration_boxes(self) -> list[forms.BoundField]:
        return [self["value"], self["minutes"]]

    @property
    def is_rows(self) -> bool:
        return isinstance(self.setting.editor, Rows)

    def read_value(self) -> tuple[Any, bool]:
        """The value typed, as the service takes it, and whether it could be read; what could not is
        put on its field."""
        if self.is_duration:
            minutes, errors = read_duration(
                self._raw("value"), self._raw("minutes"), what=f"the {self.setting.label.lower()}"
            )
            for box, message in errors.items():
                self.add_error("value" if box == "hours" else "minutes", message)
            return minutes, not errors
        if isinstance(self.setting.editor, Choices):
            return self.data.getlist(self.add_prefix("value")) if isinstance(self.data, QueryDict) else [], True
        if self.is_rows:
            return None, True  # the rows are read by the editor
        field = self.fields["value"]
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix("value"))
        try:
            return field.to_python(raw), True
        except forms.ValidationError:
            return raw, True  # the input model and the setting say what is wrong with it, in their words

    def _raw(self, name: str) -> str:
        return str(self.data.get(self.add_prefix(name), "") or "")


def _value_fields(setting: Setting[Any]) -> dict[str, forms.Field]:
    label = "New value"
    if setting.kind == ValueKind.INTEGER:
        return {"value": forms.IntegerField(label=label, widget=forms.TextInput(attrs={"inputmode": "numeric"}))}
    if setting.kind == ValueKind.DURATION:
        return {"value": _number_input("Hours", 3), "minutes": _number_input("Minutes", 2)}
    if setting.kind == ValueKind.CHOICE:
        return {"value": forms.ChoiceField(label=label, choices=setting.choices, widget=forms.RadioSelect)}
    if setting.kind == ValueKind.BOOLEAN:
        return {"value": YesNoField(label=label, choices=(("yes", "Yes"), ("no", "No")), widget=forms.RadioSelect)}
    if isinstance(setting.editor, Choices):
        return {
            "value": forms.MultipleChoiceField(
                label=label,
                help_text="Select all that apply.",
                choices=setting.editor.choices,
                widget=forms.CheckboxSelectMultiple,
            )
        }
    return {}  # rows: the editor's row forms


def initial_for(setting: Setting[Any], value: Any) -> dict[str, Any]:
    """The fields' values for ``value`` (a Python value), to start the form from the value in force."""
    if setting.kind == ValueKind.BOOLEAN:
        return {"value": "yes" if value else "no"}
    if setting.kind == ValueKind.DURATION:
        hours, minutes = divmod(in_minutes(value), 60)
        return {"value": str(hours), "minutes": str(minutes)}
    if setting.kind == ValueKind.JSON:
        return {"value": list(value)} if isinstance(setting.editor, Choices) else {}
    return {"value": in_minutes(value)}


# --- Rows: a list of objects, one row of fields each ------------------------------------------------


def _column_fields(column: Column) -> dict[str, forms.Field]:
    if column.kind == ColumnKind.OFFSET:
        return {
            f"{column.key}-hours": _number_input("Hours", 3),
            f"{column.key}-minutes": _number_input("Minutes", 2),
            f"{column.key}-when": forms.ChoiceField(
                label="Before or after",
                required=False,
                choices=((BEFORE, "Before it is due"), (AFTER, "After it is due")),
            ),
        }
    if column.kind == ColumnKind.CHOICE:
        return {
            column.key: forms.ChoiceField(
                label=column.label, required=False, choices=(("", "Choose"), *column.choices), help_text=column.hint
            )
        }
    return {
        column.key: forms.CharField(
            label=column.label,
            required=False,
            max_length=column.max_length,
            help_text=column.hint,
            widget=forms.TextInput(attrs={"spellcheck": "false"}),
        )
    }


class RowForm(HavenForm):
    """One row of a :class:`Rows` setting (``row-<n>-<field>``): its columns' fields."""

    def __init__(self, *args: Any, editor: Rows, number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.number = number  # from 1, as people count
        for column in editor.columns:
            self.fields.update(_column_fields(column))

    def full_clean(self) -> None:  # read by ``read``, never by Django's validation
        self._errors = ErrorDict()
        self.cleaned_data: dict[str, Any] = {}

    def raw(self, name: str) -> str:
        return str(self.data.get(self.add_prefix(name), "") or "").strip() if self.is_bound else ""

    def is_blank(self) -> bool:
        return not any(self.raw(name) for name in self.fields if not name.endswith("-when"))

    def read(self) -> dict[str, Any] | None:
        """The row's object, or None with the errors on the fields."""
        item: dict[str, Any] = {}
        noun = f"{self.editor.noun} {self.number}"
        for column in self.editor.columns:
            if column.kind == ColumnKind.OFFSET:
                what = f"the time of {noun}"
                minutes, errors = read_duration(
                    self.raw(f"{column.key}-hours"), self.raw(f"{column.key}-minutes"), what=what
                )
                for box, message in errors.items():
                    self.add_error(f"{column.key}-{box}", message)
                when = self.raw(f"{column.key}-when")
                if when not in (BEFORE, AFTER) and minutes:
                    self.add_error(f"{column.key}-when", f"Choose whether {noun} is before or after it is due")
                if minutes is not None:
                    item[column.key] = -minutes if when == BEFORE else minutes
            elif column.kind == ColumnKind.CHOICE:
                value = self.raw(column.key)
                if value not in {code for code, _ in column.choices}:
                    self.add_error(column.key, f"Choose {column.label.lower()} for {noun}")
                item[column.key] = value
            else:
                value = self.raw(column.key)
                if not value:
                    self.add_error(column.key, f"Enter the {column.label.lower()} of {noun}")
                elif len(value) > column.max_length:
                    self.add_error(
                        column.key,
                        f"The {column.label.lower()} of {noun} must be {column.max_length} characters or fewer",
                    )
                item[column.key] = value
        return None if self.errors else item

    def cells(self) -> list[dict[str, Any]]:
        """The row's columns as the page draws them: a field, or an offset's boxes with their errors."""
        cells: list[dict[str, Any]] = []
        for column in self.editor.columns:
            if column.kind != ColumnKind.OFFSET:
                cells.append({"column": column, "field": self[column.key]})
                continue
            boxes = [self[f"{column.key}-{part}"] for part in ("hours", "minutes", "when")]
            errors = [str(message) for box in boxes for message in box.errors]
            cells.append({"column": column, "boxes": boxes, "errors": errors, "id": f"{self.prefix}-{column.key}"})
        return cells


def _row_initial(editor: Rows, item: dict[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for column in editor.columns:
        value = item.get(column.key)
        if column.kind == ColumnKind.OFFSET and isinstance(value, int):
            hours, minutes = divmod(abs(value), 60)
            initial |= {
                f"{column.key}-hours": str(hours),
                f"{column.key}-minutes": str(minutes),
                f"{column.key}-when": BEFORE if value < 0 else AFTER,
            }
        elif value is not None:
            initial[column.key] = value
    return initial


class RowsEditor:
    """The rows of a :class:`Rows` setting: from the value in force, or as posted with "Add another"
    (``add_row``) or "Remove" (``remove_row=<n>``) applied. While rows are added or removed nothing is
    checked: what was typed is shown again as it was."""

    def __init__(self, setting: Setting[Any], current: Any, data: QueryDict | None) -> None:
        assert isinstance(setting.editor, Rows)  # noqa: S101 - only rows settings have a rows editor
        self.editor = setting.editor
        self.rearranging = data is not None and ("add_row" in data or "remove_row" in data)
        if data is None:
            self.rows = [self._row(n, initial=_row_initial(self.editor, item)) for n, item in enumerate(current or [])]
        else:
            self.rows = self._posted(data)
        if not self.rows:
            self.rows = [self._row(0, initial={})]

    def _row(self, n: int, *, initial: dict[str, Any] | None = None, data: Any = None) -> RowForm:
        return RowForm(data, prefix=f"row-{n}", initial=initial or {}, editor=self.editor, number=n + 1)

    def _posted(self, data: QueryDict) -> list[RowForm]:
        try:
            count = max(0, min(self.editor.max_rows, int(data.get("row_count", "0"))))
        except ValueError:
            count = 0
        names = list(self._row(0).fields)
        typed = [{name: data.get(f"row-{n}-{name}", "") for name in names} for n in range(count)]
        remove = data.get("remove_row", "")
        if remove.isdigit() and int(remove) < len(typed):
            typed.pop(int(remove))
        if "add_row" in data and len(typed) < self.editor.max_rows:
            typed.append(dict.fromkeys(names, ""))
        if self.rearranging:
            return [self._row(n, initial=row) for n, row in enumerate(typed)]
        posted = {f"row-{n}-{name}": value for n, row in enumerate(typed) for name, value in row.items()}
        return [self._row(n, data=posted) for n in range(len(typed))]

    @property
    def can_add(self) -> bool:
        return len(self.rows) < self.editor.max_rows

    def read(self) -> tuple[list[dict[str, Any]], bool]:
        """The list typed (wholly blank rows left out), and whether every row could be read."""
        items, ok = [], True
        for row in self.rows:
            if row.is_bound and row.is_blank():
                continue
            item = row.read()
            ok = ok and item is not None
            if item is not None:
                items.append(item)
        return items, ok

    def first_field_id(self) -> str:
        row = self.rows[0]
        return str(row[next(iter(row.fields))].auto_id)


class PolicyResetForm(InputForm):
    operation = operations.policy_reset

    reason = forms.CharField(label="Why are you going back to the default?", widget=forms.Textarea(attrs={"rows": 3}))
