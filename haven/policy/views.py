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
from haven.policy.forms import PolicyChangeForm, PolicyResetForm
from haven.policy.registry import Setting
from haven.ui.operations import page, place_errors, submit

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
    form = PolicyChangeForm(request.POST or None, setting=setting, current=current)
    if request.method == "POST":
        if unreadable := form.unreadable():
            place_errors(form, unreadable)
        elif submit(request, operations.policy_set, form, target=setting):
            messages.success(request, f"“{setting.label}” has been changed. It applies from now on.")
            return redirect("policy:list")
    context = {
        "setting": setting,
        "form": form,
        "current_display": setting.display(current),
        "default_display": setting.display(setting.default),
        "overridden": current != setting.default,
        "reset_form": PolicyResetForm(),
        "changes": selectors.policy_changes(user=user, key=key)[:20],
    }
    return render(request, "policy/policy_edit.html", context, status=422 if form.errors else 200)


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
        changes = selectors.policy_changes(user=request.user)[:500]
    except NotFound:
        raise Http404 from None
    return render(request, "policy/policy_history.html", {"changes": changes})
