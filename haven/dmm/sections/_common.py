"""Helpers the section modules share: the area of a case and the team and area filters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, connections, transaction
from django.db.models import CharField, Count, F, Q, QuerySet, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf

from haven.cases.choices import Sensitivity
from haven.cases.selectors import case_visible_to, restricted_cases
from haven.core.access import Action, Scope, scope_for
from haven.dmm.sections import Filters

if TYPE_CHECKING:
    from haven.accounts.models import User

_VISIBLE: ContextVar[dict[Any, RawSQL] | None] = ContextVar("dmm_visible_cases", default=None)


@contextmanager
def one_build() -> Iterator[None]:
    """Building one board (or its trend): :func:`visible_cases` compiles the user's access once, and
    the queries run in one transaction without PostgreSQL's JIT.

    The board's queries read thousands of rows through nested loops, so the planner's costs pass
    ``jit_above_cost`` and PostgreSQL compiled them with LLVM on every request: at t1 that took about a
    second (``EXPLAIN ANALYZE``: "JIT: … Total 486 ms" for the overdue list alone) to save a few
    milliseconds. ``SET LOCAL`` ends with the transaction, so nothing else on the connection changes.
    """
    if _VISIBLE.get() is not None:  # already inside one (the board page builds rows, filters and trend)
        yield
        return
    token = _VISIBLE.set({})
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            yield
    finally:
        _VISIBLE.reset(token)


def visible_cases(user: User) -> Any:
    """The ids of the cases ``user`` may see: ``case_visible_to(user)``, for ``case_id__in=``.

    Within :func:`one_build` its SQL is compiled once and reused by every section's query (Django took
    several milliseconds to compile it each time, and the board reads it about eight times); it is the
    same SQL, evaluated by PostgreSQL in each query, so nothing is cached but the text.
    """
    cache = _VISIBLE.get()
    ids = case_visible_to(user).order_by().values("pk") if cache is None or user.pk not in cache else None
    if cache is None:
        return ids
    if ids is not None:
        sql, params = ids.query.sql_with_params()
        cache[user.pk] = RawSQL(sql, params)  # noqa: S611 - Django's own compiled SQL, values as parameters
    return cache[user.pk]


def whole_force(user: User) -> bool:
    """Whether ``user``'s view reaches every case of the force (restricted ones apart)."""
    return scope_for(user, Action.VIEW) == Scope.FORCE


def visible(user: User, field: str = "case_id") -> Q:
    """Rows whose ``field`` (a case id, never NULL) names a case ``user`` may see.

    For a reader whose view reaches the whole force (inspectors, supervisors, analysts…) that is
    every case but the restricted ones hidden from them, and it is said that way round: ``NOT IN`` a
    list of a few hundred restricted cases (index ``cases_case_restricted``), which PostgreSQL hashes
    once and probes per row, instead of looking up each row's case among half a million (thousands of
    random reads a request at t1). Anyone else: ``IN`` :func:`visible_cases`. The same set either way.
    """
    if not whole_force(user):
        return Q(**{f"{field}__in": visible_cases(user)})
    cache = _VISIBLE.get()
    key = ("hidden", user.pk)
    if cache is not None and key in cache:
        return ~Q(**{f"{field}__in": cache[key]})
    restricted = restricted_cases()
    seen = case_visible_to(user).exclude(sensitivity=Sensitivity.NORMAL).order_by().values("pk")
    hidden: Any = restricted.exclude(pk__in=seen).order_by().values("pk")
    if cache is not None:
        sql, params = hidden.query.sql_with_params()
        hidden = cache[key] = RawSQL(sql, params)  # noqa: S611 - Django's own compiled SQL, values as parameters
    return ~Q(**{f"{field}__in": hidden})


def area_expression(episode: str = "") -> Coalesce:
    """The local-authority area of a missing episode: the host authority, else the responsible one.

    ``episode`` is the path to the episode ("" on Episode itself, "case__missing_episode__" from a case).
    Haven has no other notion of area yet: rows without an episode have none ("").
    """
    return Coalesce(
        NullIf(F(f"{episode}host_authority"), Value("")),
        NullIf(F(f"{episode}responsible_authority"), Value("")),
        Value(""),
        output_field=CharField(),
    )


def filtered(rows: QuerySet[Any], filters: Filters, *, team: str, area: str | None = "area") -> QuerySet[Any]:
    """``rows`` narrowed to the team code (field path ``team``) and the area (annotation ``area``)."""
    if filters.team:
        rows = rows.filter(Q(**{f"{team}__code": filters.team}))
    if filters.area:
        rows = rows.filter(Q(**{area: filters.area})) if area else rows.none()
    return rows


def bounded(
    rows: QuerySet[Any], limit: int | None, tallies: dict[str, Q] | None = None
) -> tuple[list[Any], int, dict[str, int]]:
    """At most ``limit`` of ``rows`` (every one if None), in their order; how many there are in all; and
    how many match each of ``tallies`` (a name and a filter: missing now by grade), in one query.

    PostgreSQL counts them as it reads the rows (``COUNT(*) OVER ()``, before the sort and limit), and
    computes the rows' costly columns for the rows listed only (subqueries in the select list are
    evaluated after the sort and limit). ``rows`` may be a ``values()`` query or of model instances.
    """
    windows = {"listed_total": Window(Count("pk"))}
    windows |= {f"listed_{name}": Window(Count("pk", filter=q)) for name, q in (tallies or {}).items()}
    items = list(rows.annotate(**windows)[:limit] if limit is not None else rows.annotate(**windows))
    if not items:
        return [], 0, dict.fromkeys(tallies or {}, 0)
    first = items[0]
    read = first.__getitem__ if isinstance(first, dict) else lambda name: getattr(first, name)
    return items, read("listed_total"), {name: read(f"listed_{name}") for name in tallies or {}}


def live_at_each(rows: QuerySet[Any], *, start: str, end: str, days: list[datetime], inclusive: bool) -> list[int]:
    """How many of ``rows`` were live at each instant of ``days`` (ascending), in one query.

    A row is live at ``at`` from its ``start`` (``start <= at`` if ``inclusive``, else ``start < at``)
    until its ``end`` (``end`` NULL or ``end > at``); ``start`` and ``end`` name fields or annotations
    of ``rows``, which keeps its own filters (the user's access, the board's filters).
    """
    return live_at_each_by(rows, start=start, end=end, days=days, inclusive=inclusive).get((), [0] * len(days))


def live_at_each_by(
    rows: QuerySet[Any], *, start: str, end: str, days: list[datetime], inclusive: bool, by: tuple[str, ...] = ()
) -> dict[tuple[Any, ...], list[int]]:
    """:func:`live_at_each` for each value of the columns ``by`` (fields or annotations of ``rows``).

    PostgreSQL places each row's first and last live instant among ``days`` (``width_bucket`` over the
    sorted array: how many instants are at or before a time; a microsecond earlier for "strictly
    before", timestamps being whole microseconds) and counts the rows per (first, last, *by); the days
    between are summed here. So each row is read once, not once per day, and Django compiles the row
    query once rather than a filtered count per day.
    """
    sql, params = rows.order_by().values_list(start, end, *by).query.sql_with_params()
    n = len(days)
    groups = [f"g{i}" for i in range(len(by))]
    keys = "".join(f", b.{g}" for g in groups)
    columns = "".join(f", r.{g}" for g in groups)
    before = "r.s - interval '1 microsecond'" if inclusive else "r.s"  # live from the first instant after
    first = f"width_bucket({before}, %s::timestamptz[])"
    # Only Django's compiled SQL (values bound as parameters) and fixed expressions are interpolated.
    query = (
        f"SELECT b.first, b.last{keys}, COUNT(*) FROM (SELECT {first} + 1 AS first, "  # noqa: S608
        f"COALESCE(width_bucket(r.e - interval '1 microsecond', %s::timestamptz[]), %s) AS last{columns} "
        f"FROM ({sql}) AS r(s, e{''.join(', ' + g for g in groups)})) AS b WHERE b.first <= b.last "
        f"GROUP BY b.first, b.last{keys}"
    )
    with connections[rows.db].cursor() as cursor:
        cursor.execute(query, [list(days), list(days), n, *params])
        spans = cursor.fetchall()
    steps: dict[tuple[Any, ...], list[int]] = {}
    for first_day, last_day, *key, count in spans:  # 1-based, inclusive
        step = steps.setdefault(tuple(key), [0] * (n + 2))
        step[first_day] += count
        step[last_day + 1] -= count
    out = {}
    for key, step in steps.items():
        values, live = [], 0
        for i in range(1, n + 1):
            live += step[i]
            values.append(live)
        out[key] = values
    return out


# The columns a row reads (with ``select_related`` of them), and no more: episodes, people, users and
# cases are wide rows (free text, JSON, password hashes), and a large force lists thousands of rows,
# where fetching and building every column cost most of a second. What is left out is never read by
# the rows, their templates, ``details``, the API, the pack or the s62 log (the query-count test would
# catch a per-row load).
_CASE = ("public_id", "reference", "state", "sensitivity", "subject_id", "owner_id", "team_id", "pending_owner_id")
_PERSON = ("public_id", "forenames", "surname", "is_restricted")
_USER = ("public_id", "username", "first_name", "last_name", "rank_id", "team_id")


def user_columns(path: str, *, rank: bool = True) -> list[str]:
    """A user's columns (name, username, rank) under ``path`` (``case__owner__``)."""
    return [f"{path}{f}" for f in _USER] + ([f"{path}rank__code", f"{path}rank__name"] if rank else [])


def case_columns(path: str = "case__", *, owner: bool = False, pending_owner: bool = False) -> list[str]:
    """A case's columns under ``path``, its child's and team's, and its owner's (and pending owner's)."""
    columns = [f"{path}{f}" for f in _CASE] + [f"{path}subject__{f}" for f in _PERSON]
    columns += [f"{path}team__code", f"{path}team__name"]
    if owner:
        columns += user_columns(f"{path}owner__")
    if pending_owner:
        columns += user_columns(f"{path}pending_owner__", rank=False)
    return columns
