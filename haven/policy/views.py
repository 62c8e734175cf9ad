"""Force policy pages (administrators): every setting, one setting's change form, and the history.
To anyone else the pages do not exist (404). Both changes go through their declarations in
haven.policy.operations."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from haven.accounts.http import AuthenticatedRequest
from haven.core.errors import NotFound
from haven.core.operations import Operation, allowed
from haven.policy import operations, selectors
from haven.policy.forms import PolicyChangeForm, PolicyResetForm, RowsEditor
from haven.policy.registry import Rows, Setting, all_settings
from haven.ui.operations import page, submit
from haven.ui.templatetags.govuk import field_id

if TYPE_CHECKING:
    from haven.accounts.models import User


def _setting(user: User, key: str) -> Setting[Any]:
    try:
        return selectors.policy_setting(user=user, key=key)
    except NotFound:
        raise Http404 from None


def hidden_page(operation: Operation) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """:func:`haven.ui.operations.page`, but 404 rather than 403 to a signed-in user who may not
    change policy: like the list and the history, the setting pages are not shown to exist."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        checked = page(operation)(view)

        @login_required
        @wraps(checked)
        def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(operation, request.user):
                raise Http404
            return checked(request, *args, **kwargs)

        return wrapped

    return decorator


@login_required
def policy_list(request: AuthenticatedRequest) -> HttpResponse:
    try:
        rows = selectors.policy_rows(user=request.user)
    except NotFound:
        raise Http404 from None
    sections: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        sections.setdefault(row["setting"].section, []).append(row)
    return render(request, "policy/policy_list.html", {"sections": sections})


@hidden_page(operations.policy_set)
def policy_edit(request: AuthenticatedRequest, key: str) -> HttpResponse:
    user = request.user
    setting = _setting(user, key)
    current = selectors.policy_value(setting)
    posted = request.POST if request.method == "POST" else None
    rows = RowsEditor(setting, current, posted) if isinstance(setting.editor, Rows) else None
    rearranging = rows is not None and rows.rearranging
    if rearranging:  # adding or removing a row: show what was typed again, without errors yet
        form = PolicyChangeForm(initial=request.POST.dict(), setting=setting, current=current)
    else:
        form = PolicyChangeForm(posted, setting=setting, current=current)
    if posted is not None and not rearranging and _save(request, setting, form, rows):
        messages.success(request, f"“{setting.label}” has been changed. It applies from now on.")
        return redirect("policy:list")
    summary = _summary(form, rows)
    context = {
        "setting": setting,
        "form": form,
        "rows": rows,
        "summary": summary,
        "current_display": setting.display(current),
        "default_display": setting.display(setting.default),
        "overridden": current != setting.default,
        "reset_form": PolicyResetForm(),
        "changes": selectors.policy_changes(user=user, key=key)[:20],
    }
    return render(request, "policy/policy_edit.html", context, status=422 if summary else 200)


def _save(
    request: AuthenticatedRequest, setting: Setting[Any], form: PolicyChangeForm, rows: RowsEditor | None
) -> bool:
    """Read the value from its fields and change the setting; False with the errors on the fields."""
    value, readable = rows.read() if rows is not None else form.read_value()
    if not readable:
        submit_reason_only(form)
        return False
    return submit(request, operations.policy_set, form, target=setting, data={"value": value}) is not None


def submit_reason_only(form: PolicyChangeForm) -> None:
    """The reason's own errors too, when the value could not be read (so both are said at once)."""
    if not str(form.data.get(form.add_prefix("reason"), "")).strip():
        form.add_error("reason", "Give the reason for the change")


def _summary(form: PolicyChangeForm, rows: RowsEditor | None) -> list[dict[str, str]]:
    """The GOV.UK error summary, each message linked to its field. An error about the whole value
    (two steps at the same time, a role that must stay) links to the value's first field."""
    first = rows.first_field_id() if rows is not None else _first_value_id(form)
    errors = [{"href": f"#{first}", "text": str(m)} for m in form.non_field_errors()]
    forms_ = [form, *(rows.rows if rows is not None else [])]
    for each in forms_:
        if not each.is_bound:
            continue
        for name, messages_ in each.errors.items():
            if name not in each.fields:
                continue
            errors.extend({"href": f"#{field_id(each[name])}", "text": str(m)} for m in messages_)
    return errors


def _first_value_id(form: PolicyChangeForm) -> str:
    return field_id(form["value"]) if "value" in form.fields else str(form["reason"].auto_id)


@hidden_page(operations.policy_reset)
def policy_reset(request: AuthenticatedRequest, key: str) -> HttpResponse:
    setting = _setting(request.user, key)
    form = PolicyResetForm(request.POST or None)
    if request.method == "POST" and submit(request, operations.policy_reset, form, target=setting):
        messages.success(request, f"“{setting.label}” is back to its default.")
        return redirect("policy:list")
    return render(
        request, "policy/policy_reset.html", {"setting": setting, "form": form}, status=422 if form.errors else 200
    )


@login_required
def policy_history(request: AuthenticatedRequest) -> HttpResponse:
    try:
        changes = list(selectors.policy_changes(user=request.user)[:500])
    except NotFound:
        raise Http404 from None
    labels = {setting.key: setting.label for setting in all_settings()}
    for change in changes:
        change.label = labels.get(change.key, "")  # type: ignore[attr-defined] # the setting's name, not its key
    return render(request, "policy/policy_history.html", {"changes": changes})
