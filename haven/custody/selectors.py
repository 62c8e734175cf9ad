"""Reads of children's detentions: every one through :func:`detention_visible_to` (the custody
permission and the case's own view scope) and logged as an s62 consultation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from haven.audit.choices import Operation
from haven.cases.selectors import case_visible_to
from haven.core import clock
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.custody import s62
from haven.custody.choices import IN_CUSTODY, BailDecision, CertificateReason, DetentionState
from haven.custody.models import Detention

if TYPE_CHECKING:
    from haven.accounts.models import User


def _related(qs: QuerySet[Detention]) -> QuerySet[Detention]:
    return qs.select_related("case", "case__subject", "child", "certificate", "recorded_by__team")


def detention_visible_to(user: User) -> QuerySet[Detention]:
    """The detentions ``user`` may see: with the custody permission, on cases they may see."""
    if not user.is_authenticated or not user.has_perm(Perm.CUSTODY_DETENTION_VIEW):
        return Detention.objects.none()
    return Detention.objects.filter(case__in=case_visible_to(user))


def _key(public_id: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        return None


def detention_get(*, user: User, public_id: object, log: bool = True) -> Detention:
    """The detention if ``user`` may see it, else NotFound (the same for one that does not exist)."""
    key = _key(public_id)
    if key is None:
        raise NotFound("Not found.")
    detention = (
        _related(detention_visible_to(user))
        .prefetch_related("reviews__reviewed_by", "extensions__authorised_by", "interviews__urgent_authorised_by")
        .filter(public_id=key)
        .first()
    )
    if detention is None:
        hidden = _related(Detention.objects.filter(public_id=key)).first()
        if hidden is not None and user.is_authenticated:
            s62.record_denied(actor=user, detention=hidden, detail={"read": "detention"})
        raise NotFound("Not found.")
    if log:
        s62.record(actor=user, detention=detention, operation=Operation.CONSULTATION, detail={"read": "detention"})
    return detention


# --- Children in custody now (the list, the home page, the DMM board) -----------------------------------


@dataclass
class InCustody:
    detention: Detention
    next_due: datetime | None  # the review (before charge) or the transfer request (after charge) first due
    aa: str
    transfer: str
    certificate: str
    attention: int  # 0 is worst

    @property
    def case(self) -> Any:
        return self.detention.case

    @property
    def person(self) -> Any:
        return self.detention.child


def aa_status(d: Detention) -> str:
    if d.aa_arrived_at:
        return "Arrived"
    if d.aa_name:
        return "Named, not yet arrived"
    return "Requested, none named yet"


def transfer_status(d: Detention) -> str:
    if d.state == DetentionState.DETAINED:
        return "Not charged"
    if d.transferred_at:
        return "Transferred"
    if d.la_requested_at:
        response = d.get_la_response_display() if d.la_response else "awaiting a response"
        return f"Requested ({d.get_la_type_display().lower()}): {response.lower()}"
    return "Not requested"


def certificate_status(d: Detention) -> str:
    cert = getattr(d, "certificate", None)
    if cert is None:
        return "None" if d.state == DetentionState.CHARGED else ""
    flag = ", flagged for an inspector's review" if cert.flagged and cert.flag_reviewed_at is None else ""
    return f"Issued ({'impracticable' if cert.reason == CertificateReason.IMPRACTICABLE else 'no secure bed'}){flag}"


def _row(d: Detention) -> InCustody:
    cert = getattr(d, "certificate", None)
    if d.state == DetentionState.CHARGED:
        waiting = d.la_requested_at is None and cert is None
        flagged = cert is not None and cert.flagged and cert.flag_reviewed_at is None
        attention = 0 if waiting else 1 if flagged else 2
        next_due = d.charged_at
    else:
        attention = 3
        next_due = d.next_review_due
    return InCustody(d, next_due, aa_status(d), transfer_status(d), certificate_status(d), attention)


def in_custody(
    *, user: User, team_code: str = "", limit: int | None = None, log: bool = True
) -> tuple[list[InCustody], int]:
    """Every juvenile in custody now that ``user`` may see, worst first: charged with neither a transfer
    request nor a certificate, then a flagged certificate, then the rest by the next review due.
    With how many there are in all."""
    qs = _related(detention_visible_to(user)).filter(state__in=IN_CUSTODY)
    if team_code:
        qs = qs.filter(case__team__code=team_code)
    rows = sorted((_row(d) for d in qs), key=lambda r: (r.attention, r.next_due or r.detention.authorised_at))
    total = len(rows)
    shown = rows[:limit] if limit is not None else rows
    if log:
        s62.record_list(actor=user, detentions=[r.detention for r in shown], detail={"read": "in custody"})
    return shown, total


def hours_detained(d: Detention, now: datetime | None = None) -> float:
    end = d.ended_at or now or clock.now()
    return round((end - d.relevant_time).total_seconds() / 3600, 1)


# --- The Concordat report (C-10) -----------------------------------------------------------------------


@dataclass
class MonthFigures:
    month: date
    charged_and_detained: int = 0
    transfers_requested: int = 0
    transferred: int = 0
    certificates: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)
    flagged: int = 0
    hours_to_transfer: list[float] = field(default_factory=list)
    children: list[Detention] = field(default_factory=list)

    @property
    def median_hours(self) -> float | None:
        return round(median(self.hours_to_transfer), 1) if self.hours_to_transfer else None

    @property
    def not_transferred(self) -> int:
        return self.charged_and_detained - self.transferred


@dataclass
class ConcordatReport:
    now: datetime
    month: date
    months: list[MonthFigures]  # the chosen month and the eleven before, oldest first

    @property
    def current(self) -> MonthFigures:
        return self.months[-1]


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _previous(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def _bounds(month: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=zone)
    nxt = (month + timedelta(days=32)).replace(day=1)
    return start, datetime(nxt.year, nxt.month, 1, tzinfo=zone)


def concordat_report(*, user: User, month: date | None = None, log: bool = True) -> ConcordatReport:
    """Concordat principle 7 (C-10): by the month a child was charged, the children charged and kept in
    custody, the transfers requested and made, certificates and their reasons, and the time from charge
    to transfer. Only detentions the user may see; NotFound without the report permission."""
    if not user.has_perm(Perm.CUSTODY_REPORT_VIEW):
        raise NotFound("Not found.")
    now = clock.now()
    chosen = _month_start(month or timezone.localtime(now).date())
    months = [chosen]
    for _ in range(11):
        months.insert(0, _previous(months[0]))
    since, _ = _bounds(months[0])
    _, until = _bounds(chosen)
    qs = _related(Detention.objects.filter(case__in=case_visible_to(user))).filter(
        bail_decision=BailDecision.REFUSED, charged_at__gte=since, charged_at__lt=until
    )
    figures = {m: MonthFigures(m) for m in months}
    for d in qs.order_by("charged_at"):
        assert d.charged_at is not None
        f = figures[_month_start(timezone.localtime(d.charged_at).date())]
        f.charged_and_detained += 1
        f.children.append(d)
        f.transfers_requested += d.la_requested_at is not None
        if d.transferred_at:
            f.transferred += 1
            f.hours_to_transfer.append(round((d.transferred_at - d.charged_at).total_seconds() / 3600, 1))
        cert = getattr(d, "certificate", None)
        if cert is not None:
            f.certificates += 1
            f.by_reason[cert.reason] = f.by_reason.get(cert.reason, 0) + 1
            f.flagged += cert.flagged
    report = ConcordatReport(now=now, month=chosen, months=[figures[m] for m in months])
    if log:
        s62.record_list(actor=user, detentions=report.current.children, detail={"read": "Concordat report"})
    return report
