"""The demo force that `make run` loads: teams and one user per role, each with a TOTP second factor.

Idempotent: running it again changes nothing that already exists. Later issues add their records.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from mfa.models import MFAKey

from haven.accounts import services
from haven.accounts.models import DutyAssignment, Rank, RoleGrant, Team, User
from haven.accounts.schemas import RoleGrantIn, UserOnServerIn
from haven.cases.demo import seed_cases
from haven.core import clock
from haven.core.permissions import Role
from haven.custody.demo import seed_custody
from haven.deadlines.demo import seed_deadlines
from haven.demo.constants import (
    COVERING_SUPERVISORS,
    DEMO_KEY_NAME,
    DEMO_PASSWORD,
    DUTIES,
    SHIFT_STARTS,
    TEAMS,
    USERS,
)
from haven.dmm.demo import seed_dmm
from haven.guidance.demo import seed_guidance
from haven.missing.demo import seed_missing
from haven.partners.demo import seed_partners
from haven.people.demo import seed_people
from haven.protection.demo import seed_protection
from haven.referrals.demo import seed_referrals
from haven.triggerplans.demo import seed_triggerplans
from haven.workforce.demo import seed_workforce


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create what is missing of the demo force; return how many of each were created."""
    created = {"teams": 0, "users": 0}
    teams = {}
    for code, name, description in TEAMS:
        team, made = Team.objects.get_or_create(code=code, defaults={"name": name, "description": description})
        teams[code] = team
        created["teams"] += made
    ranks = {r.code: r for r in Rank.objects.all()}
    for spec in USERS:
        if User.objects.filter(username=spec.username).exists():
            continue
        user = services.user_create(
            actor=None,
            data=UserOnServerIn(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@demo.haven.invalid",
                password=DEMO_PASSWORD,
                rank=spec.rank if spec.rank in ranks else None,
                team=spec.team if spec.team in teams else None,
                roles=list(spec.roles),
                collar_number=spec.collar_number,
            ),
        )
        MFAKey.objects.create(user=user, method="TOTP", name=DEMO_KEY_NAME, secret=pyotp.random_base32())
        created["users"] += 1
    for code, username in COVERING_SUPERVISORS.items():
        Team.objects.filter(code=code, covering_supervisor__isnull=True).update(
            covering_supervisor=User.objects.filter(username=username).first()
        )
    created["role grants"] = _seed_role_grant()
    created["duties"] = _seed_duties()
    created["people"] = seed_people()
    created["cases"] = seed_cases()
    # Before the missing demo: a found child's return home interview request reaches Leeds' portal (M-12).
    created["partner agencies and shares"] = seed_partners()
    created["missing episodes"] = seed_missing()
    created["trigger plans"] = seed_triggerplans()
    created["deadlines"] = seed_deadlines()
    created["dmm records"] = seed_dmm()
    created["training records"] = seed_workforce()
    created["guidance items"] = seed_guidance()
    created["child concern referrals"] = seed_referrals()
    created["police protection"] = seed_protection()
    created["children in custody"] = seed_custody()
    return created


def _seed_role_grant() -> int:
    """One role grant waiting for the second administrator: Alex Morgan asked to make the analyst an
    auditor; Jo Carter ("admin2") sees it under "Roles to approve"."""
    if RoleGrant.objects.exists():
        return 0
    services.role_grant_request(
        actor=User.objects.get(username="admin"),
        user=User.objects.get(username="analyst"),
        data=RoleGrantIn(role=Role.AUDITOR, reason="Joining the information management team's audit of access."),
    )
    return 1


def _current_shift() -> tuple[datetime, datetime]:
    """The day (07:00-19:00) or night (19:00-07:00) shift under way, in the force's time zone."""
    now = timezone.localtime(clock.now())
    day, night = SHIFT_STARTS
    today = now.date()
    if day <= now.hour < night:
        start = datetime.combine(today, time(day))
    elif now.hour >= night:
        start = datetime.combine(today, time(night))
    else:
        start = datetime.combine(today - timedelta(days=1), time(night))
    begins = timezone.make_aware(start)
    return begins, timezone.make_aware(start + timedelta(hours=12))


def _seed_duties() -> int:
    """The duty sergeant, duty inspector and duty officer of the shift under way, unless someone is on it."""
    starts_at, ends_at = _current_shift()
    now = clock.now()
    made = 0
    for code, duty, username in DUTIES:
        team = Team.objects.filter(code=code).first()
        user = User.objects.filter(username=username).first()
        if team is None or user is None:
            continue
        on = DutyAssignment.objects.filter(team=team, duty=duty, starts_at__lte=now, ends_at__gt=now)
        if not on.exists():
            DutyAssignment.objects.create(team=team, duty=duty, user=user, starts_at=starts_at, ends_at=ends_at)
            made += 1
    return made


def demo_code(username: str) -> str:
    """The current TOTP code of a demo user. Refused unless demo mode is on."""
    if not settings.DEMO_MODE:
        raise PermissionError("Demo codes are available only when HAVEN_DEMO_MODE is on.")
    key = MFAKey.objects.filter(user__username=username, method="TOTP").order_by("id").first()
    if key is None:
        raise LookupError(f"{username} has no authenticator app set up.")
    return pyotp.TOTP(key.secret).now()
