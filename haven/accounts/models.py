"""Who uses Haven: users, their rank, their team, their roles, and their API tokens."""

from __future__ import annotations

import uuid

import pghistory
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.functional import cached_property

from haven.accounts.choices import Duty, GrantState
from haven.core import clock
from haven.core.models import BaseModel
from haven.core.permissions import Perm, Role, permissions_for_roles


@pghistory.track()
class Rank(BaseModel):
    """A police rank or police staff grade; ``seniority`` orders escalation (higher is senior)."""

    code = models.CharField(max_length=16, unique=True, help_text="Short form, e.g. PS or DI.")
    name = models.CharField(max_length=64, unique=True)
    seniority = models.PositiveSmallIntegerField(help_text="Higher is more senior.")
    is_police_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_police_staff", "seniority", "name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class Team(BaseModel):
    """A unit that owns work: IMU, a response team, CATE, OCSET, CRSU, custody, MOSOVO…"""

    code = models.CharField(max_length=16, unique=True, help_text="Short form, e.g. IMU.")
    name = models.CharField(max_length=128, unique=True)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True, help_text="Shared inbox told of escalations to the team.")
    is_active = models.BooleanField(default=True)
    covering_supervisor = models.ForeignKey(
        "User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams_covered",
        help_text="A supervisor or inspector of another team who supervises this team's work "
        "when it has no sergeant of its own.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person who signs in to Haven: an officer, member of police staff or partner agency user.

    Roles are names from :class:`haven.core.permissions.Role`; what they allow is decided in code.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    collar_number = models.CharField(
        max_length=16, blank=True, help_text="Collar or staff number, shown beside the name."
    )
    rank = models.ForeignKey(Rank, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    roles = ArrayField(models.CharField(max_length=32, choices=Role.choices), default=list, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(roles__contained_by=Role.values),
                name="accounts_user_roles_known",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.updated_at = clock.now()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def rank_and_name(self) -> str:
        return f"{self.rank.code} {self.display_name}" if self.rank else self.display_name

    @cached_property
    def permissions(self) -> frozenset[Perm]:
        return permissions_for_roles(self.roles)

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles if r in Role.values]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class DutyAssignment(BaseModel):
    """One person on one duty for one team, from ``starts_at`` until ``ends_at`` (aware UTC).

    Entered ahead of time by a supervisor (there is no rota generator). Two assignments of the same
    duty may overlap (a handover between shifts): both people are on duty for that time.
    """

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="duties")
    duty = models.CharField(max_length=32, choices=Duty.choices)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="duties")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    set_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ended_early_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_at", "duty"]
        indexes = [models.Index(fields=["team", "duty", "ends_at"], name="accounts_duty_team_ends")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="accounts_duty_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(duty__in=Duty.values), name="accounts_duty_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_display()}, {self.team}: {self.user}"


class ApiToken(BaseModel):
    """A personal API token for an integration. Only a SHA-256 of the secret is stored.

    The full token (``hvn_<prefix>_<secret>``) is shown once, when created. ``scopes`` are
    permissions; a request made with the token may do what both the scopes and the owner's current
    roles allow, until the token expires or is revoked.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=64, help_text="What the token is for.")
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = ArrayField(models.CharField(max_length=64), default=list)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scopes__contained_by=[p.value for p in Perm]),
                name="accounts_apitoken_scopes_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > clock.now()


@pghistory.track()
class RoleGrant(BaseModel):
    """A role an administrator asked to give a user, which a second administrator must approve before
    it is given (force policy ``accounts.second_approver_roles``: the auditor role and every role
    that reads case data). Nobody decides a grant they asked for, nor one to themselves."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    reason = models.TextField(help_text="Why the user needs the role, for the approver and the auditors.")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=GrantState.choices, default=GrantState.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="accounts_rolegrant_role_known"),
            models.CheckConstraint(
                condition=models.Q(state__in=GrantState.values), name="accounts_rolegrant_state_known"
            ),
            # Four eyes in the database too: the asker never decides, and nobody asks for themselves.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True) | ~models.Q(decided_by=models.F("requested_by")),
                name="accounts_rolegrant_second_approver",
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")), name="accounts_rolegrant_not_to_oneself"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(state=GrantState.PENDING),
                name="accounts_rolegrant_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{Role(self.role).label} for {self.user}"
