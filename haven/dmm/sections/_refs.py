"""Read-only stand-ins for the cases, children, users and deadlines the big sections list.

A large force has thousands of rows on the board at once (t1: two thousand children missing, three
thousand deadlines overdue). Built as Django model instances (seven per overdue row, with their
related objects), they cost most of a second of Python; read as plain values (``QuerySet.values``)
into these small objects, a few tens of milliseconds. They carry what the rows, their templates and
``details``, the API, the pack and the s62 log read (``pk``, ``public_id``, the reference, names,
rank), under the same names as the models, and nothing else: they are never saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from haven.accounts.models import Team, User
from haven.cases.choices import Sensitivity
from haven.cases.selectors import cases_with_ids
from haven.people.selectors import people_with_ids


@dataclass(slots=True, eq=False)
class PersonRef:
    pk: int
    public_id: Any
    forenames: str
    surname: str

    def __str__(self) -> str:  # as Person.__str__
        return f"{self.forenames} {self.surname}"


@dataclass(slots=True, eq=False)
class TeamRef:
    pk: int
    code: str
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(slots=True, eq=False)
class UserRef:
    pk: int
    public_id: Any
    username: str
    first_name: str
    last_name: str
    rank_code: str | None

    def get_full_name(self) -> str:  # as AbstractUser.get_full_name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:  # as User.display_name
        return self.get_full_name() or self.username

    @property
    def rank_and_name(self) -> str:  # as User.rank_and_name
        return f"{self.rank_code} {self.display_name}" if self.rank_code is not None else self.display_name

    def __str__(self) -> str:
        return self.display_name


@dataclass(slots=True, eq=False)
class CaseRef:
    pk: int
    public_id: Any
    reference: str
    state: str
    sensitivity: str
    owner_id: int | None
    pending_owner_id: int | None
    team_id: int | None
    subject_id: int
    subject: PersonRef
    owner: UserRef | None  # None when not read (``case_values(owner=False)``): see ``owner_id``
    pending_owner: UserRef | None
    team: TeamRef | None

    @property
    def id(self) -> int:
        return self.pk

    @property
    def is_restricted(self) -> bool:
        return self.sensitivity == Sensitivity.RESTRICTED

    def __str__(self) -> str:
        return self.reference


@dataclass(slots=True, eq=False)
class DeadlineRef:
    pk: int
    public_id: Any
    case_id: int
    kind: str
    rule_id: str
    what: str
    key: str
    state: str
    due_at: datetime
    responsible_user: UserRef | None
    responsible_team: TeamRef | None


# --- reading them from QuerySet.values() -----------------------------------------------------------

_USER = ("id", "public_id", "username", "first_name", "last_name", "rank__code")


def user_values(path: str) -> list[str]:
    return [f"{path}{f}" for f in _USER]


def user_ref(v: dict[str, Any], path: str) -> UserRef | None:
    if v[f"{path}id"] is None:
        return None
    return UserRef(*(v[f"{path}{f}"] for f in _USER))


def team_values(path: str) -> list[str]:
    return [f"{path}id", f"{path}code", f"{path}name"]


def team_ref(v: dict[str, Any], path: str) -> TeamRef | None:
    if v[f"{path}id"] is None:
        return None
    return TeamRef(v[f"{path}id"], v[f"{path}code"], v[f"{path}name"])


_CASE = (
    "id",
    "public_id",
    "reference",
    "state",
    "sensitivity",
    "owner_id",
    "pending_owner_id",
    "team_id",
    "subject_id",
)
_PERSON = ("id", "public_id", "forenames", "surname")


def case_values(path: str = "case__", *, owner: bool = False, pending_owner: bool = False) -> list[str]:
    """The values :func:`case_ref` reads, under ``path``."""
    columns = [f"{path}{f}" for f in _CASE] + [f"{path}subject__{f}" for f in _PERSON] + team_values(f"{path}team__")
    if owner:
        columns += user_values(f"{path}owner__")
    if pending_owner:
        columns += user_values(f"{path}pending_owner__")
    return columns


def case_ref(v: dict[str, Any], path: str = "case__", *, owner: bool = False, pending_owner: bool = False) -> CaseRef:
    return CaseRef(
        **{("pk" if f == "id" else f): v[f"{path}{f}"] for f in _CASE},
        subject=PersonRef(*(v[f"{path}subject__{f}"] for f in _PERSON)),
        owner=user_ref(v, f"{path}owner__") if owner else None,
        pending_owner=user_ref(v, f"{path}pending_owner__") if pending_owner else None,
        team=team_ref(v, f"{path}team__"),
    )


def cases_by_id(ids: set[int], *, owner: bool = False, pending_owner: bool = False) -> dict[int, CaseRef]:
    """The cases ``ids`` with their child and team (and owner, pending owner), by id: no query for none.

    The rows' own query stays small: joined there, the case, child, users and ranks made PostgreSQL
    plan a join of ten tables for every request (20 ms at t1) and misjudge how many rows it would meet.
    The users come in a query of their own too: joined twice here, PostgreSQL hashed the whole user
    table twice for a hundred cases.
    """
    if not ids:
        return {}
    values = list(cases_with_ids(ids).order_by().values(*case_values("")))
    wanted = ({v["owner_id"] for v in values} if owner else set()) | (
        {v["pending_owner_id"] for v in values} if pending_owner else set()
    )
    users = users_by_id(wanted - {None})
    cases = {}
    for v in values:
        case = case_ref(v, "")
        case.owner = users.get(v["owner_id"]) if owner else None
        case.pending_owner = users.get(v["pending_owner_id"]) if pending_owner else None
        cases[case.pk] = case
    return cases


def people_by_id(ids: set[int]) -> dict[int, PersonRef]:
    """The people ``ids`` (names and public ids only), in one query by id."""
    if not ids:
        return {}
    return {v[0]: PersonRef(*v) for v in people_with_ids(ids).order_by().values_list(*_PERSON)}


def users_by_id(ids: set[int]) -> dict[int, UserRef]:
    """The users ``ids`` (name, username, rank), in one query by id."""
    if not ids:
        return {}
    return {v["id"]: UserRef(*(v[f] for f in _USER)) for v in User.objects.filter(pk__in=ids).values(*_USER)}


def teams_by_id(ids: set[int]) -> dict[int, TeamRef]:
    """The teams ``ids``, in one query by id."""
    if not ids:
        return {}
    return {t[0]: TeamRef(*t) for t in Team.objects.filter(pk__in=ids).order_by().values_list("id", "code", "name")}
