"""The demo force's teams and users. Plain data: importable before Django is set up."""

from __future__ import annotations

from dataclasses import dataclass

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
    # A second administrator: giving a role that reads case data or the log needs two (four eyes).
    DemoUser("admin2", "Jo", "Carter", "SO", "ADMIN", (Role.ADMINISTRATOR,), "S1002"),
    DemoUser("callhandler", "Priya", "Shah", "SO", "IMU", (Role.CALL_HANDLER,), "S2040"),
    DemoUser("response", "Tom", "Jones", "PC", "RESP-A", (Role.RESPONSE_OFFICER,), "4521"),
    DemoUser("investigator", "Cerys", "Evans", "DC", "CATE", (Role.INVESTIGATOR,), "3377"),
    DemoUser("sergeant", "Ngozi", "Okafor", "PS", "RESP-A", (Role.SUPERVISOR,), "1190"),
    DemoUser("imusergeant", "Gareth", "Price", "PS", "IMU", (Role.SUPERVISOR,), "1466"),
    DemoUser("cateds", "Aisha", "Bello", "DS", "CATE", (Role.SUPERVISOR,), "2215"),
    DemoUser("crsuds", "Owen", "Hughes", "DS", "CRSU", (Role.SUPERVISOR,), "2390"),
    DemoUser("inspector", "Declan", "Walsh", "INSP", "RESP-A", (Role.INSPECTOR,), "802"),
    DemoUser("crsu", "Imran", "Khan", "DC", "CRSU", (Role.CRSU_OFFICER,), "2864"),
    DemoUser("custody", "Fiona", "Reid", "PS", "CUSTODY", (Role.CUSTODY_OFFICER,), "1502"),
    DemoUser("analyst", "Wei", "Lee", "SO", "IMU", (Role.ANALYST,), "S3105"),
    DemoUser("auditor", "Ruth", "Adeyemi", "SO", "ADMIN", (Role.AUDITOR,), "S1007"),
    # Partner agency users: Sam at Leeds children's services, Rhys at Bradford's (haven/partners/demo.py).
    DemoUser("partner", "Sam", "Bennett", "", "", (Role.PARTNER,), ""),
    DemoUser("partnerbd", "Rhys", "Clarke", "", "", (Role.PARTNER,), ""),
]

# Every team has a supervisor chain (docs/accounts.md): teams with no sergeant of their own name a
# covering supervisor, by username. The IMU's covering inspector lets him be its duty inspector.
COVERING_SUPERVISORS = {
    "IMU": "inspector",
    "OCSET": "cateds",
    "MOSOVO": "cateds",
    "CUSTODY": "inspector",
    "ADMIN": "inspector",
}

# Who is on duty for the shift under way when the demo is loaded: (team, duty, username).
DUTIES = [
    ("RESP-A", "duty_sergeant", "sergeant"),
    ("RESP-A", "duty_inspector", "inspector"),
    ("IMU", "duty_sergeant", "imusergeant"),
    ("IMU", "duty_inspector", "inspector"),
    ("IMU", "duty_officer", "callhandler"),
]
SHIFT_STARTS = (7, 19)  # local hours: a day shift 07:00-19:00 and a night shift 19:00-07:00
