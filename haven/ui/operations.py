"""GOV.UK pages for the write declarations (``haven.core.operations``).

A page's Django form only presents: labels, hints, widgets. :class:`InputForm` takes ``required``
and ``maxlength`` from the operation's input model and never validates by itself; :func:`submit`
feeds what was posted through the input model and runs the operation, and :func:`place_errors`
puts the model's and the service's errors on the form (and so in the GOV.UK error summary) in the
same words the API gives.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, ClassVar

from annotated_types import MaxLen
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from pydantic import ValidationError

from haven.core import operations
from haven.core.errors import Conflict, ValidationFailed
from haven.core.operations import Operation, field_errors
from haven.core.types import Says
from haven.ui.forms import HavenForm


class InputForm(HavenForm):
    """A form that presents an operation's input model. Set ``operation`` on the subclass.

    It does not validate: ``required`` (the "(optional)" label) and ``maxlength`` come from the
    model, and the model alone decides what is valid, through :func:`submit`.
    """

    operation: ClassVar[Operation]
    model: ClassVar[type[Any] | None] = None  # a nested input model (a row of a list), else the operation's
    # Fields whose need depends on other answers (the model says when): never labelled "(optional)".
    conditional: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def input_model(cls) -> type[Any]:
        return cls.model or cls.operation.input

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = self.input_model().model_fields
        for name, field in self.fields.items():
            info = model_fields.get(name)
            if info is None:
                continue
            field.required = info.is_required()
            asks = not isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput | forms.CheckboxSelectMultiple)
            optional = not field.required and name not in self.conditional
            if asks and optional and field.label and "(optional)" not in str(field.label):
                field.label = f"{field.label} (optional)"  # GOV.UK marks the optional questions
            limit = _max_length(info)
            if limit is not None and isinstance(field, forms.CharField) and not _is_list(info.annotation):
                field.widget.attrs.setdefault("maxlength", str(limit))
            if getattr(field, "says_own_errors", False) and not getattr(field, "what", ""):
                field.what = _says_what(info)  # type: ignore[attr-defined] # its errors name it as the model does

    def full_clean(self) -> None:
        self._errors = ErrorDict()
        self.cleaned_data: dict[str, Any] = {}

    def values(self) -> dict[str, Any]:
        """What was posted, as the input model takes it: parsed (dates, numbers, ticks), lists
        split one per line, and blank answers left out so the model says what is missing.

        A field that says its own errors (the GOV.UK date input: "… must include a month") keeps them
        in ``input_errors`` for :func:`submit` to show, and gives the model nothing for that answer."""
        out: dict[str, Any] = {}
        self.input_errors: dict[str, DjangoValidationError] = {}
        model_fields = self.input_model().model_fields
        for name, field in self.fields.items():
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                value = field.to_python(raw)
            except DjangoValidationError as exc:
                if getattr(field, "says_own_errors", False):
                    self.input_errors[name] = exc
                    continue
                value = raw  # not parsed here: the model says what is wrong with it, in its words
            info = model_fields.get(name)
            if info is not None and _is_list(info.annotation) and isinstance(value, str):
                value = [line.strip() for line in value.splitlines() if line.strip()]
            if (
                value is None
                or value == ""
                and (info is None or info.is_required() or not _takes_text(info.annotation))
            ):
                continue  # left blank: the model's default, or its "Enter …" when it needs an answer
            out[name] = value
        return out


def _says_what(info: Any) -> str:
    """The noun phrase the input model's errors use for a field ("the date the child was last seen")."""
    for item in info.metadata:
        if isinstance(item, Says) and item.what:
            return item.what
    return ""


def _max_length(info: Any) -> int | None:
    for item in info.metadata:
        if isinstance(item, MaxLen):
            return int(item.max_length)
        limit = getattr(item, "max_length", None)
        if isinstance(limit, int):
            return limit
    for arg in typing.get_args(info.annotation):
        for item in getattr(arg, "__metadata__", ()):
            limit = getattr(item, "max_length", None)
            if isinstance(limit, int):
                return limit
    return None


def _takes_text(annotation: Any) -> bool:
    """Whether a field's type takes a string as it is (so a blank answer is an empty string)."""
    if annotation is str:
        return True
    return any(_takes_text(arg) for arg in typing.get_args(annotation) if arg is not type(None))


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list


@dataclass(frozen=True)
class Done:
    """A write that went through; ``value`` is what the service returned."""

    value: Any


def submit(
    request: HttpRequest,
    operation: Operation,
    form: InputForm,
    *,
    target: Any = None,
    data: Mapping[str, Any] | None = None,
    rows: Mapping[str, Sequence[forms.BaseForm]] | None = None,
) -> Done | None:
    """Feed the posted form (``data`` adds or replaces values the page supplies itself) through the
    operation's input model and run it. ``Done`` on success; ``None`` with the errors on the form.
    ``rows``: the forms of a list field's rows ("add another"), so ``actions.2.target`` is shown on
    the third row's field."""
    values = form.values()
    values.update(data or {})
    try:
        payload = operation.input.model_validate(values)
    except ValidationError as exc:
        place_errors(form, field_errors(exc), rows=rows)
        _place_input_errors(form, rows)
        return None
    if _place_input_errors(form, rows):
        return None  # an answer the form could not read (a date without its month): never run without it
    try:
        return Done(operations.run(operation, actor=request.user, target=target, data=payload))
    except (ValidationFailed, Conflict) as exc:
        place_errors(form, exc.fields, message=exc.message, rows=rows)
        return None


def checked(
    operation: Operation,
    form: InputForm,
    *,
    data: Mapping[str, Any] | None = None,
    rows: Mapping[str, Sequence[forms.BaseForm]] | None = None,
) -> Any:
    """The posted form as the operation's input model, without running it (a "check your answers"
    page shows it before it is submitted); None with the errors on the form, as :func:`submit` does."""
    values = form.values()
    values.update(data or {})
    try:
        payload = operation.input.model_validate(values)
    except ValidationError as exc:
        place_errors(form, field_errors(exc), rows=rows)
        _place_input_errors(form, rows)
        return None
    return None if _place_input_errors(form, rows) else payload


def _place_input_errors(form: forms.BaseForm, rows: Mapping[str, Sequence[forms.BaseForm]] | None) -> bool:
    """Put the errors the form's own fields found (``InputForm.values``) on them, in place of any the
    model gave for the same answer; True if there were any."""
    found = False
    for each in (form, *(row for listed in (rows or {}).values() for row in listed)):
        for name, error in getattr(each, "input_errors", {}).items():
            each.errors[name] = each.error_class(error.error_list, renderer=each.renderer)
            found = True
    return found


def place_errors(
    form: forms.BaseForm,
    fields: Mapping[str, list[str]],
    *,
    message: str = "",
    rows: Mapping[str, Sequence[forms.BaseForm]] | None = None,
) -> None:
    """Errors by field path onto the form: against a field the form shows (or a row's field), above
    the form otherwise; an error on a hidden field (a version number) shows ``message``, which says
    what happened; ``message`` alone when no field is named."""
    for key, errors in fields.items():
        target, name = _where(form, key, rows or {})
        field = target.fields.get(name) if name else None
        hidden = field is not None and field.widget.is_hidden
        for error in errors:
            if hidden:
                _add(form, None, message or error)
            else:
                _add(target, name if field is not None else None, error)
    if not fields and message:
        _add(form, None, message)


def _where(
    form: forms.BaseForm, key: str, rows: Mapping[str, Sequence[forms.BaseForm]]
) -> tuple[forms.BaseForm, str | None]:
    """The form and field name an error path belongs to: ``actions.2.target`` → the third row's
    ``target``; ``actions.2`` → that row, above its fields; ``note`` → the form's ``note``."""
    parts = key.split(".")
    listed = rows.get(parts[0])
    if listed is not None and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(listed):
        row = listed[int(parts[1])]
        name = parts[2] if len(parts) > 2 and parts[2] in row.fields else None
        return row, name
    return form, parts[0] if parts[0] in form.fields else None


def _add(form: forms.BaseForm, name: str | None, error: str) -> None:
    if error not in form.errors.get(name or NON_FIELD_ERRORS, []):
        form.add_error(name, error)


def page(operation: Operation) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The page that submits ``operation``: signed in, and 403 (the accessible error page) unless
    the operation's permission allows it, checked by the same function the API uses."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not operations.allowed(operation, request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.operation = operation  # type: ignore[attr-defined]
        return wrapped

    return decorator
