"""The board's 30-day trend: for each section that draws a line, how many of its rows were live at the
end of each of the last 29 days, and now.

Reading every episode and deadline that could count on 29 past days costs most of the board's time at
a large force (t1: about 20,000 rows per request through the reader's access). Those days have ended,
so their figures are written once (**settled**: :class:`~haven.dmm.models.TrendFigure` per team and
area, :class:`~haven.dmm.models.RestrictedTrendFigure` per restricted case) by the nightly job
``dmm.trend_settle`` (or by the first reader of a day not yet settled), and a reader's chart sums
them. Now is the board's own figure (or counted live).

Access stays exact. Restricted cases are settled per case and added only where the reader may see
the case; the figures of cases of normal sensitivity are summed for readers whose scope is the whole
force (everyone else's chart is counted row by row through their access). The nightly job settles
the window again, so a record entered late for an earlier day shows from the next night.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import F, IntegerField, QuerySet, Sum, Value, When
from django.utils import timezone

from haven.cases.choices import Sensitivity
from haven.core import clock
from haven.dmm.models import RestrictedTrendFigure, TrendDay, TrendFigure
from haven.dmm.sections import Filters, Series, TrendSource, registered, trend_days
from haven.dmm.sections._common import (
    area_expression,
    filtered,
    live_at_each,
    live_at_each_by,
    one_build,
    visible,
    visible_cases,
    whole_force,
)

if TYPE_CHECKING:
    from haven.accounts.models import User

WINDOW_DAYS = 30


def sources() -> list[TrendSource]:
    return [s.trend for s in registered() if s.trend is not None]


def day_of(at: datetime) -> date:
    """The local day that ends at the midnight ``at``."""
    return (timezone.localtime(at) - timedelta(minutes=1)).date()


def end_of(day: date) -> datetime:
    """The midnight (Europe/London) that ends ``day``."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def live_for(source: TrendSource, *, user: User, filters: Filters, days: list[datetime]) -> list[int]:
    """How many of ``source``'s rows that ``user`` may see were live at each of ``days``, row by row."""
    rows = source.rows(since=days[0], until=days[-1])  # live at an instant: ended after it, if at all
    rows = rows.filter(visible(user, f"{source.case}_id"))
    if filters.area:  # the area needs no join unless it is filtered on
        rows = rows.annotate(area=area_expression(source.episode))
    rows = filtered(rows, filters, team=f"{source.case}__team")
    return live_at_each(rows, start=source.start, end=source.end, days=days, inclusive=source.inclusive)


def settle(days: list[date], *, again: bool = False) -> int:
    """Write the figures of ``days`` (each must have ended) not yet settled, or of all of them ``again``.

    One query per series for all the days together (``live_at_each_by``, per team, area and restricted
    case), over every case. Two readers settling the same day at once write the same figures: the
    second's are ignored (unique constraints). Returns how many figures were written.
    """
    days = sorted(set(days))
    if not days:
        return 0
    written = 0
    with transaction.atomic():
        for source in sources():
            if again:
                for model in (TrendFigure, RestrictedTrendFigure, TrendDay):
                    model.objects.filter(series=source.key, day__in=days).delete()
            done = set(TrendDay.objects.filter(series=source.key, day__in=days).values_list("day", flat=True))
            todo = [d for d in days if d not in done]
            if not todo:
                continue
            written += _settle_source(source, todo)
    return written


def _settle_source(source: TrendSource, days: list[date]) -> int:
    instants = [end_of(d) for d in days]
    case_id = f"{source.case}_id"
    rows = source.rows(since=instants[0], until=instants[-1]).annotate(
        trend_team=F(f"{source.case}__team_id"),
        trend_area=area_expression(source.episode),
        # Restricted cases apart, per case: a reader adds only those they may see.
        trend_case=SqlCase(
            When(**{f"{source.case}__sensitivity": Sensitivity.NORMAL}, then=Value(None)),
            default=F(case_id),
            output_field=IntegerField(),
        ),
    )
    counted = live_at_each_by(
        rows,
        start=source.start,
        end=source.end,
        days=instants,
        inclusive=source.inclusive,
        by=("trend_team", "trend_area", "trend_case"),
    )
    normal, restricted = [], []
    for (team, area, case), values in counted.items():
        for day, value in zip(days, values, strict=True):
            if not value:
                continue
            if case is None:
                normal.append(TrendFigure(day=day, series=source.key, team_id=team, area=area, value=value))
            else:
                restricted.append(
                    RestrictedTrendFigure(
                        day=day, series=source.key, case_id=case, team_id=team, area=area, value=value
                    )
                )
    TrendFigure.objects.bulk_create(normal, ignore_conflicts=True, batch_size=2000)
    RestrictedTrendFigure.objects.bulk_create(restricted, ignore_conflicts=True, batch_size=2000)
    TrendDay.objects.bulk_create([TrendDay(day=d, series=source.key) for d in days], ignore_conflicts=True)
    return len(normal) + len(restricted)


def _settled_for(user: User, filters: Filters, days: list[date]) -> dict[tuple[str, date], int]:
    """The settled figures ``user`` may count, summed per series and day, in one query: those of cases of
    normal sensitivity, and those of the restricted cases ``user`` may see."""

    def narrowed(figures: QuerySet[Any]) -> QuerySet[Any]:
        figures = figures.filter(day__in=days)
        if filters.team:
            figures = figures.filter(team__code=filters.team)
        if filters.area:
            figures = figures.filter(area=filters.area)
        summed: QuerySet[Any] = figures.order_by().values_list("series", "day").annotate(n=Sum("value"))
        return summed

    normal = narrowed(TrendFigure.objects.all())  # index dmm_trend_by_series
    restricted = narrowed(RestrictedTrendFigure.objects.filter(case_id__in=visible_cases(user)))
    sums: dict[tuple[str, date], int] = {}
    for series, day, n in normal.union(restricted, all=True):
        sums[(series, day)] = sums.get((series, day), 0) + n
    return sums


def trend_series(
    *, user: User, filters: Filters, days: list[datetime], now: dict[str, int | None] | None = None
) -> list[Series]:
    """One series per source, a value per instant of ``days`` (the ends of past days, then now).

    ``now`` gives the last point of a series when the board has just counted it (the header's figure
    under the same key: "Missing now", "Overdue"), so the chart ends where the header stands; a series
    it lacks is counted here.
    """
    now = now or {}

    def latest(source: TrendSource) -> list[int]:
        value = now.get(source.key)
        return [value] if value is not None else live_for(source, user=user, filters=filters, days=days[-1:])

    if not whole_force(user):
        # The settled figures are summed over every case of normal sensitivity: only for whole-force
        # readers. Anyone else's chart is counted through their own access, row by row.
        return [
            Series(
                s.key,
                s.label,
                live_for(s, user=user, filters=filters, days=days)
                if now.get(s.key) is None
                else [*live_for(s, user=user, filters=filters, days=days[:-1]), now[s.key] or 0],
            )
            for s in sources()
        ]
    past = [day_of(at) for at in days[:-1]]
    keys = [s.key for s in sources()]
    if TrendDay.objects.filter(day__in=past, series__in=keys).count() < len(past) * len(keys):
        settle(past)  # a day the nightly job has not settled yet (a new force, a job that did not run)
    settled = _settled_for(user, filters, past)
    out = []
    for source in sources():
        out.append(Series(source.key, source.label, [settled.get((source.key, d), 0) for d in past] + latest(source)))
    return out


def trend_build(
    *,
    user: User,
    filters: Filters,
    days: int = WINDOW_DAYS,
    now: dict[str, int | None] | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """The trend chart's data: a label per day and one series per section that draws one (counts only).
    ``now``: the board's header figures, the chart's last points (see :func:`trend_series`). ``until``:
    the chart ends then rather than now (a closed meeting's pack: when it closed)."""
    at = trend_days(until or clock.now(), days)
    with one_build():
        series = trend_series(user=user, filters=filters, days=at, now=now)
    # Each point is the end of a day (midnight after it): label it with that day.
    labels = [(timezone.localtime(a) - timedelta(minutes=1)).strftime("%d %b") for a in at]
    labels[-1] = "Now" if until is None else timezone.localtime(until).strftime("%d %b %H:%M")
    return {"labels": labels, "series": [{"key": s.key, "label": s.label, "values": s.values} for s in series]}


def settle_window(*, again: bool = True) -> int:
    """The nightly job's work: settle (again) every past day of the window, as of now."""
    return settle([day_of(at) for at in trend_days(clock.now(), WINDOW_DAYS)[:-1]], again=again)
