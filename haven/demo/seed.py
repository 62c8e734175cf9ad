"""The demo force that `make run` loads: teams and one user per role, each with a TOTP second factor.

Idempotent: running it again changes nothing that already exists. Later issues add their records.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.db import transaction
from mfa.models import MFAKey

from haven.accounts import services
from haven.accounts.models import Rank, Team, User
from haven.core.permissions import Role

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - demo mode only; refused in production settings
DEMO_KEY_NAME = "Demo authenticator"

TEAMS = [
    ("IMU", "Intelligence management unit", "Takes missing reports and grades initial risk."),
    ("RESP-A", "Response team A", "Uniformed response, north sector."),
    ("CATE", "Child abuse and exploitation team", "Investigates child abuse and exploitation."),
    ("OCSET", "Online child sexual exploitation team", "Online child abuse referrals (NCA/CEOP)."),
    ("CRSU", "Central referral and safeguarding unit", "Triages and shares child concern referrals."),
    ("CUSTODY", "Custody", "Custody suites."),
    ("MOSOVO", "Management of sexual or violent offenders", "Registered sex offender management."),
    ("ADMIN", "Haven administration", "Runs Haven for the force."),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    rank: str
    team: str
    roles: tuple[Role, ...]
    collar_number: str = ""


USERS = [
    DemoUser("admin", "Alex", "Morgan", "SO", "ADMIN", (Role.ADMINISTRATOR,), "S1001"),
    DemoUser("callhandler", "Priya", "Shah", "SO", "IMU", (Role.CALL_HANDLER,), "S2040"),
    DemoUser("response", "Tom", "Jones", "PC", "RESP-A", (Role.RESPONSE_OFFICER,), "4521"),
    DemoUser("investigator", "Cerys", "Evans", "DC", "CATE", (Role.INVESTIGATOR,), "3377"),
    DemoUser("sergeant", "Ngozi", "Okafor", "PS", "RESP-A", (Role.SUPERVISOR,), "1190"),
    DemoUser("inspector", "Declan", "Walsh", "INSP", "RESP-A", (Role.INSPECTOR,), "802"),
    DemoUser("crsu", "Imran", "Khan", "DC", "CRSU", (Role.CRSU_OFFICER,), "2864"),
    DemoUser("custody", "Fiona", "Reid", "PS", "CUSTODY", (Role.CUSTODY_OFFICER,), "1502"),
    DemoUser("analyst", "Wei", "Lee", "SO", "IMU", (Role.ANALYST,), "S3105"),
    DemoUser("auditor", "Ruth", "Adeyemi", "SO", "ADMIN", (Role.AUDITOR,), "S1007"),
    DemoUser("partner", "Sam", "Bennett", "", "", (Role.PARTNER,), ""),
]


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
            actor=None, username=spec.username, first_name=spec.first_name, last_name=spec.last_name,
            email=f"{spec.username}@demo.haven.invalid", password=DEMO_PASSWORD,
            rank=ranks.get(spec.rank), team=teams.get(spec.team), roles=[r.value for r in spec.roles],
            collar_number=spec.collar_number,
        )
        MFAKey.objects.create(user=user, method="TOTP", name=DEMO_KEY_NAME, secret=pyotp.random_base32())
        created["users"] += 1
    return created


def demo_code(username: str) -> str:
    """The current TOTP code of a demo user. Refused unless demo mode is on."""
    if not settings.DEMO_MODE:
        raise PermissionError("Demo codes are available only when HAVEN_DEMO_MODE is on.")
    key = MFAKey.objects.filter(user__username=username, method="TOTP").order_by("id").first()
    if key is None:
        raise LookupError(f"{username} has no authenticator app set up.")
    return pyotp.TOTP(key.secret).now()
