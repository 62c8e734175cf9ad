"""Template helpers for GOV.UK components."""

from __future__ import annotations

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.safestring import SafeString, mark_safe

from haven.ui.forms import render_widget, widget_kind

register = template.Library()


@register.filter
def govuk_kind(field: forms.BoundField) -> str:
    return widget_kind(field)


@register.filter
def govuk_widget(field: forms.BoundField) -> SafeString:
    return mark_safe(render_widget(field))  # noqa: S308 - Django renders and escapes the widget


@register.filter
def field_id(field: forms.BoundField) -> str:
    """The id the error summary links to: the first input of a group, or the input itself."""
    if widget_kind(field) in {"checkboxes", "radios"}:
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@register.inclusion_tag("ui/forms/error_summary.html")
def error_summary(*forms_: forms.BaseForm) -> dict[str, object]:
    """The GOV.UK error summary for one or more forms, linking each message to its field."""
    errors: list[dict[str, object]] = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        for message in form.non_field_errors():
            errors.append({"href": "", "text": message})
        for name in form.errors:
            if name == NON_FIELD_ERRORS or name not in form.fields:
                continue
            bound = form[name]
            for message in bound.errors:
                errors.append({"href": f"#{field_id(bound)}", "text": message})
    return {"errors": errors}
