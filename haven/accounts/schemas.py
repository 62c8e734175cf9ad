"""Accounts' input models (every field rule of its writes: users, teams, ranks, API tokens) and the
API's output schemas, which read from the objects themselves (``from_attributes``).

A change (``…UpdateIn``, the API's PATCH) has the same fields as a new record, each optional: only
the fields given change. A field that must have a value refuses ``null`` and ``""`` in the same
words as on a new record.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from django.conf import settings
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints, ValidationInfo, field_validator
from pydantic.json_schema import SkipJsonSchema

from haven.accounts.choices import Duty
from haven.core import clock
from haven.core.operations import Input
from haven.core.permissions import Perm, Role
from haven.core.types import Email, Line, Moment, PhoneNumber, Says, Text

TOKEN_DEFAULT_DAYS = 90


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def kept(default: Any) -> Any:
    """A change's field: left out, it stays as it is (so the API's schema shows no default)."""
    return Field(default=default, json_schema_extra=_no_default)


# --- Users ------------------------------------------------------------------------------------------

NewUsername = Annotated[
    str,
    StringConstraints(pattern=r"^[\w.@+-]+$", min_length=1, max_length=150),
    Says("the username", invalid="Enter a username of letters, digits and @ . + - _ only"),
]
FirstName = Annotated[str, Line(150, min_length=1), Says("the user's first name")]
LastName = Annotated[str, Line(150, min_length=1), Says("the user's last name")]
# Stored in lower case: people type addresses in any case, and they are compared as one.
UserEmail = Annotated[Email, Field(min_length=1), AfterValidator(str.lower), Says("the user's email address")]
CollarNumber = Annotated[str, Line(16), Says("the collar or staff number")]
UserPhone = Annotated[PhoneNumber, Says("the telephone number")]
RankCode = Annotated[str, Line(16), Says("the rank")]
TeamCode = Annotated[str, Line(16), Says("the team")]
Roles = Annotated[list[Role], Says("the roles")]
Active = Annotated[bool, Says("whether the user may sign in")]


class UserCreateIn(Input):
    """A new user. Haven never asks an administrator for someone's password: the new user is e-mailed
    a one-use link to choose their own, and enrols a second factor when they first sign in."""

    username: NewUsername = Field(description="Letters, digits and @ . + - _; it cannot be changed later.")
    first_name: FirstName
    last_name: LastName
    email: UserEmail = Field(description="Where the link to choose a password is sent.")
    collar_number: CollarNumber = ""
    phone: UserPhone = ""
    rank: RankCode | None = Field(default=None, description="A rank or grade code, e.g. PS; null for none.")
    team: TeamCode | None = Field(default=None, description="A team code, e.g. IMU; null for none.")
    roles: Roles = Field(default_factory=list, max_length=len(Role), description="What the user may do.")

    @field_validator("rank", "team")
    @classmethod
    def _blank_is_none(cls, code: str | None) -> str | None:
        return code or None


class UserOnServerIn(UserCreateIn):
    """A user made on the server (operator commands, the demo force, tests), with their password.
    Neither the API nor a page takes a password."""

    password: Annotated[str, Field(min_length=1, max_length=4096), Says("the password")]


class UserUpdateIn(Input):
    """A change to a user: only the fields given change (the username never does)."""

    first_name: FirstName = kept("")
    last_name: LastName = kept("")
    email: UserEmail = kept("")
    collar_number: CollarNumber = kept("")
    phone: UserPhone = kept("")
    rank: RankCode | None = Field(
        default=None, json_schema_extra=_no_default, description="A rank or grade code; null for none."
    )
    team: TeamCode | None = Field(
        default=None, json_schema_extra=_no_default, description="A team code; null for none."
    )
    roles: Roles = Field(
        default_factory=list, max_length=len(Role), description="The user's roles, all of them (the list replaces)."
    )
    is_active: Active = Field(
        default=True, json_schema_extra=_no_default, description="False: the user may no longer sign in (deactivated)."
    )

    @field_validator("rank", "team")
    @classmethod
    def _blank_is_none(cls, code: str | None) -> str | None:
        return code or None


GrantReason = Annotated[str, Text(2_000, min_length=1), Says("why they need the role")]


class RoleGrantIn(Input):
    """Ask to give a user a role. A role in force policy's ``accounts.second_approver_roles`` waits for
    a second administrator's approval; any other is given at once."""

    role: Annotated[Role, Says("the role")] = Field(description="The role to give.")
    reason: GrantReason = Field(description="Why the user needs it, for the approver and the auditors.")


class RoleGrantDecisionIn(Input):
    """A second administrator's decision on a role grant: approve or refuse, with a note if they like."""

    note: Annotated[str, Text(2_000), Says("the note")] = Field(default="", description="Optional.")


class NothingIn(Input):
    """A write with nothing to say: a button (reset a second factor, send a link, lift a lockout,
    revoke a token)."""


# --- Teams and ranks --------------------------------------------------------------------------------

Code = Annotated[str, Line(16, min_length=1), Says("the code")]
TeamName = Annotated[str, Line(128, min_length=1), Says("the team name")]
TeamDescription = Annotated[str, Text(2_000), Says("the description")]
TeamEmail = Annotated[Email, AfterValidator(str.lower), Says("the team email address")]
RankName = Annotated[str, Line(64, min_length=1), Says("the name")]
Seniority = Annotated[int, Field(ge=0, le=32_767), Says("the seniority")]


UserReference = Annotated[
    str, Line(300), Says("the person", required="Enter the person's name, collar number or username")
]
CoveringSupervisor = Annotated[str, Line(300), Says("the covering supervisor")]


class TeamIn(Input):
    code: Code = Field(description="Short form, e.g. IMU.")
    name: TeamName
    description: TeamDescription = ""
    email: TeamEmail = Field(default="", description="Shared inbox told of escalations to the team.")
    is_active: bool = True
    covering_supervisor: CoveringSupervisor = Field(
        default="",
        description="A supervisor or inspector of another team who supervises this team's work: their "
        "username, collar number or name. Needed by an active team with no sergeant of its own.",
    )


class TeamUpdateIn(Input):
    """A change to a team: only the fields given change."""

    code: Code = kept("")
    name: TeamName = kept("")
    description: TeamDescription = kept("")
    email: TeamEmail = kept("")
    is_active: bool = kept(True)
    covering_supervisor: CoveringSupervisor = Field(
        default="", json_schema_extra=_no_default, description="A user reference; blank for none."
    )


class RankIn(Input):
    code: Code = Field(description="Short form, e.g. PS or DI.")
    name: RankName
    seniority: Seniority = Field(description="Higher is more senior (escalation goes up).")
    is_police_staff: bool = False
    is_active: bool = True


class RankUpdateIn(Input):
    """A change to a rank or grade: only the fields given change."""

    code: Code = kept("")
    name: RankName = kept("")
    seniority: Seniority = kept(0)
    is_police_staff: bool = kept(False)
    is_active: bool = kept(True)


# --- Duty -------------------------------------------------------------------------------------------

DutyChoice = Annotated[Duty, Says("the duty")]
DutyStart = Annotated[Moment, Says("the start")]
DutyEnd = Annotated[Moment, Says("the end")]
DUTY_MAX_HOURS = 24


class DutySetIn(Input):
    """A person on duty for a team, from a start to an end (an assignment entered ahead of time is how
    a shift pattern is kept: Haven has no rota generator)."""

    duty: DutyChoice = Field(description="duty_sergeant, duty_inspector or duty_officer.")
    user: UserReference = Field(
        description="Who: a username, public id, collar number, or the name the user picker shows."
    )
    starts_at: DutyStart = Field(description="With a time zone.")
    ends_at: DutyEnd = Field(description=f"With a time zone; after the start, at most {DUTY_MAX_HOURS} hours later.")

    @field_validator("ends_at")
    @classmethod
    def _after_the_start(cls, ends_at: datetime, info: ValidationInfo) -> datetime:
        starts_at = info.data.get("starts_at")
        if starts_at is not None:
            if ends_at <= starts_at:
                raise ValueError("The end must be after the start")
            if ends_at - starts_at > timedelta(hours=DUTY_MAX_HOURS):
                raise ValueError(f"A duty can last at most {DUTY_MAX_HOURS} hours: enter each shift on its own")
        return ends_at


class DutyEndIn(Input):
    """End a duty early: at the time given, or now."""

    ends_at: Annotated[Moment | None, Says("the end")] = Field(
        default=None, description="With a time zone; default now. Before the duty's planned end."
    )


# --- API tokens -------------------------------------------------------------------------------------


class TokenIn(Input):
    """A personal API token: what it is for, the permissions it carries and when it expires.

    Made with another token, the new one may only hand on what that token holds, for no longer than
    it lasts: the route fills ``requesting_token_*`` from the token it was called with (never from
    the body; they come first so the checks below can read them). Whether the owner's roles allow
    each scope is the service's check.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "Nightly case export", "scopes": ["accounts:team:view"], "expires_at": None}],
        }
    )

    requesting_token_scopes: SkipJsonSchema[list[str] | None] = None
    requesting_token_expires_at: SkipJsonSchema[datetime | None] = None
    name: Annotated[str, Line(64, min_length=1), Says("what the token is for")] = Field(
        description="What the token is for."
    )
    scopes: Annotated[list[Perm], Says("the scopes", required="Choose at least one scope")] = Field(
        min_length=1, max_length=len(Perm), description="Permissions the token carries; at most your roles allow."
    )
    expires_at: Annotated[Moment | None, Says("the expiry")] = Field(
        default=None,
        description=f"With a time zone. Default: {TOKEN_DEFAULT_DAYS} days from now (never later than the token used).",
    )
    days: Annotated[int | None, Says("how many days the token lasts")] = Field(
        default=None,
        ge=1,
        # The force's limit at start-up, so the schema says it (a larger number overflowed to a 500).
        le=settings.HAVEN_API_TOKEN_MAX_DAYS,
        description="Instead of expires_at: the token expires this many days from now.",
    )

    @field_validator("scopes")
    @classmethod
    def _held_by_the_requesting_token(cls, scopes: list[Perm], info: ValidationInfo) -> list[Perm]:
        held = info.data.get("requesting_token_scopes")
        beyond = sorted({s.value for s in scopes} - set(held)) if held is not None else []
        if beyond:
            raise ValueError(f"The token making this request does not hold {', '.join(beyond)}")
        return scopes

    @field_validator("expires_at")
    @classmethod
    def _within_the_limits(cls, expires_at: datetime | None, info: ValidationInfo) -> datetime | None:
        if expires_at is not None:
            if expires_at <= clock.now():
                raise ValueError("The expiry must be in the future")
            _no_longer_than_allowed(expires_at, info.data.get("requesting_token_expires_at"))
        return expires_at

    @field_validator("days")
    @classmethod
    def _one_way_to_say_it(cls, days: int | None, info: ValidationInfo) -> int | None:
        if days is not None:
            if info.data.get("expires_at") is not None:
                raise ValueError("Give the expiry or the number of days, not both")
            _no_longer_than_allowed(clock.now() + timedelta(days=days), info.data.get("requesting_token_expires_at"))
        return days

    def expiry(self) -> datetime:
        """When the new token expires: as asked, else the default (cut to the requesting token's end)."""
        if self.expires_at is not None:
            return self.expires_at
        if self.days is not None:
            return clock.now() + timedelta(days=self.days)
        default = clock.now() + timedelta(days=TOKEN_DEFAULT_DAYS)
        return min(default, self.requesting_token_expires_at) if self.requesting_token_expires_at else default


def _no_longer_than_allowed(ends: datetime, requesting_token_ends: datetime | None) -> None:
    """At most ``HAVEN_API_TOKEN_MAX_DAYS`` from now, and never after the token making the request."""
    limit = settings.HAVEN_API_TOKEN_MAX_DAYS
    if ends > clock.now() + timedelta(days=limit):
        raise ValueError(f"A token can last at most {limit} days")
    if requesting_token_ends is not None and ends > requesting_token_ends:
        raise ValueError("A token cannot outlast the token that creates it")


def requesting_token(actor: Any, token: Any) -> dict[str, Any]:
    """``TokenIn``'s context from the API token a request is made with (None for the browser session)."""
    return {
        "requesting_token_scopes": list(token.scopes) if token is not None else None,
        "requesting_token_expires_at": token.expires_at if token is not None else None,
    }


# --- Output -----------------------------------------------------------------------------------------


class RankOut(Schema):
    id: UUID = Field(alias="public_id")
    code: str
    name: str
    seniority: int
    is_police_staff: bool
    is_active: bool


class TeamOut(Schema):
    id: UUID = Field(alias="public_id")
    code: str
    name: str
    description: str
    is_active: bool
    covering_supervisor: str | None = Field(description="The covering supervisor's username, if any.")

    @staticmethod
    def resolve_covering_supervisor(obj: Any) -> str | None:
        user = getattr(obj, "covering_supervisor", None)
        return user.username if user is not None else None


class DutyOut(Schema):
    id: UUID = Field(alias="public_id")
    team: str
    duty: str
    username: str
    name: str
    starts_at: datetime
    ends_at: datetime

    @staticmethod
    def resolve_team(obj: Any) -> str:
        return str(obj.team.code)

    @staticmethod
    def resolve_username(obj: Any) -> str:
        return str(obj.user.username)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user.rank_and_name)


class UserLookupOut(Schema):
    """One match of the user picker."""

    username: str
    public_id: UUID
    name: str = Field(description="Rank and name, e.g. PC Tom Jones.")
    rank: str | None
    collar_number: str
    team: str | None = Field(description="The team's name.")
    label: str = Field(description="What the picker shows and posts back, e.g. 'PC Tom Jones (4521), Response team A'.")


class UserOut(Schema):
    id: UUID = Field(alias="public_id")
    username: str
    display_name: str
    collar_number: str
    rank: str | None
    team: str | None
    roles: list[str]
    is_active: bool

    @staticmethod
    def resolve_rank(obj: Any) -> str | None:
        return _code(obj, "rank")

    @staticmethod
    def resolve_team(obj: Any) -> str | None:
        return _code(obj, "team")


def _code(obj: Any, name: str) -> str | None:
    """The code of ``obj``'s rank or team. ``obj`` is a user, or the mapping a route built from one
    (``/me`` adds to it), which already holds the code: the answer is validated from it again."""
    value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    if value is None or isinstance(value, str):
        return value
    return str(value.code)


class RoleGrantOut(Schema):
    id: UUID = Field(alias="public_id")
    user: str = Field(description="The username of who the role is for.")
    role: str
    reason: str
    state: str = Field(description="pending, approved or refused.")
    requested_by: str
    requested_at: datetime = Field(alias="created_at")
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str

    @staticmethod
    def resolve_user(obj: Any) -> str:
        return str(obj.user.username)

    @staticmethod
    def resolve_requested_by(obj: Any) -> str:
        return str(obj.requested_by.username)

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return obj.decided_by.username if obj.decided_by is not None else None


class MeOut(UserOut):
    permissions: list[str]
    token_scopes: list[str] | None = Field(description="The scopes of the API token used; null for the session.")


class TokenOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The full token. Shown this once only: store it now.")
