"""Signing in and out, the user's own account, and account administration. Thin: every write goes
through its declaration in haven.accounts.operations; signing in and out is authentication."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pyotp
from django.contrib import messages
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from mfa import settings as mfa_settings
from mfa.decorators import public
from mfa.mixins import MFAFormView
from mfa.views import LoginView, MFAAuthView, MFACreateView, MFADeleteView

from haven.accounts import mail, operations, selectors
from haven.accounts.choices import Duty, GrantState, MailKind
from haven.accounts.forms import (
    ApiTokenForm,
    ChoosePasswordForm,
    DutyEndForm,
    DutySetForm,
    RankEditForm,
    RankForm,
    RoleGrantDecisionForm,
    RoleGrantForm,
    SecondFactorConfirmForm,
    SignInForm,
    TeamEditForm,
    TeamForm,
    UserCreateForm,
    UserEditForm,
    initial_of,
    mark_errors,
    team_initial,
)
from haven.accounts.middleware import seconds_left, session_expiry
from haven.accounts.models import DutyAssignment, Team, User
from haven.core import clock
from haven.core.errors import Conflict, Forbidden, ValidationFailed
from haven.core.operations import Operation, run
from haven.core.permissions import ROLE_PERMISSIONS, Perm, Role
from haven.ui.decorators import permission_required
from haven.ui.operations import page, submit


class SignInView(LoginView):
    """Username and password, then the second factor (django-mfa3), or enrolment if none yet."""

    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


sign_in = public(SignInView.as_view())


# The security code in people's words (GOV.UK), on the code field so the error summary links to it:
# django-mfa3 says "This field is required." and, for a wrong code, "Validation failed" above the form.
CODE_REQUIRED = {"TOTP": "Enter your security code", "recovery": "Enter a recovery code"}
CODE_WRONG = {
    "TOTP": "The security code is not right: enter the 6 digits your authenticator app shows now",
    "recovery": "That recovery code is not right, or it has been used already",
}


def _code_in_words(form: Any, method: str) -> Any:
    if "code" in form.fields and method in CODE_REQUIRED:
        form.fields["code"].error_messages["required"] = CODE_REQUIRED[method]
    return form


def _wrong_code_on_the_field(form: Any, method: str) -> None:
    if method in CODE_WRONG and "code" in form.fields and form.errors.pop(NON_FIELD_ERRORS, None):
        form.add_error("code", CODE_WRONG[method])


class SecondFactorView(MFAAuthView):
    """The second step (django-mfa3), refused while the account's sign-in is paused (django-axes).

    django-mfa3 checks the code without asking axes, so without this a right code entered after
    five wrong ones would still sign in, and clear the failures as it did so.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from axes.handlers.proxy import AxesProxyHandler

        pending = request.session.get("mfa_user")  # set by the password step
        if pending:
            username = User.objects.filter(pk=pending["pk"]).values_list("username", flat=True).first()
            if username is not None and not AxesProxyHandler.is_allowed(request, {"username": username}):
                return locked_out(request, None, None)
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        """A wrong code: counted towards the lockout, and the owner warned by e-mail through accounts'
        outbox (django-mfa3 sends it while the page waits, so a mail server that is down answered 500)."""
        user_login_failed.send(
            sender=__name__, credentials={"username": self.user.get_username()}, request=self.request
        )
        mail.queue(to=self.user, kind=MailKind.SIGN_IN_FAILED, method=self.method.name)
        _wrong_code_on_the_field(form, self.method.name)
        return MFAFormView.form_invalid(self, form)

    def get_form(self, form_class: Any = None) -> Any:
        return _code_in_words(super().get_form(form_class), self.method.name)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if self.method.name == "recovery":
            # Password and a recovery code, just now: enough to set up the factor that replaces the lost one.
            self.request.session[CONFIRMED_AT] = clock.now().isoformat()
        return response


second_factor = SecondFactorView.as_view()

CONFIRMED_AT = "haven_second_factor_confirmed_at"
CONFIRMED_FOR = timedelta(minutes=5)


def _confirmed(request: HttpRequest) -> bool:
    """Has the user given their password and a code in the last few minutes (for this one change)?"""
    at = request.session.get(CONFIRMED_AT)
    return isinstance(at, str) and clock.now() - datetime.fromisoformat(at) <= CONFIRMED_FOR


def _needs_confirming(request: HttpRequest) -> HttpResponse | None:
    """A user who has a second factor confirms it is them before adding or removing one; someone
    enrolling their first (just signed in with their password) has nothing else to prove it with."""
    user = request.user
    if not user.is_authenticated or not user.mfakey_set.exists() or _confirmed(request):  # type: ignore[attr-defined]
        return None
    return redirect(f"{reverse('accounts:second-factor-confirm')}?{urlencode({'next': request.get_full_path()})}")


@public
@login_required
def second_factor_confirm(request: HttpRequest) -> HttpResponse:
    """The password and a current code (or a recovery code), before a second factor is added or removed."""
    from axes.handlers.proxy import AxesProxyHandler

    user = _user(request)
    wanted = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts=None) and wanted.startswith("/second-factor/")
    next_url = wanted if safe else reverse("mfa:list")
    if not AxesProxyHandler.is_allowed(request, {"username": user.username}):
        return locked_out(request, None, None)
    form = SecondFactorConfirmForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            request.session[CONFIRMED_AT] = clock.now().isoformat()
            return redirect(next_url)
        if form.has_error(NON_FIELD_ERRORS, "wrong"):
            user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
    status = 422 if form.errors else 200
    return render(request, "accounts/second_factor_confirm.html", {"form": form, "next": next_url}, status=status)


class SecondFactorCreateView(MFACreateView):
    """Adding a second factor: after the password and a current code (a first one excepted); the user
    is e-mailed that it was added (accounts' outbox)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _needs_confirming(request) or super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session.pop(CONFIRMED_AT, None)  # one change per confirmation
        mail.queue(
            to=_user(self.request),
            kind=MailKind.SECOND_FACTOR_CHANGED,
            change="added",
            method=self.method.name,
            name=form.cleaned_data["name"],
        )
        return response

    def get_form(self, form_class: Any = None) -> Any:
        return _code_in_words(super().get_form(form_class), self.method.name)

    def form_invalid(self, form: Any) -> HttpResponse:
        _wrong_code_on_the_field(form, self.method.name)
        return super().form_invalid(form)

    # django-mfa3 1.1.2 passes the account name to pyotp positionally, which pyotp 2.12 refuses: setting
    # up an authenticator app failed with a TypeError. This passes it by name; drop it when mfa does.
    def begin(self) -> tuple[dict[str, str], str]:
        if self.method.name != "TOTP":
            return super().begin()
        secret = pyotp.random_base32()
        url = pyotp.TOTP(secret).provisioning_uri(
            name=self.request.user.get_username(), issuer_name=mfa_settings.SITE_TITLE
        )
        return {"url": url, "secret": secret}, secret


second_factor_create = public(SecondFactorCreateView.as_view())


class SecondFactorDeleteView(MFADeleteView):
    """Removing a second factor: after the password and a current code; the user is e-mailed that it
    was removed (accounts' outbox)."""

    template_name = "mfa/mfakey_confirm_delete.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _needs_confirming(request) or super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        key = self.get_object()
        response = super().form_valid(form)
        self.request.session.pop(CONFIRMED_AT, None)
        mail.queue(
            to=_user(self.request),
            kind=MailKind.SECOND_FACTOR_CHANGED,
            change="removed",
            method=key.method,
            name=key.name,
        )
        return response


second_factor_delete = public(SecondFactorDeleteView.as_view())


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None) -> HttpResponse:
    """Shown instead of the sign-in form while an account is locked (django-axes)."""
    return render(request, "accounts/locked_out.html", status=429)


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)  # deletes the session on the server, not just the cookie
    messages.success(request, "You have signed out.")
    return redirect("accounts:sign-in")


@public
@require_POST
@login_required
def keepalive(request: HttpRequest) -> JsonResponse:
    """'Stay signed in' from the timeout warning: this request counts as activity."""
    expiry = session_expiry(request)
    if expiry is None:
        return JsonResponse({"expires_at": None, "expires_in": None})
    return JsonResponse({"expires_at": expiry.isoformat(), "expires_in": seconds_left(expiry)})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "second_factors": user.mfakey_set.order_by("method", "name"),  # type: ignore[union-attr]
            "tokens": selectors.api_token_list(actor=user),  # type: ignore[arg-type]
        },
    )


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A form page; 422 when what was posted was refused."""
    return render(request, template, context, status=422 if context["form"].errors else 200)


@page(operations.api_token_create)
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, user=_user(request))
    if request.method == "POST" and (done := submit(request, operations.api_token_create, form)):
        token, raw = done.value
        return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    return _form_page(request, "accounts/token_form.html", {"form": form})


@require_POST
@page(operations.api_token_revoke)
def token_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    token = selectors.api_token_get(actor=_user(request), public_id=public_id)
    run(operations.api_token_revoke, actor=request.user, target=token, data={})
    messages.success(request, f"The token “{token.name}” has been revoked.")
    return redirect("accounts:profile")


# --- Administration: users, teams, ranks, roles ---------------------------------------------


@login_required
@permission_required(Perm.ACCOUNTS_USER_MANAGE)
def admin_index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/admin/index.html",
        {
            "user_count": selectors.user_list(actor=user).count(),
            "team_count": selectors.team_list(actor=user).count(),
            "rank_count": selectors.rank_list(actor=user).count(),
        },
    )


@login_required
@permission_required(Perm.ACCOUNTS_USER_MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    users = selectors.user_list(actor=_user(request), query=query)
    return render(request, "accounts/admin/user_list.html", {"users": users, "query": query})


@page(operations.user_create)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and (done := submit(request, operations.user_create, form)):
        user = done.value
        messages.success(
            request,
            f"{user.display_name} has been added and emailed a link to choose a password "
            f"at {user.email}. They set up a second factor when they first sign in.{_waiting(user)}",
        )
        return redirect("accounts:admin-user-list")
    return _form_page(request, "accounts/admin/user_form.html", {"form": form, "subject": None})


@page(operations.user_update)
def user_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = selectors.user_get(actor=_user(request), public_id=public_id)
    form = UserEditForm(request.POST or None, user=user)
    if request.method == "POST" and submit(request, operations.user_update, form, target=user):
        messages.success(request, f"{user.display_name} has been updated.{_waiting(user)}")
        return redirect("accounts:admin-user-list")
    return _form_page(request, "accounts/admin/user_form.html", {"form": form, "subject": user})


def _waiting(user: User) -> str:
    """The roles of ``user`` waiting for a second administrator, as a sentence to add (or nothing)."""
    waiting = [grant.get_role_display() for grant in user.role_grants.filter(state=GrantState.PENDING)]
    if not waiting:
        return ""
    return f" Another administrator must approve the role{'s' if len(waiting) > 1 else ''} {', '.join(waiting)}."


def _user_button(request: HttpRequest, operation: Operation, public_id: str, done: str) -> HttpResponse:
    """A button on the user's page: nothing to type, only the operation; then back to the page."""
    user = selectors.user_get(actor=_user(request), public_id=public_id)
    try:
        run(operation, actor=request.user, target=user, data={})
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done.format(user=user))
    return redirect("accounts:admin-user-edit", public_id=public_id)


@require_POST
@page(operations.user_reset_second_factor)
def user_reset_second_factor(request: HttpRequest, public_id: str) -> HttpResponse:
    done = "{user.display_name} must set up a new second factor when they next sign in."
    return _user_button(request, operations.user_reset_second_factor, public_id, done)


@require_POST
@page(operations.user_send_password_link)
def user_send_password_link(request: HttpRequest, public_id: str) -> HttpResponse:
    done = "A link to choose a password has been emailed to {user.email}."
    return _user_button(request, operations.user_send_password_link, public_id, done)


@require_POST
@page(operations.user_unlock)
def user_unlock(request: HttpRequest, public_id: str) -> HttpResponse:
    return _user_button(request, operations.user_unlock, public_id, "{user.display_name} can sign in again.")


# --- Role grants: four eyes -------------------------------------------------------------------------


@page(operations.role_grant_request)
def role_grant_request(request: HttpRequest, public_id: str) -> HttpResponse:
    """Ask to give a user a role; the roles force policy lists wait for a second administrator."""
    user = selectors.user_get(actor=_user(request), public_id=public_id)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and (done := submit(request, operations.role_grant_request, form, target=user)):
        grant = done.value
        role = grant.get_role_display()
        if grant.state == GrantState.PENDING:
            messages.success(
                request, f"Asked to give {user.display_name} the role {role}: another administrator must approve it."
            )
        else:
            messages.success(request, f"{user.display_name} now has the role {role}.")
        return redirect("accounts:admin-user-edit", public_id=user.public_id)
    return _form_page(request, "accounts/admin/role_grant_form.html", {"form": form, "subject": user})


@login_required
@permission_required(Perm.ACCOUNTS_USER_MANAGE)
def role_grant_list(request: HttpRequest) -> HttpResponse:
    """Role grants waiting for a second administrator, and the latest decided."""
    grants = selectors.role_grant_list(actor=_user(request))
    pending = [g for g in grants.filter(state=GrantState.PENDING)]
    decided = list(grants.exclude(state=GrantState.PENDING)[:50])
    return render(request, "accounts/admin/role_grant_list.html", {"pending": pending, "decided": decided})


def _grant_page(request: HttpRequest, grant: Any, form: Any = None, status: int = 200) -> HttpResponse:
    actor = _user(request)
    context = {
        "grant": grant,
        "form": form or RoleGrantDecisionForm(),
        "may_decide": grant.state == GrantState.PENDING and actor.pk not in (grant.requested_by_id, grant.user_id),
    }
    return render(request, "accounts/admin/role_grant.html", context, status=status)


@login_required
@permission_required(Perm.ACCOUNTS_USER_MANAGE)
def role_grant_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _grant_page(request, selectors.role_grant_get(actor=_user(request), public_id=public_id))


def _decide(request: HttpRequest, public_id: str, operation: Operation, done: Callable[[Any], str]) -> HttpResponse:
    """Approve or refuse (``operation``): the same page, form and answers, only the service differs."""
    grant = selectors.role_grant_get(actor=_user(request), public_id=public_id)
    form = RoleGrantDecisionForm(request.POST)
    try:
        result = submit(request, operation, form, target=grant)
    except (Forbidden, Conflict) as exc:
        messages.error(request, exc.message)
        return redirect("accounts:admin-role-grant", public_id=grant.public_id)
    if result:
        messages.success(request, done(result.value))
        return redirect("accounts:admin-role-grant-list")
    return _grant_page(request, grant, form, status=422)


@require_POST
@page(operations.role_grant_approve)
def role_grant_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    def done(grant: Any) -> str:
        return f"{grant.user.display_name} now has the role {grant.get_role_display()}. The auditors have been told."

    return _decide(request, public_id, operations.role_grant_approve, done)


@require_POST
@page(operations.role_grant_refuse)
def role_grant_refuse(request: HttpRequest, public_id: str) -> HttpResponse:
    def done(grant: Any) -> str:
        return f"The role {grant.get_role_display()} was not given to {grant.user.display_name}."

    return _decide(request, public_id, operations.role_grant_refuse, done)


class SetPasswordView(PasswordResetConfirmView):
    """The page the emailed link opens: choose a password, then sign in with a second factor."""

    template_name = "accounts/set_password.html"
    form_class = ChoosePasswordForm
    success_url = reverse_lazy("accounts:sign-in")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been set. Sign in to continue.")
        return response


set_password = public(SetPasswordView.as_view())


@login_required
@permission_required(Perm.ACCOUNTS_TEAM_MANAGE)
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.team_list(actor=_user(request), with_members=True).select_related("covering_supervisor")
    unsupervised = set(selectors.teams_without_supervisor().values_list("pk", flat=True))
    rows = [{"team": team, "unsupervised": team.pk in unsupervised} for team in teams]
    return render(request, "accounts/admin/team_list.html", {"rows": rows, "unsupervised": len(unsupervised)})


@page(operations.team_create)
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and (done := submit(request, operations.team_create, form)):
        messages.success(request, f"{done.value} has been saved.")
        return redirect("accounts:admin-team-list")
    return _form_page(request, "accounts/admin/team_form.html", {"form": form, "subject": None})


@page(operations.team_update)
def team_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    team = selectors.team_get(actor=_user(request), public_id=public_id)
    form = TeamEditForm(request.POST or None, initial=team_initial(team))
    if request.method == "POST" and (done := submit(request, operations.team_update, form, target=team)):
        messages.success(request, f"{done.value} has been saved.")
        return redirect("accounts:admin-team-list")
    return _form_page(request, "accounts/admin/team_form.html", {"form": form, "subject": team})


@login_required
@permission_required(Perm.ACCOUNTS_RANK_MANAGE)
def rank_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/admin/rank_list.html", {"ranks": selectors.rank_list(actor=_user(request))})


@page(operations.rank_create)
def rank_create(request: HttpRequest) -> HttpResponse:
    form = RankForm(request.POST or None)
    if request.method == "POST" and (done := submit(request, operations.rank_create, form)):
        messages.success(request, f"{done.value} has been saved.")
        return redirect("accounts:admin-rank-list")
    return _form_page(request, "accounts/admin/rank_form.html", {"form": form, "subject": None})


@page(operations.rank_update)
def rank_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    rank = selectors.rank_get(actor=_user(request), public_id=public_id)
    form = RankEditForm(request.POST or None, initial=initial_of(rank, RankEditForm))
    if request.method == "POST" and (done := submit(request, operations.rank_update, form, target=rank)):
        messages.success(request, f"{done.value} has been saved.")
        return redirect("accounts:admin-rank-list")
    return _form_page(request, "accounts/admin/rank_form.html", {"form": form, "subject": rank})


@login_required
@permission_required(Perm.ACCOUNTS_ROLE_VIEW)
def role_list(request: HttpRequest) -> HttpResponse:
    """The role → permission matrix: roles are fixed in code, assigned to users by administrators."""
    perms = sorted(Perm, key=lambda p: p.value)
    rows = [{"perm": p, "cells": [p in ROLE_PERMISSIONS[r] for r in Role]} for p in perms]
    return render(request, "accounts/admin/role_list.html", {"roles": list(Role), "rows": rows})


# --- Who is on duty ---------------------------------------------------------------------------------


@login_required
@permission_required(Perm.ACCOUNTS_TEAM_VIEW)
def duty_index(request: HttpRequest) -> HttpResponse:
    """Every active team with who is on duty now; the user's own team first."""
    user = _user(request)
    teams = sorted(
        selectors.team_list(actor=user).filter(is_active=True),
        key=lambda t: (t.pk != user.team_id, t.name),
    )
    rows = [{"team": team, "now": _now_on_duty(team)} for team in teams]
    return render(request, "accounts/duty/index.html", {"rows": rows})


def _now_on_duty(team: Team) -> list[dict[str, Any]]:
    """Each duty with who holds it now, and, for a duty nobody holds, who is told instead."""
    now = clock.now()
    current = DutyAssignment.objects.filter(team=team, starts_at__lte=now, ends_at__gt=now).select_related(
        "user", "user__rank"
    )
    rows = []
    for duty in Duty:
        holders = [a for a in current if a.duty == duty and a.user.is_active]
        instead: list[User] = []
        if not holders and duty == Duty.DUTY_SERGEANT:
            instead = selectors.team_supervisors(team)
        elif not holders and duty == Duty.DUTY_INSPECTOR:
            instead = selectors.team_duty_inspectors(team)
        rows.append({"duty": duty, "holders": holders, "instead": instead, "handover": len(holders) > 1})
    return rows


def _duty_page(request: HttpRequest, team: Team, form: DutySetForm, status: int = 200) -> HttpResponse:
    user = _user(request)
    assignments = list(selectors.duty_list(actor=user, team=team))
    now = clock.now()
    for assignment in assignments:
        assignment.is_current = assignment.starts_at <= now  # type: ignore[attr-defined]
        assignment.overlaps = any(  # type: ignore[attr-defined]
            other.pk != assignment.pk
            and other.duty == assignment.duty
            and other.starts_at < assignment.ends_at
            and assignment.starts_at < other.ends_at
            for other in assignments
        )
    mark_errors(form)
    context = {
        "team": team,
        "now": _now_on_duty(team),
        "assignments": assignments,
        "form": form,
        "may_set": selectors.may_set_duty(user, team),
    }
    return render(request, "accounts/duty/team.html", context, status=status)


@login_required
@permission_required(Perm.ACCOUNTS_TEAM_VIEW)
def duty_team(request: HttpRequest, public_id: str) -> HttpResponse:
    """Who is on duty for one team, now and for the next 7 days, with the form to set a duty."""
    team = selectors.team_get(actor=_user(request), public_id=public_id)
    return _duty_page(request, team, DutySetForm(initial={"duty": Duty.DUTY_SERGEANT}))


@page(operations.duty_set)
def duty_set(request: HttpRequest, public_id: str) -> HttpResponse:
    team = selectors.team_get(actor=_user(request), public_id=public_id)
    if request.method != "POST":
        return redirect("accounts:duty-team", public_id=team.public_id)
    form = DutySetForm(request.POST)
    if done := submit(request, operations.duty_set, form, target=team):
        assignment = done.value
        messages.success(
            request,
            f"{assignment.user.rank_and_name} is {assignment.get_duty_display().lower()} for {team.name} "
            f"from {_when(assignment.starts_at)} to {_when(assignment.ends_at)}.",
        )
        return redirect("accounts:duty-team", public_id=team.public_id)
    return _duty_page(request, team, form, status=422)


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j M Y H:i")


@page(operations.duty_end)
def duty_end(request: HttpRequest, public_id: str) -> HttpResponse:
    assignment = selectors.duty_get(actor=_user(request), public_id=public_id)
    form = DutyEndForm(request.POST or None)
    if request.method == "POST" and (done := submit(request, operations.duty_end, form, target=assignment)):
        ended = done.value
        if ended.pk is None:
            messages.success(
                request, f"{ended.user.rank_and_name} is no longer down as {ended.get_duty_display().lower()}."
            )
        else:
            messages.success(
                request,
                f"{ended.user.rank_and_name}'s duty as {ended.get_duty_display().lower()} "
                f"ends at {_when(ended.ends_at)}.",
            )
        return redirect("accounts:duty-team", public_id=assignment.team.public_id)
    mark_errors(form)
    return _form_page(request, "accounts/duty/end.html", {"form": form, "assignment": assignment})
