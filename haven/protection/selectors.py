"""Reading police protection: each read takes the user and answers only what they may see (404 otherwise);
each read that shows a child is an s62 consultation.

Who sees a police protection: whoever may see its case (haven.cases decides: owner, team, scope, named
members), and always its initiating and designated officers. The address of a refuge the child is kept
in is need-to-know (DP-06): the designated officer (appointed by another), the officer who recorded it,
and the roles force policy names for refuge addresses; every read of it logged with why.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from haven.accounts.models import Rank
from haven.audit.choices import JustificationKind, Operation
from haven.cases.selectors import case_visible_to
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.people.selectors import has_safeguarding_role
from haven.policy.selectors import policy_value
from haven.protection import policy, rules, s62
from haven.protection.choices import CHECKLIST, Item
from haven.protection.models import Notification, PoliceProtection
from haven.workforce.choices import Activity, Answer
from haven.workforce.selectors import may

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case

WITHHELD = "Address withheld (refuge)"


def protection_visible_to(user: User) -> QuerySet[PoliceProtection]:
    if not user.is_authenticated or not user.has_perm(Perm.PROTECTION_CASE_VIEW):
        return PoliceProtection.objects.none()
    # EXISTS on the row's own case, not ``case__in`` the visible cases: ORed with the officers, an IN
    # stays a subplan that PostgreSQL cannot hash at a force's size (half a million case ids at t1), so
    # it searched that list row by row (3-10 s for the DMM board's 25 rows); EXISTS probes the case by
    # its primary key (0.4 ms). The same rows either way.
    case = case_visible_to(user).filter(pk=OuterRef("case_id"))
    return PoliceProtection.objects.filter(
        Exists(case) | Q(designated_officer_id=user.pk) | Q(initiating_officer_id=user.pk)
    )


def _related(found: QuerySet[PoliceProtection]) -> QuerySet[PoliceProtection]:
    return found.select_related(
        "case",
        "case__subject",  # the s62 row names each case's subject (the DMM board read them one by one)
        "case__owner",
        "child",
        "initiating_officer",
        "initiating_officer__rank",
        "designated_officer",
        "designated_officer__rank",
        "ended_by",
        "ended_by__rank",
        "strategy_discussion",
    ).prefetch_related(Prefetch("notifications", queryset=Notification.objects.select_related("by", "by__rank")))


def _key(public_id: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None


def _justification(user: User, protection: PoliceProtection) -> tuple[JustificationKind, str]:
    if protection.designated_officer_id == user.pk:
        return JustificationKind.ALLOCATED, "Designated officer."
    if protection.initiating_officer_id == user.pk:
        return JustificationKind.ALLOCATED, "Used the police protection power."
    return JustificationKind.TEAM, "May see the case."


def protection_get(*, user: User, public_id: object, log: bool = True) -> PoliceProtection:
    """The police protection if ``user`` may see it, else NotFound (the same for one that does not exist).
    A read is an s62 consultation naming the child and case, unless ``log=False`` (a write that follows logs)."""
    key = _key(public_id)
    found = _related(protection_visible_to(user)).filter(public_id=key).first()
    if found is None:
        hidden = _related(PoliceProtection.objects.filter(public_id=key)).first()
        if hidden is not None and user.is_authenticated:
            refused(user=user, protection=hidden)
        raise NotFound("Not found.")
    if log:
        kind, why = _justification(user, found)
        s62.record(
            actor=user,
            protection=found,
            operation=Operation.CONSULTATION,
            justification=why,
            justification_kind=kind,
            detail={"read": "police protection"},
        )
    return found


def refused(*, user: User, protection: PoliceProtection, what: str = "police protection") -> NoReturn:
    s62.record_denied(actor=user, protection=protection, detail={"read": what})
    raise NotFound("Not found.")


def protection_of_case(*, user: User, case: Case) -> PoliceProtection | None:
    """The police protection of ``case`` (a Case) if it has one the user may see (unlogged: the case page logs)."""
    return protection_visible_to(user).filter(case=case).first()


# --- The designated officer (PP-03, PP-04) ---------------------------------------------------------


def _min_rank() -> tuple[int, str]:
    code = policy_value(policy.DESIGNATED_MIN_RANK)
    rank = Rank.objects.filter(code=code).first()
    name = dict(policy.RANKS).get(code, code)
    return (rank.seniority if rank is not None else 30), name


def designated_officer_problem(officer: User, initiating: User) -> str:
    """Why ``officer`` cannot be the designated officer of a police protection ``initiating`` started, in
    words; "" if they can. PP-03, PP-04 (rank, force policy), and the workforce gate (T-01: the
    designated officer's training), which must allow the work alone."""
    problem = rules.pp03_problem(initiating, officer)
    if problem:
        return problem
    seniority, name = _min_rank()
    problem = rules.pp04_problem(officer, seniority, name)
    if problem:
        return problem
    if not officer.has_perm(Perm.PROTECTION_DESIGNATED_OFFICER):
        return f"{officer.rank_and_name} cannot be the designated officer: their role does not include it"
    gate = may(officer, Activity.POLICE_PROTECTION)
    if gate.answer != Answer.ALONE:
        return f"{officer.rank_and_name} cannot be the designated officer yet: {gate.reason}"
    return ""


# --- The checklist ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistRow:
    item: Item
    rows: list[Notification]

    @property
    def complete(self) -> bool:
        return bool(self.rows)

    @property
    def label(self) -> str:
        return self.item.label


def checklist(protection: PoliceProtection) -> list[ChecklistRow]:
    """PP-05 and PP-06: each notification with what has been recorded for it (parents last)."""
    rows = list(protection.notifications.all())
    return [ChecklistRow(item, [n for n in rows if n.item == item]) for item in (*CHECKLIST, Item.PARENTS)]


def missing(protection: PoliceProtection) -> list[Item]:
    """Every notification not yet recorded, PP-05's and PP-06's."""
    notes = list(protection.notifications.all())
    found = rules.pp05_missing(notes)
    if rules.pp06_problem(notes):
        found.append(Item.PARENTS)
    return found


# --- Lists -----------------------------------------------------------------------------------------


def open_protections(*, user: User, team_code: str = "", log: bool = True) -> list[PoliceProtection]:
    """Children in police protection now that ``user`` may see: the fewest hours left first. Logged."""
    found = _related(protection_visible_to(user).filter(ended_at__isnull=True)).order_by("expires_at", "id")
    if team_code:
        found = found.filter(case__team__code=team_code)
    protections = list(found)
    if log:
        s62.record_list(actor=user, protections=protections, detail={"read": "children in police protection"})
    return protections


def recently_ended(*, user: User, limit: int = 20) -> list[PoliceProtection]:
    found = list(_related(protection_visible_to(user).filter(ended_at__isnull=False)).order_by("-ended_at")[:limit])
    s62.record_list(actor=user, protections=found, detail={"read": "police protection ended"})
    return found


def mine(*, user: User) -> list[PoliceProtection]:
    """Open police protections where ``user`` is the designated or initiating officer (their home page)."""
    found = list(
        _related(
            PoliceProtection.objects.filter(ended_at__isnull=True).filter(
                Q(designated_officer_id=user.pk) | Q(initiating_officer_id=user.pk)
            )
        ).order_by("expires_at")
    )
    s62.record_list(actor=user, protections=found, detail={"read": "home: children in police protection"})
    return found


# --- The refuge address (DP-06) ----------------------------------------------------------------------


def refuge_need(user: User, protection: PoliceProtection) -> str:
    """Why ``user`` may see the refuge address the child is kept at, in words for the s62 log; "" if not.
    Need-to-know is never one the reader gave themselves: a designated officer who appointed themselves
    does not count."""
    if not protection.is_refuge or not user.is_authenticated or not user.is_active:
        return ""
    if has_safeguarding_role(user):
        return "Holds a safeguarding role named by force policy."
    if protection.accommodation_by_id == user.pk:
        return "Recorded where the child is kept."
    if protection.designated_officer_id == user.pk and protection.initiating_officer_id != user.pk:
        return "Designated officer for the child's police protection."
    return ""


def address_shown(user: User, protection: PoliceProtection) -> str:
    """The accommodation address as ``user`` may see it on a summary: a refuge's is always withheld here
    (it is read on its own page, with the read logged)."""
    if protection.is_refuge:
        return WITHHELD
    return protection.accommodation_address


def refuge_address(*, user: User, protection: PoliceProtection) -> str:
    """The refuge address, for one with need-to-know (else NotFound); the read logged with why."""
    why = refuge_need(user, protection)
    if not why:
        refused(user=user, protection=protection, what="refuge address")
    s62.record(
        actor=user,
        protection=protection,
        operation=Operation.CONSULTATION,
        justification=why,
        justification_kind=JustificationKind.STATED,
        detail={"read": "refuge address", "restricted": True},
    )
    return protection.accommodation_address
