"""GOV.UK Design System rendering for every Django form: error summary, labels, hints, errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders ``{{ form }}`` and ``{{ field.as_field_group }}`` with GOV.UK markup."""

    form_template_name = "ui/forms/form.html"
    field_template_name = "ui/forms/field.html"


def widget_kind(field: forms.BoundField) -> str:
    """The GOV.UK component that suits a field's widget."""
    widget = field.field.widget
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
