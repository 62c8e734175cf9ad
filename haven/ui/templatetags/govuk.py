"""Template helpers for GOV.UK components."""

from __future__ import annotations

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.safestring import SafeString, mark_safe

from haven.ui.forms import GovukDateInput, date_parts, render_widget, widget_kind

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
    kind = widget_kind(field)
    if kind in {"checkboxes", "radios"}:
        return f"{field.auto_id}_0"
    if kind == "date":  # the first box in error (GOV.UK), else the day
        wrong = [part for part in govuk_date_parts(field) if part["error"]]
        return str(wrong[0]["id"] if wrong else f"{field.auto_id}-day")
    return str(field.auto_id)


@register.filter
def govuk_date_parts(field: forms.BoundField) -> list[dict[str, object]]:
    """The boxes of a GOV.UK date input, with the values typed (or the initial value) and their errors."""
    widget = field.field.widget
    assert isinstance(widget, GovukDateInput)  # noqa: S101 - the template asks only of date fields
    return date_parts(field.html_name, str(field.auto_id), widget, field.value(), errors=field.errors.as_data())


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


def page_has_errors(context: template.Context) -> bool:
    """Whether any form on the page (a form, a formset, a list of row forms, or an error summary's
    ``{"errors": [...]}``) has errors: the page's title then starts "Error: " (GOV.UK)."""
    return any(_has_errors(value) for value in context.flatten().values())


def _has_errors(value: object) -> bool:
    if isinstance(value, forms.BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, forms.BaseFormSet):
        return value.is_bound and any(form.errors for form in value.forms)
    if isinstance(value, list | tuple):
        return any(isinstance(item, forms.BaseForm) and _has_errors(item) for item in value)
    if isinstance(value, dict):
        errors = value.get("errors")
        return isinstance(errors, list) and bool(errors)
    return False


class _ErrorTitle(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        title = self.nodelist.render(context)
        if page_has_errors(context) and not title.lstrip().startswith("Error:"):
            return f"Error: {title}"
        return title


@register.tag
def error_title(parser: template.base.Parser, token: template.base.Token) -> _ErrorTitle:
    """``{% error_title %}…{% enderror_title %}``: the page title, after "Error: " when a form on the
    page has errors. The base template wraps every page's title in it, so pages need not."""
    nodelist = parser.parse(("enderror_title",))
    parser.delete_first_token()
    return _ErrorTitle(nodelist)
