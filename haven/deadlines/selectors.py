"""Every read of deadlines: through the cases the user may see (``case_visible_to``), else NotFound."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Least

from haven.cases.selectors import case_visible_to
from haven.core import clock
from haven.core.errors import NotFound
from haven.core.heartbeat import HeartbeatStatus, heartbeat_status
from haven.deadlines.choices import LIVE_STATES, OVERDUE_STATES, DeadlineState
from haven.deadlines.models import Deadline, Escalation

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case

SWEEP = "deadline_sweep"
"""The heartbeat the sweep writes; /healthz, the page header and the DMM board warn when it is stale."""


def sweep_status() -> HeartbeatStatus:
    """Whether the sweep ran lately (stale after ``HAVEN_WORKER_STALE_AFTER``, 2 minutes)."""
    return heartbeat_status(SWEEP)


def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    """Deadlines on cases the user may see."""
    return Deadline.objects.filter(case__in=case_visible_to(user)).select_related(
        "case", "responsible_user", "responsible_team"
    )


def _urgent_first(qs: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """Overdue first (most overdue at the top), then due soonest; paused last."""
    return qs.annotate(
        _paused=SqlCase(When(state=DeadlineState.PAUSED, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("_paused", "due_at", "id")


def deadlines_for_case(*, user: User, case: Case) -> list[Deadline]:
    """The case's deadlines (live ones first, most urgent first; then met and cancelled, latest first).

    NotFound if the user may not see the case. The caller logs the consultation of the case.
    """
    if not case_visible_to(user).filter(pk=case.pk).exists():
        raise NotFound("Not found.")
    rows = list(Deadline.objects.filter(case=case).select_related("responsible_user", "responsible_team", "met_by"))
    live = sorted(
        (d for d in rows if d.state in LIVE_STATES), key=lambda d: (d.state == DeadlineState.PAUSED, d.due_at)
    )
    done = sorted(
        (d for d in rows if d.state not in LIVE_STATES),
        key=lambda d: d.met_at or d.cancelled_at or d.due_at,
        reverse=True,
    )
    return live + done


def my_deadlines(*, user: User) -> QuerySet[Deadline]:
    """Live deadlines the user is responsible for, overdue first, then soonest: on cases they may see, and
    their own duties that belong to no case (a refresher running out, T-02)."""
    on_cases = deadlines_visible_to(user).filter(responsible_user=user, state__in=LIVE_STATES)
    own = Deadline.objects.filter(case__isnull=True, responsible_user=user, state__in=LIVE_STATES)
    return _urgent_first(on_cases | own)


def team_deadlines(*, user: User) -> QuerySet[Deadline]:
    """Live deadlines on the user's team's cases or owned by the team, whoever is named (someone outside
    the team too), except the user's own (those are in :func:`my_deadlines`): overdue first, then soonest."""
    if user.team_id is None:
        return Deadline.objects.none()
    return _urgent_first(
        deadlines_visible_to(user)
        .filter(Q(case__team_id=user.team_id) | Q(responsible_team_id=user.team_id), state__in=LIVE_STATES)
        .exclude(responsible_user=user)
    )


def visible_deadlines(*, user: User) -> QuerySet[Deadline]:
    """Every live deadline on a case the user may see, whoever is responsible: overdue first, then
    soonest. The DMM board's feed (:func:`deadline_feed`) is scoped the same way, so an inspector's
    Deadlines page lists what their board does."""
    return _urgent_first(deadlines_visible_to(user).filter(state__in=LIVE_STATES))


def deadline_feed(*, user: User, within: timedelta = timedelta(hours=24)) -> list[Deadline]:
    """For the daily management meeting board: every live deadline the user may see that is overdue or
    falls due within ``within``; overdue ones first, the most overdue (worst) at the top."""
    horizon = clock.now() + within
    return list(
        deadlines_visible_to(user)
        .filter(state__in=(DeadlineState.OPEN, DeadlineState.BREACHED), due_at__lte=horizon)
        .order_by("due_at", "id")
    )


def escalations_visible_to(*, user: User, deadline: object = None, fired: bool | None = None) -> QuerySet[Escalation]:
    """The escalation steps of the deadlines the user may see (on cases they may see), the latest to
    fire first: of one deadline (its public id; NotFound if they may not see it), and only those that
    fired (``fired=True``) or have not (yet) (``fired=False``). The caller logs the cases shown."""
    rows = Escalation.objects.filter(deadline__in=deadlines_visible_to(user))
    if deadline is not None:
        rows = rows.filter(deadline=deadline_get(user=user, public_id=deadline))
    if fired is not None:
        rows = rows.filter(fired_at__isnull=not fired)
    return rows.select_related("deadline", "deadline__case").order_by("-fire_at", "-id")


def deadline_get(*, user: User, public_id: object) -> Deadline:
    import uuid

    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("Not found.") from None
    deadline = deadlines_visible_to(user).filter(public_id=key).first()
    if deadline is None:
        raise NotFound("Not found.")
    return deadline


def span_words(delta: timedelta) -> str:
    """``2 d 4 h``, ``3 h 10 min``, ``25 min`` (whole minutes, never negative)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


def time_left_words(due_at: datetime, *, now: datetime | None = None) -> str:
    """``due in 2 h 10 min``, ``overdue by 35 min``, ``due now`` (whole minutes, real elapsed time)."""
    now = now or clock.now()
    if due_at > now:
        left = due_at - now
        if left < timedelta(minutes=1):
            return "due now"
        return f"due in {span_words(left)}"
    over = now - due_at
    if over < timedelta(minutes=1):
        return "due now"
    return f"overdue by {span_words(over)}"


# --- For the DMM board (haven.dmm.sections) ------------------------------------------------------
# Unscoped on purpose: the board narrows every one to the cases its reader may see (its access
# compiled once per build), and logs what it shows.


def deadlines_overdue(now: datetime) -> QuerySet[Deadline]:
    """Every open or breached deadline on a case past its due time (index ``deadlines_state_due``)."""
    return Deadline.objects.filter(state__in=OVERDUE_STATES, due_at__lt=now, case__isnull=False)


def deadlines_overdue_between(*, since: datetime, until: datetime) -> QuerySet[Deadline]:
    """The deadlines that can be overdue after ``since`` and up to ``until``: due by then and neither met
    nor cancelled, or met or cancelled since (each arm through an index of its own, migration
    ``deadlines`` 0002), with ``done_at``: the earlier of met and cancelled (PostgreSQL's ``LEAST``
    ignores NULLs). Never the history of met deadlines, nor deadlines without a case."""
    return (
        Deadline.objects.filter(
            Q(met_at__isnull=True, cancelled_at__isnull=True, due_at__lte=until)
            | Q(met_at__gt=since, due_at__lte=until)
            | Q(cancelled_at__gt=since, due_at__lte=until)
        )
        .filter(case__isnull=False)
        .annotate(done_at=Least("met_at", "cancelled_at"))
    )


def deadline_named(*, case_id: int | OuterRef, key: str | OuterRef) -> QuerySet[Deadline]:
    """The deadlines of a case under a key (values, or outer references for a subquery), the newest first."""
    return Deadline.objects.filter(case_id=case_id, key=key).order_by("-id")


# --- For apps with deadlines of their own (no case) and for workload counts ------------------------


def deadline_keys_without_case(kind: str, keys: list[str] | None = None, *, live: bool = False) -> set[str]:
    """The keys of the deadlines of ``kind`` that have no case (an officer's refresher, T-02): among
    ``keys`` if given, only live ones if ``live``. For the app's own sync, which logs nothing."""
    rows = Deadline.objects.filter(case__isnull=True, kind=kind)
    if keys is not None:
        rows = rows.filter(key__in=keys)
    if live:
        rows = rows.filter(state__in=LIVE_STATES)
    return set(rows.values_list("key", flat=True))


def live_case_deadline_counts(user_ids: list[int]) -> dict[int, int]:
    """How many live deadlines on cases each of ``user_ids`` is responsible for (a workload count: no
    case is shown, so nothing to log)."""
    rows = (
        Deadline.objects.filter(responsible_user_id__in=user_ids, state__in=LIVE_STATES, case__isnull=False)
        .values("responsible_user_id")
        .annotate(n=Count("id"))
    )
    return {r["responsible_user_id"]: r["n"] for r in rows}
