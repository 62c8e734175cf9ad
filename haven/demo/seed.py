"""The demo force that `make run` loads: teams and one user per role, each with a TOTP second factor.

Idempotent: running it again changes nothing that already exists. Later issues add their records.
"""

from __future__ import annotations

import pyotp
from django.conf import settings
from django.db import transaction
from mfa.models import MFAKey

from haven.accounts import services
from haven.accounts.models import Rank, Team, User
from haven.accounts.schemas import UserOnServerIn
from haven.cases.demo import seed_cases
from haven.deadlines.demo import seed_deadlines
from haven.demo.constants import DEMO_KEY_NAME, DEMO_PASSWORD, TEAMS, USERS
from haven.dmm.demo import seed_dmm
from haven.missing.demo import seed_missing
from haven.people.demo import seed_people
from haven.triggerplans.demo import seed_triggerplans


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
    created["people"] = seed_people()
    created["cases"] = seed_cases()
    created["missing episodes"] = seed_missing()
    created["trigger plans"] = seed_triggerplans()
    created["deadlines"] = seed_deadlines()
    created["dmm records"] = seed_dmm()
    return created


def demo_code(username: str) -> str:
    """The current TOTP code of a demo user. Refused unless demo mode is on."""
    if not settings.DEMO_MODE:
        raise PermissionError("Demo codes are available only when HAVEN_DEMO_MODE is on.")
    key = MFAKey.objects.filter(user__username=username, method="TOTP").order_by("id").first()
    if key is None:
        raise LookupError(f"{username} has no authenticator app set up.")
    return pyotp.TOTP(key.secret).now()
