"""Bulk loading with PostgreSQL COPY: rows as dicts in, text-format COPY out, straight into the tables.

:class:`Table` reads a model's concrete columns from Django, so a field another app adds later is
filled with its model default without touching the generator. Generated columns
(``people_person.surname_metaphone``, dmetaphone of the normalised surname) are left out of the column
list: PostgreSQL computes them as each row arrives. ``normalised_name`` and ``normalised_surname`` are
ordinary columns that Haven's services fill in Python; the generator fills them with the same
:func:`haven.people.rules.normalise_name`.
"""

from __future__ import annotations

import json
import re
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TextIO

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED

_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_MISSING = object()


def _str(value: str) -> str:
    return value.translate(_ESCAPES) if _NEEDS_ESCAPE.search(value) else value


def _array(value: list[Any] | tuple[Any, ...]) -> str:  # a PostgreSQL array of plain strings or uuids
    return _str("{" + ",".join(f'"{v}"' for v in value) + "}")


def _json_text(value: Json) -> str:
    return _str(json.dumps(value.value, cls=DjangoJSONEncoder, separators=(",", ":")))


_FORMATS: dict[type, Any] = {
    str: _str,
    bool: lambda v: "t" if v else "f",
    int: str,
    float: repr,
    datetime: datetime.isoformat,
    date: date.isoformat,
    uuid.UUID: str,
    list: _array,
    tuple: _array,
    type(None): lambda v: "\\N",
}


def _text(value: Any) -> str:
    """One value in COPY text format (``\\N`` for NULL)."""
    try:
        return _FORMATS[type(value)](value)  # type: ignore[no-any-return]
    except KeyError:
        pass
    for kind, fmt in _FORMATS.items():  # subclasses: TextChoices members, Raw, …
        if kind is not type(None) and isinstance(value, kind):
            return fmt(value.value if hasattr(value, "value") and kind is not Json else value)  # type: ignore[no-any-return]
    raise TypeError(f"Cannot COPY a {type(value).__name__}")


@dataclass(frozen=True)
class Json:
    """Wraps a value bound for a json/jsonb column (lists and dicts are otherwise arrays)."""

    value: Any


class Raw(str):
    """Text already in COPY format (a JSON document made once and written many times)."""

    __slots__ = ()


_FORMATS[Json] = _json_text
_FORMATS[Raw] = str.__str__


def raw_json(value: Any) -> Raw:
    return Raw(_json_text(Json(value)))


@dataclass
class Table:
    """One model's table: its columns, and the default for each column a row leaves out."""

    model: type[models.Model]
    columns: list[str] = field(init=False)
    defaults: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.columns, self.defaults = [], {}
        for f in self.model._meta.concrete_fields:
            if isinstance(f, models.GeneratedField):
                continue  # the database computes it
            self.columns.append(str(f.column))
            default = self._default(f)
            if default is not _MISSING:
                self.defaults[f.attname] = default
        self._attnames = [
            f.attname for f in self.model._meta.concrete_fields if not isinstance(f, models.GeneratedField)
        ]

    @staticmethod
    def _default(f: models.Field) -> Any:  # type: ignore[type-arg]
        if f.default is not NOT_PROVIDED and not (callable(f.default) and f.default not in (dict, list)):
            value = f.get_default()
            return _text(Json(value) if isinstance(f, models.JSONField) else value)
        if f.default in (dict, list):
            return _text(Json(f.default()) if isinstance(f, models.JSONField) else f.default())
        if f.null:
            return "\\N"
        if isinstance(f, models.CharField | models.TextField) and f.blank:
            return ""
        return _MISSING

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    def line(self, row: dict[str, Any]) -> str:
        formats, defaults = _FORMATS, self.defaults
        out = []
        for attname in self._attnames:
            value = row.get(attname, _MISSING)
            if value is _MISSING:
                try:
                    out.append(defaults[attname])
                except KeyError:
                    raise ValueError(f"{self.name}.{attname} has no default: the generator must give it") from None
            else:
                fmt = formats.get(type(value))
                out.append(fmt(value) if fmt is not None else _text(value))
        return "\t".join(out) + "\n"


@dataclass
class Progress:
    """A one-line progress bar with rows per second, on stderr (or nowhere)."""

    total_parts: int
    stream: TextIO | None = sys.stderr
    rows: int = 0
    parts: int = 0
    started: float = field(default_factory=time.monotonic)

    def advance(self, rows: int, parts: int = 1) -> None:
        self.rows += rows
        self.parts += parts
        if self.stream is None:
            return
        width = 30
        done = int(width * self.parts / max(1, self.total_parts))
        self.stream.write(
            f"\r[{'#' * done}{'.' * (width - done)}] {self.parts}/{self.total_parts} parts, "
            f"{self.rows:,} rows, {self.rate:,.0f} rows/s"
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.rows / max(self.seconds, 1e-9)


def copy_rows(table: Table, rows: Iterable[dict[str, Any]], *, chunk_bytes: int = 1 << 20) -> int:
    """COPY ``rows`` into ``table`` on Django's connection; return how many."""
    count = 0
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        with raw.copy(f"COPY {connection.ops.quote_name(table.name)} ({columns}) FROM STDIN") as copy:
            buffer: list[str] = []
            size = 0
            for row in rows:
                text = table.line(row)
                buffer.append(text)
                size += len(text)
                count += 1
                if size >= chunk_bytes:
                    copy.write("".join(buffer).encode())
                    buffer, size = [], 0
            if buffer:
                copy.write("".join(buffer).encode())
    return count


def copy_text(table: Table, data: bytes) -> None:
    """COPY rows already in COPY text format (made by :meth:`Table.line`, perhaps in another process)."""
    if not data:
        return
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    sql = f"COPY {connection.ops.quote_name(table.name)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for start in range(0, len(data), 1 << 20):
            copy.write(data[start : start + (1 << 20)])


@contextmanager
def triggers_off() -> Iterator[None]:
    """Load without firing row triggers (change-history capture and FK checks), as a restore does.

    ``session_replication_role = replica`` needs a superuser (the benchmark database's owner). CHECK,
    NOT NULL and UNIQUE constraints are still enforced; foreign keys are checked afterwards by
    :func:`foreign_key_orphans`. Synthetic rows carry no change history: they were never changed.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def foreign_key_orphans(models_: Iterable[type[models.Model]]) -> dict[str, int]:
    """Rows whose foreign key points at nothing, per ``table.column`` (all zero when the load is sound)."""
    found: dict[str, int] = {}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models_:
            for f in model._meta.concrete_fields:
                if not f.is_relation or f.related_model is None:
                    continue
                target = f.related_model._meta
                column = str(f.column)
                target_column = str(f.target_field.column)  # type: ignore[attr-defined]
                cursor.execute(
                    f"SELECT count(*) FROM {qn(model._meta.db_table)} t WHERE t.{qn(column)} IS NOT NULL "  # noqa: S608
                    f"AND NOT EXISTS (SELECT 1 FROM {qn(target.db_table)} r "
                    f"WHERE r.{qn(target_column)} = t.{qn(column)})"
                )
                (orphans,) = cursor.fetchone()
                found[f"{model._meta.db_table}.{column}"] = orphans
    return found


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """Move each table's id sequence past the largest id (rows were loaded with explicit ids)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            pk = model._meta.pk
            assert pk is not None
            column = str(pk.column)
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            (sequence,) = cursor.fetchone()
            if sequence:
                cursor.execute(
                    f"SELECT setval(%s, GREATEST((SELECT max({qn(column)}) FROM {qn(table)}), 1))",  # noqa: S608
                    [sequence],
                )


def max_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        (value,) = cursor.fetchone()
    return int(value)
