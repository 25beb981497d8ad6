"""Statements the server prepares once per connection (issue 18): the one place that decides
whether a statement may be prepared and builds the cursor that prepares it.

Planning a statement can cost PostgreSQL more than running it (the API's complaint detail: 1-2.5
ms of planning against 0.1-0.3 ms of execution; a create's single-row INSERTs and its
likely-duplicate check likewise), so the hottest reads (``common.compiled``) and single-row
writes (``common.bulk``) are sent as protocol-level prepared statements (psycopg's
``prepare=True``): planned on their first run on the connection, then sent with their values
only. Django turns psycopg's prepared statements off unless the database's
``prepare_threshold`` is set; config/settings.py sets it unless ``DB_PREPARED_READS`` is false
(a pooler that cannot keep prepared statements), and then nothing is prepared.

A statement is given with Django's ``%s`` placeholders (numbered ``$1, $2, ...`` once per
statement: psycopg would parse a long statement's placeholders on every run) or already with
PostgreSQL's own ``$n``. The query log (tests, ``DEBUG``) cannot read a prepared run's text
back, so it records a ``%s`` statement with its values in place (the SQL the unprepared
statement sends) and a ``$n`` one as sent.
"""

from __future__ import annotations

import itertools
import re
from functools import cache, lru_cache
from typing import Any, Literal

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

Placeholders = Literal["%s", "$n"]

_TIMESTAMPTZ_OID, _TEXT = 1184, 0  # how Django finds the connection's time zone (create_cursor)

_PLACEHOLDER = re.compile(r"%(.)")


@lru_cache(maxsize=128)  # as many as psycopg prepares per connection (its prepared_max: 100)
def _numbered(sql: str) -> str:
    """Django's ``%s`` SQL with PostgreSQL's ``$1, $2, ...`` in their places (``%%`` a ``%``),
    once per statement while it is among the last 128 numbered (a list page's statement names
    its page's bounds, so a process may meet many)."""
    numbers = itertools.count(1)

    def place(match: re.Match[str]) -> str:
        if match[1] == "%":
            return "%"
        if match[1] == "s":
            return f"${next(numbers)}"
        raise ValueError(f"Not a placeholder a prepared statement can bind: {match[0]!r}")

    return _PLACEHOLDER.sub(place, sql)


def _as_sent(sql: str) -> str:
    return sql


@cache
def _cursor_class(placeholders: Placeholders) -> Any:
    from django.db.backends.postgresql.base import ServerBindingCursor  # PostgreSQL's only
    from psycopg.raw_cursor import RawCursorMixin

    number = _numbered if placeholders == "%s" else _as_sent

    class PreparedCursor(RawCursorMixin, ServerBindingCursor):
        """Server-side binding with ``$n`` placeholders (psycopg's raw queries), each statement
        prepared on its first run on the connection."""

        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(number(query), params, prepare=prepare, binary=binary)  # type: ignore[misc]

    return PreparedCursor


class _Logged(CursorDebugWrapper):
    """The query log's wrapper for a prepared statement: logs ``%s`` SQL with its values bound,
    ``$n`` SQL as sent."""

    def __init__(self, cursor: Any, db: BaseDatabaseWrapper, placeholders: Placeholders) -> None:
        super().__init__(cursor, db)
        self._bound = placeholders == "%s"

    def execute(self, sql, params=None):
        text = self.db.ops.compose_sql(sql, params) if self._bound else sql
        with self.debug_sql(text):
            return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)


def prepared_cursor(db: BaseDatabaseWrapper, placeholders: Placeholders) -> CursorWrapper | None:
    """A cursor of ``db`` whose statements the server prepares, wrapped as Django wraps its
    cursors (errors, execute wrappers, the query log; same connection and transaction); None
    where nothing may be prepared: another database than PostgreSQL, prepared statements
    turned off (``DB_PREPARED_READS=false``), or a connection whose time zone differs from
    Django's (Django gives such a cursor its own loaders: left to it)."""
    if db.vendor != "postgresql":
        return None
    db.ensure_connection()
    raw_connection = db.connection
    if raw_connection.prepare_threshold is None:  # turned off (a pooler)
        return None
    if db.timezone != raw_connection.adapters.get_loader(_TIMESTAMPTZ_OID, _TEXT).timezone:
        return None
    db.validate_thread_sharing()
    raw = _cursor_class(placeholders)(raw_connection)
    return _Logged(raw, db, placeholders) if db.queries_logged else db.make_cursor(raw)
