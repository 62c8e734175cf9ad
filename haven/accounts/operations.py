"""Every write to accounts, declared once: input model, permission, service, API route, page.

Signing in, enrolling a second factor, signing out and choosing a password from an e-mailed link
are authentication (django-mfa3, django-axes, Django's own views), not writes declared here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from haven.accounts import selectors, services
from haven.accounts.models import ApiToken, DutyAssignment, Rank, RoleGrant, Team, User
from haven.accounts.schemas import (
    DutyEndIn,
    DutyOut,
    DutySetIn,
    NothingIn,
    RankIn,
    RankOut,
    RankUpdateIn,
    RoleGrantDecisionIn,
    RoleGrantIn,
    RoleGrantOut,
    TeamIn,
    TeamOut,
    TeamUpdateIn,
    TokenCreated,
    TokenIn,
    TokenOut,
    UserCreateIn,
    UserOut,
    UserUpdateIn,
    requesting_token,
)
from haven.core.operations import Api, Operation, declare
from haven.core.permissions import Perm


def _user(actor: User, user_id: UUID) -> User:
    return selectors.user_get(actor=actor, public_id=user_id)


def _team(actor: User, team_id: UUID) -> Team:
    return selectors.team_get(actor=actor, public_id=team_id)


def _rank(actor: User, rank_id: UUID) -> Rank:
    return selectors.rank_get(actor=actor, public_id=rank_id)


def _token(actor: User, token_id: UUID) -> ApiToken:
    """Only the caller's own tokens: another user's token is not found, even by an administrator."""
    return selectors.api_token_get(actor=actor, public_id=token_id)


def _created(actor: User, result: tuple[ApiToken, str]) -> dict[str, Any]:
    token, raw = result
    return {**TokenOut.model_validate(token).model_dump(by_alias=True), "token": raw}


# --- Users --------------------------------------------------------------------------------------------

user_create = declare(
    "accounts.user_create",
    input=UserCreateIn,
    perm=Perm.ACCOUNTS_USER_MANAGE,
    service=services.user_create,
    api=Api(
        "POST",
        "/users",
        out=UserOut,
        summary="Add a user (they are e-mailed a link to choose their password)",
        errors=(),
    ),
    page="accounts:admin-user-create",
)

user_update = declare(
    "accounts.user_update",
    input=UserUpdateIn,
    perm=Perm.ACCOUNTS_USER_MANAGE,
    service=services.user_update,
    target="user",
    api=Api(
        "PATCH",
        "/users/{user_id}",
        out=UserOut,
        status=200,
        load=_user,
        summary="Change a user: details, rank, team, roles, or deactivate them (is_active false)",
        errors=(),
    ),
    page="accounts:admin-user-edit",
)

user_reset_second_factor = declare(
    "accounts.user_reset_second_factor",
    input=NothingIn,
    perm=Perm.ACCOUNTS_USER_MANAGE,
    service=services.user_reset_second_factor,
    target="user",
    api=Api(
        "POST",
        "/users/{user_id}/reset-second-factor",
        out=UserOut,
        status=200,
        load=_user,
        summary="Remove a user's second factors: they enrol again at their next sign-in",
        errors=(),
    ),
    page="accounts:admin-user-reset-mfa",
)

user_send_password_link = declare(
    "accounts.user_send_password_link",
    input=NothingIn,
    perm=Perm.ACCOUNTS_USER_MANAGE,
    service=services.user_send_password_link,
    target="user",
    api=Api(
        "POST",
        "/users/{user_id}/send-password-link",
        out=UserOut,
        status=200,
        load=_user,
        summary="E-mail a user a one-use link to choose their password (a password reset)",
        errors=(),
    ),
    page="accounts:admin-user-send-password-link",
)

user_unlock = declare(
    "accounts.user_unlock",
    input=NothingIn,
    perm=Perm.ACCOUNTS_USER_MANAGE,
    service=services.user_unlock,
    target="user",
    api=Api(
        "POST",
        "/users/{user_id}/unlock",
        out=UserOut,
        status=200,
        load=_user,
        summary="Lift a user's sign-in lockout early",
        errors=(),
    ),
    page="accounts:admin-user-unlock",
)

# --- Role grants: four eyes --------------------------------------------------------------------------


def _grant(actor: User, grant_id: UUID) -> RoleGrant:
    return selectors.role_grant_get(actor=actor, public_id=grant_id)


role_grant_request = declare(
    "accounts.role_grant_request",
    input=RoleGrantIn,
    perm=Perm.ACCOUNTS_USER_MANAGE,
    service=services.role_grant_request,
    target="user",
    api=Api(
        "POST",
        "/users/{user_id}/role-grants",
        out=RoleGrantOut,
        load=_user,
        summary="Ask to give a user a role (a second administrator approves the roles force policy lists)",
        description="A role in the policy setting accounts.second_approver_roles (by default the auditor role and "
        "every role that reads case data) waits, state pending, for another administrator's approval; any "
        "other is given at once (state approved). Nobody may change their own roles.",
        errors=(),
    ),
    page="accounts:admin-role-grant-request",
)


def _grant_decision(verb: str, service: Callable[..., RoleGrant], summary: str) -> Operation:
    """A second administrator's decision on a role grant: approving and refusing differ only in what
    the service does, so they are declared alike (``accounts.role_grant_<verb>``, POST
    ``/role-grants/{grant_id}/<verb>``, the page ``accounts:admin-role-grant-<verb>``)."""
    return declare(
        f"accounts.role_grant_{verb}",
        input=RoleGrantDecisionIn,
        perm=Perm.ACCOUNTS_USER_MANAGE,
        service=service,
        target="grant",
        api=Api(
            "POST",
            f"/role-grants/{{grant_id}}/{verb}",
            out=RoleGrantOut,
            status=200,
            load=_grant,
            summary=summary,
            errors=(409,),
        ),
        page=f"accounts:admin-role-grant-{verb}",
    )


role_grant_approve = _grant_decision(
    "approve",
    services.role_grant_approve,
    "Approve a role grant another administrator asked for: the role is given, the auditors told",
)
role_grant_refuse = _grant_decision(
    "refuse", services.role_grant_refuse, "Refuse a role grant another administrator asked for"
)

# --- Teams and ranks ----------------------------------------------------------------------------------

team_create = declare(
    "accounts.team_create",
    input=TeamIn,
    perm=Perm.ACCOUNTS_TEAM_MANAGE,
    service=services.team_create,
    api=Api("POST", "/teams", out=TeamOut, summary="Add a team", errors=()),
    page="accounts:admin-team-create",
)

team_update = declare(
    "accounts.team_update",
    input=TeamUpdateIn,
    perm=Perm.ACCOUNTS_TEAM_MANAGE,
    service=services.team_update,
    target="team",
    api=Api("PATCH", "/teams/{team_id}", out=TeamOut, status=200, load=_team, summary="Change a team", errors=()),
    page="accounts:admin-team-edit",
)

rank_create = declare(
    "accounts.rank_create",
    input=RankIn,
    perm=Perm.ACCOUNTS_RANK_MANAGE,
    service=services.rank_create,
    api=Api("POST", "/ranks", out=RankOut, summary="Add a rank or staff grade", errors=()),
    page="accounts:admin-rank-create",
)

rank_update = declare(
    "accounts.rank_update",
    input=RankUpdateIn,
    perm=Perm.ACCOUNTS_RANK_MANAGE,
    service=services.rank_update,
    target="rank",
    api=Api(
        "PATCH", "/ranks/{rank_id}", out=RankOut, status=200, load=_rank, summary="Change a rank or grade", errors=()
    ),
    page="accounts:admin-rank-edit",
)

# --- API tokens ---------------------------------------------------------------------------------------

api_token_create = declare(
    "accounts.api_token_create",
    input=TokenIn,
    perm=Perm.API_TOKEN_MANAGE,
    service=services.api_token_create,
    api=Api(
        "POST",
        "/tokens",
        out=TokenCreated,
        answer=_created,
        fill=requesting_token,
        summary="Create an API token",
        description="Made with a token, the new one holds at most its scopes and ends no later than it does.",
        errors=(),
    ),
    page="accounts:token-create",
)

api_token_revoke = declare(
    "accounts.api_token_revoke",
    input=NothingIn,
    perm=Perm.API_TOKEN_MANAGE,
    service=services.api_token_revoke,
    target="token",
    api=Api(
        "POST",
        "/tokens/{token_id}/revoke",
        out=TokenOut,
        status=200,
        load=_token,
        summary="Revoke one of your API tokens",
        errors=(),
    ),
    page="accounts:token-revoke",
)

# --- Duty ---------------------------------------------------------------------------------------------


def _duty(actor: User, duty_id: UUID) -> DutyAssignment:
    return selectors.duty_get(actor=actor, public_id=duty_id)


duty_set = declare(
    "accounts.duty_set",
    input=DutySetIn,
    perm=Perm.ACCOUNTS_DUTY_MANAGE,
    service=services.duty_set,
    target="team",
    api=Api(
        "POST",
        "/teams/{team_id}/duties",
        out=DutyOut,
        load=_team,
        summary="Put someone on duty for a team (duty sergeant, duty inspector or duty officer) for a period",
        description="Allowed to a supervisor or inspector of the team, its covering supervisor, or an "
        "administrator. Overlapping assignments of one duty are allowed (a handover between shifts).",
        errors=(),
    ),
    page="accounts:team-duty",
)

duty_end = declare(
    "accounts.duty_end",
    input=DutyEndIn,
    perm=Perm.ACCOUNTS_DUTY_MANAGE,
    service=services.duty_end,
    target="duty",
    api=Api(
        "POST",
        "/duties/{duty_id}/end",
        out=DutyOut,
        status=200,
        load=_duty,
        summary="End a duty early (now, or at the time given); one not yet begun is removed",
        errors=(),
    ),
    page="accounts:duty-end",
)
