"""Plain multi-row INSERTs for bulk writes: ordinary INSERT statements (every trigger on the
table fires, history tables included; no COPY), without the ORM's per-value preparation, which
dominates a bulk write of tens of thousands of wide rows (a register import writes a dozen
tables). Values are given as the model's attributes hold them (``attname`` order of
``names``); JSON fields are adapted as Django adapts them. Callers set what ``save`` would
(``auto_now`` times, defaults) themselves."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from psycopg.types.json import Json, Jsonb

from .prepared import prepared_cursor

MAX_PARAMETERS = 65_000  # PostgreSQL's limit is 65,535 bind parameters per statement


def columns(model: type[models.Model], *, skip: Sequence[str] = ()) -> list[str]:
    """The attnames of ``model``'s concrete fields, in table order, without ``skip``."""
    return [f.attname for f in model._meta.concrete_fields if f.attname not in skip]


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: str | None = None,
    unless_exists: Sequence[str] = (),
) -> list[Any]:
    """INSERT ``rows`` (tuples in ``names`` order) into ``model``'s table, as many per statement
    as the parameter limit allows (bound on the server on PostgreSQL, ``_native_cursor``); with
    ``returning`` (an attname), that column of each row inserted, in order. With
    ``unless_exists`` (the attnames of a unique constraint), a row whose key is already taken is
    skipped (``ON CONFLICT DO NOTHING``: a key another transaction is inserting waits for it)
    and answers nothing."""
    if not rows:
        return []
    head, tail, fields, adapt = _statement(model, tuple(names), returning, tuple(unless_exists))
    width = len(fields)
    native = connection.vendor == "postgresql"
    limit = MAX_PARAMETERS if native else connection.features.max_query_params or MAX_PARAMETERS
    per = max(1, limit // width)
    found: list[Any] = []
    # One row: the statement is the same for every write of the table's columns (a create's
    # rows), so the server keeps its plan; a bulk write's chunks are sent once each.
    with _native_cursor(prepared=len(rows) == 1) if native else connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            params: list[Any] = []
            for row in chunk:
                values = list(row)
                for i, field in adapt:
                    values[i] = field.get_db_prep_save(values[i], connection)
                params.extend(values)
            groups = _values(width, len(chunk)) if native else _marks(width, len(chunk))
            cursor.execute(head + groups + tail, params)
            if returning:
                found.extend(r[0] for r in cursor.fetchall())
    return found


@dataclass(frozen=True)
class CopyRows:
    """A ``COPY`` made ready by ``copy_prepare``, for ``copy_write``."""

    model: type[models.Model]
    names: Sequence[str]
    rows: Sequence[Sequence[Any]]
    sql: str = ""  # PostgreSQL's statement ("" elsewhere: plain INSERTs)
    types: list[str] | None = None  # each column's type when the COPY is binary


def copy_prepare(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    texts: dict[tuple[Any, ...], Any] | None = None,
) -> CopyRows:
    """``rows`` written as ``insert_rows`` writes them, by one ``COPY … FROM STDIN`` on
    PostgreSQL, made ready in Python only (no query) for ``copy_write``, which a caller may run
    on another thread (``intake.services.pipeline``): the same rows, every trigger fired as for
    an INSERT (row triggers per row, statement triggers once with the whole COPY as their
    transition table), without the multi-row INSERTs' tens of thousands of parameters to build
    in Python and parse on the server (psycopg writes the rows in C). New keys, when the rows
    need them before they are written, come from ``Sequences`` with ``"id"`` among ``names``:
    COPY has no RETURNING. Other databases (the SQLite demo): ``insert_rows``. Made ready here:
    the statement, JSON values made into their text, and whether the COPY is binary. It is
    binary when every column's type and every value are ones written the same way in binary
    (``_BINARY``: dates and times cost a few dozen nanoseconds instead of a microsecond or two
    each), text otherwise. ``texts``: the JSON
    texts made by another call for the same objects, shared (a complaint's row holds the same
    deadline rules as its history's last step); the caller keeps those objects alive while it
    holds ``texts`` (they are known by their identity)."""
    if connection.vendor != "postgresql" or not rows:
        return CopyRows(model, names, rows)
    _head, _tail, fields, adapt = _statement(model, tuple(names), None, ())
    quote = connection.ops.quote_name
    targets = [quote(str(f.column)) for f in fields]
    if adapt:
        # A JSON value held by many rows (a complaint's deadline rules are the same object in
        # its row and in the history rows of the steps that did not move them) is made into
        # JSON text once: the text its adapter would have sent.
        # The text depends on the field's class and encoder only (``JSONField.get_db_prep_save``);
        # the connection is looked up once, not through the proxy for each value.
        made: dict[tuple[Any, ...], Any] = {} if texts is None else texts
        kinds = [(i, field, (type(field), getattr(field, "encoder", None))) for i, field in adapt]
        db = connections[DEFAULT_DB_ALIAS]
        prepared: list[Sequence[Any]] = []
        for row in rows:
            values = list(row)
            for i, field, kind in kinds:
                key = (kind, id(values[i]))
                if key not in made:
                    made[key] = _json_text(field.get_db_prep_save(values[i], db))
                values[i] = made[key]
            prepared.append(values)
        rows = prepared
    types = _binary_types(model, tuple(names))
    if types is not None and not _fits(types, rows):
        types = None
    binary = " (FORMAT BINARY)" if types is not None else ""
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(targets)}) FROM STDIN{binary}"
    return CopyRows(model, names, rows, sql, types)


def copy_write(ready: CopyRows) -> None:
    """Run a COPY ``copy_prepare`` made ready: the statement and psycopg's writing of its rows,
    logged and counted as any statement (assertNumQueries, execute wrappers)."""
    if not ready.rows:
        return
    if not ready.sql:
        insert_rows(ready.model, ready.names, ready.rows)
        return
    rows, types = ready.rows, ready.types

    def copy(sql: str, params: Any, many: bool, context: dict[str, Any]) -> None:
        with connection.wrap_database_errors, context["cursor"].cursor.copy(sql) as stream:
            if types is not None:
                stream.set_types(types)
            for row in rows:
                stream.write_row(row)

    with connection.cursor() as cursor:
        logged = isinstance(cursor, CursorDebugWrapper)
        with cursor.debug_sql(ready.sql) if logged else nullcontext():
            connection.validate_no_broken_transaction()
            cursor._execute_with_wrappers(ready.sql, None, False, copy)


class Sequences:
    """Primary keys taken ahead of their rows, so the rows can be built in full (ids, and the
    rows that point at them) before they are written: ``take`` answers, for each model, that
    many new keys in ascending order, for the caller to write with its rows (``copy_prepare``
    with ``"id"`` among the names). On PostgreSQL the keys are the tables' own sequence values,
    taken by ``nextval`` in one query for every table, as an INSERT takes them: a value taken
    is never given again (a rollback does not return it).
    Elsewhere (the SQLite demo, which has no sequences and one writer at a time) the keys
    follow the table's highest key, or its AUTOINCREMENT counter, read once per model and
    counted on here, so keys taken before their rows are written are not given twice."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, counts: dict[type[models.Model], int]) -> dict[type[models.Model], list[int]]:
        wanted = {model: n for model, n in counts.items() if n > 0}
        found: dict[type[models.Model], list[int]] = {model: [] for model in counts}
        if not wanted:
            return found
        if connection.vendor == "postgresql":
            # Each table's sequence looked up once (MATERIALIZED): called per value,
            # pg_get_serial_sequence cost five times the nextval itself (about 5 µs a key).
            lookups = ", ".join(
                f"pg_get_serial_sequence(%s, %s)::regclass AS s{i}" for i in range(len(wanted))
            )
            parts = ", ".join(
                f"ARRAY(SELECT nextval(q.s{i}) FROM generate_series(1, %s))"
                for i in range(len(wanted))
            )
            params = [
                value for model in wanted for value in (model._meta.db_table, model._meta.pk.column)
            ]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"WITH q AS MATERIALIZED (SELECT {lookups}) SELECT {parts} FROM q",
                    [*params, *wanted.values()],
                )
                row = cursor.fetchone()
            for model, ids in zip(wanted, row, strict=True):
                found[model] = sorted(ids)
            return found
        for model, n in wanted.items():
            start = self._next.get(model)
            if start is None:
                start = self._highest(model) + 1
            found[model] = list(range(start, start + n))
            self._next[model] = start + n
        return found

    @staticmethod
    def _highest(model: type[models.Model]) -> int:
        table, quote = model._meta.db_table, connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({quote(str(model._meta.pk.column))}) FROM {quote(table)}")
            highest = cursor.fetchone()[0] or 0
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s",
                    ["sqlite_sequence"],
                )
                if cursor.fetchone():
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                    seq = cursor.fetchone()
                    highest = max(highest, seq[0] if seq else 0)
        return int(highest)


def _json_text(prepared: Any) -> Any:
    """A JSON field's value as ``get_db_prep_save`` adapted it, with its JSON text made now (the
    text its adapter would have made for each row that holds it)."""
    if isinstance(prepared, Json | Jsonb) and prepared.dumps is not None:
        text = prepared.dumps(prepared.obj)
        if isinstance(text, str):
            return type(prepared)(text, dumps=str)
    return prepared


# A column's type (by the name psycopg knows it) and the Python values a binary COPY writes
# into it exactly as the text COPY would: PostgreSQL reads the text of a date or a time with
# its time zone slowly, and psycopg writes it slowly (a microsecond or two a value, against a
# few dozen nanoseconds in binary). Anything else, or any other value, and the COPY is text.
_BINARY: dict[str, type] = {
    "int2": int,
    "int4": int,
    "int8": int,
    "bool": bool,
    "varchar": str,
    "text": str,
    "date": date,
    "timestamptz": datetime,
    "time": time,
    "numeric": Decimal,
    "jsonb": Jsonb,
}
_AUTO_KEYS = (models.AutoField, models.BigAutoField)


@functools.lru_cache(maxsize=64)
def _binary_types(model: type[models.Model], names: tuple[str, ...]) -> list[str] | None:
    """The type of each column of ``names`` for a binary COPY, or None when one is not a type
    written in binary here (or the key is not an auto field)."""
    if type(model._meta.pk) not in _AUTO_KEYS:
        return None
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    types = connection.connection.adapters.types if connection.connection else None
    found: list[str] = []
    for name in names:
        declared = by_attname[name].db_type(connection) or ""
        info = types.get(declared.split("(", 1)[0].strip()) if types else None
        if info is None or info.name not in _BINARY:
            return None
        found.append(info.name)
    return found


# Time zones whose ``utcoffset`` is never None: a datetime placed in one knows its offset.
_ZONES_WITH_OFFSETS = (ZoneInfo, timezone)
_zone_of = attrgetter("tzinfo")


def _fits(types: list[str], rows: Sequence[Sequence[Any]]) -> bool:
    """Every value is of the Python type its column takes in binary (or None): an exact type
    for dates, times and numbers (a bool is an int, a datetime a date), any str (choices are
    str enums), and every datetime knows its offset (a naive one is the session's to place,
    in text only). The offsets are asked of each datetime only when one of the column's zones
    is not a ``ZoneInfo`` or a fixed ``timezone`` (a third of a chunk's preparation before)."""
    for kind, column in zip(types, zip(*rows, strict=True), strict=True):
        want = _BINARY[kind]
        for seen in set(map(type, column)) - {type(None)}:
            if not (seen is want or (want is str and issubclass(seen, str))):
                return False
        if want is datetime:
            zones = set(map(_zone_of, filter(None, column)))
            if not all(type(zone) in _ZONES_WITH_OFFSETS for zone in zones) and None in map(
                datetime.utcoffset, filter(None, column)
            ):
                return False
    return True


def insert_row_and_history(
    model: type[models.Model],
    names: Sequence[str],
    values: Sequence[Any],
    copy: type[models.Model],
    copy_names: Sequence[str],
    extra: dict[str, Any],
) -> Any:
    """INSERT one row of ``model`` (``values`` in ``names`` order, as ``insert_rows`` takes
    them) and, in the same statement, one row of ``copy`` holding the row as written: each of
    ``copy_names`` from the new row's column of that attname (its key included), or from
    ``extra`` (attname to value). Answers the new row's key. PostgreSQL only (a data-modifying
    WITH): one round trip and one plan instead of two, every trigger on both tables firing as
    for two INSERTs (a row and its history row: ``common.audit.insert_audited``)."""
    statement, adapt = _copy_statement(model, tuple(names), copy, tuple(copy_names), tuple(extra))
    params = list(values)
    for i, field in adapt:
        params[i] = field.get_db_prep_save(params[i], connection)
    with _native_cursor(prepared=True) as cursor:
        cursor.execute(statement, [*params, *extra.values()])
        return cursor.fetchone()[0]


@functools.lru_cache(maxsize=32)
def _copy_statement(
    model: type[models.Model],
    names: tuple[str, ...],
    copy: type[models.Model],
    copy_names: tuple[str, ...],
    extra: tuple[str, ...],
) -> tuple[str, list[tuple[int, models.Field]]]:
    """``insert_row_and_history``'s statement and the JSON values to adapt, once per tables and
    columns. The ``extra`` values are cast to their columns' types (a NULL has none)."""
    head, _tail, _fields, adapt = _statement(model, names, None, ())
    quote = connection.ops.quote_name
    row = {f.attname: f for f in model._meta.concrete_fields}
    copied = {f.attname: f for f in copy._meta.concrete_fields}
    place = {name: f"${len(names) + i + 1}" for i, name in enumerate(extra)}
    select = ", ".join(
        f"CAST({place[name]} AS {copied[name].db_type(connection)})"
        if name in place
        else f'"created".{quote(str(row[name].column))}'
        for name in copy_names
    )
    statement = (
        f'WITH "created" AS ({head}{_values(len(names), 1)} RETURNING *) '
        f"INSERT INTO {quote(copy._meta.db_table)} "
        f"({', '.join(quote(str(copied[name].column)) for name in copy_names)}) "
        f'SELECT {select} FROM "created" '
        f"RETURNING {quote(str(copied[model._meta.pk.attname].column))}"
    )
    return statement, adapt


def update_row(model: type[models.Model], pk: Any, values: dict[str, Any]) -> None:
    """UPDATE the columns ``values`` names (attnames, values as ``insert_rows`` takes them) of
    ``model``'s row ``pk``: one statement, without the ORM's compile of a ``save`` (every
    trigger on the table fires as for any UPDATE), prepared on PostgreSQL (``_native_cursor``)."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    fields = [by_attname[name] for name in values]
    params = [
        f.get_db_prep_save(v, connection) if isinstance(f, models.JSONField) else v
        for f, v in zip(fields, values.values(), strict=True)
    ]
    native = connection.vendor == "postgresql"
    marks = [f"${n}" if native else "%s" for n in range(1, len(fields) + 2)]
    assignments = ", ".join(
        f"{quote(str(f.column))} = {mark}" for f, mark in zip(fields, marks, strict=False)
    )
    with _native_cursor(prepared=True) if native else connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"WHERE {quote(str(model._meta.pk.column))} = {marks[-1]}",
            [*params, pk],
        )


@functools.lru_cache(maxsize=256)
def _statement(
    model: type[models.Model],
    names: tuple[str, ...],
    returning: str | None,
    unless_exists: tuple[str, ...],
) -> tuple[str, str, list[models.Field], list[tuple[int, models.Field]]]:
    """``insert_rows``' statement around its VALUES, its fields and the JSON ones to adapt:
    built once per table and columns (a create writes a handful of rows a request)."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[name] for name in names]
    adapt: list[tuple[int, models.Field]] = [
        (i, f) for i, f in enumerate(fields) if isinstance(f, models.JSONField)
    ]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(str(f.column)) for f in fields)}) VALUES "
    )
    tail = ""
    if unless_exists:
        key = ", ".join(quote(str(by_attname[name].column)) for name in unless_exists)
        tail += f" ON CONFLICT ({key}) DO NOTHING"
    if returning:
        tail += f" RETURNING {quote(str(by_attname[returning].column))}"
    return head, tail, fields, adapt


@functools.lru_cache(maxsize=32)
def _values(width: int, count: int) -> str:
    """``($1, $2), ($3, $4)`` for ``count`` rows of ``width`` values."""
    return ", ".join(
        "(" + ", ".join(f"${n * width + i + 1}" for i in range(width)) + ")" for n in range(count)
    )


@functools.lru_cache(maxsize=32)
def _marks(width: int, count: int) -> str:
    """The same with ``%s`` (other databases, through Django's cursor: the SQLite demo)."""
    return ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * count)


def _native_cursor(*, prepared: bool = False) -> CursorWrapper:
    """A cursor binding parameters on the server with PostgreSQL's own ``$n`` placeholders
    (``psycopg.RawCursor``): Django's client-side cursor would parse and quote every one of
    the statement's tens of thousands of values in Python. Wrapped as Django wraps its cursors,
    so the statements are logged and counted like any other; same connection, same
    transaction. ``prepared``: the server parses and plans the statement once per connection
    (a write's generic plan is its only plan) where it may (``common.prepared``)."""
    found = prepared_cursor(connection, "$n") if prepared else None
    if found is not None:
        return found
    connection.ensure_connection()
    raw = psycopg.RawCursor(connection.connection)
    if connection.queries_logged:
        return CursorDebugWrapper(raw, connection)
    return CursorWrapper(raw, connection)
