"""PostgreSQL fast path for a CSV snapshot: the file's bytes go to ``COPY`` as they are, into a
temporary staging table of text columns (hashed on the way), and one ``INSERT ... SELECT``
checks every row in SQL and writes the good ones into the snapshot (issue 18: the speed of
COPY, not of a Python parser).

It only ever accepts what the one-pass checker (``imports.checked_rows``) accepts: the exact
header, IDs of 1-64 characters that start and end with a printable ASCII character, the
boolean words, a known activity and status, a plain balance (as the checker's fast path). Any
other file (a BOM, quotes, blank lines, a bad row, text that is not UTF-8, a cell PostgreSQL
cannot read, more rows than the cap) is undone to a savepoint and goes through the one pass, which
words every error by row and column. So errors are always the one pass's; only a good file
takes the fast path.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from django.db import DatabaseError, connection, transaction

from complaints.choices import Activity

from .. import imports
from ..choices import ArrangementStatus
from ..models import ClientPositionRow

STAGING = "reporting_snapshot_staging"
_COLUMNS = ", ".join(f"c{i}" for i in range(len(imports.HEADER)))
_BALANCE = r"^-?[0-9]{1,16}(\.[0-9]{1,8})?$"
_TRUE, _FALSE = sorted(imports.TRUE_WORDS), sorted(imports.FALSE_WORDS)


class _NotFast(Exception):
    """The file is not for the fast path; the one pass will read it."""


def _header_lines() -> tuple[bytes, bytes]:
    header = ",".join(imports.HEADER).encode()
    return header + b"\n", header + b"\r\n"


def _plain(chunk: bytes, after_cr: bool) -> bool:
    """Bytes PostgreSQL's CSV reading and Python's ``csv`` read alike: no quotes (PostgreSQL
    takes a quote inside an unquoted field as quoting), no carriage return but before a line
    feed (PostgreSQL would end a row there), no ``\\.`` (its end-of-data marker). ``after_cr``:
    the previous chunk ended with a carriage return, so this one must start with a line feed.
    Returns whether this chunk ends with a carriage return."""
    if after_cr and not chunk.startswith(b"\n"):
        raise _NotFast
    ends_cr = chunk.endswith(b"\r")
    body = chunk[:-1] if ends_cr else chunk
    if b'"' in body or b"\\." in chunk or body.replace(b"\r\n", b"").count(b"\r"):
        raise _NotFast
    return ends_cr


def copy_checked(
    source: imports.Source,
    snapshot_id: int,
    report: imports.ValidationReport,
    progress: Callable[[int], None] | None = None,
) -> bool:
    """Load a plainly good CSV file by COPY and SQL; True when done (``report`` has the hash,
    size and row count), False when nothing was kept and the one pass must read the file."""
    if connection.vendor != "postgresql" or source.format != "csv":
        return False
    try:
        with transaction.atomic():  # a savepoint: undone on any failure, the import goes on
            rows, digest, size = _copy(source, progress)
            _insert(snapshot_id, rows)
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {STAGING}")
    except (_NotFast, DatabaseError, psycopg.Error):
        return False
    report.rows, report.sha256, report.size = rows, digest, size
    return True


def _copy(source: imports.Source, progress: Callable[[int], None] | None) -> tuple[int, str, int]:
    """COPY the file's data rows into the staging table as text, hashing every byte."""
    hashing = imports._Hashing()
    cap = imports.caps().rows
    stream = source.open()
    try:
        chunks = hashing.chunks(stream)
        first = next(chunks, b"")
        line = first[: first.find(b"\n") + 1]
        if not line or line not in _header_lines():
            raise _NotFast
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE {STAGING} (ord bigint GENERATED ALWAYS AS IDENTITY, "
                + ", ".join(f"c{i} text" for i in range(len(imports.HEADER)))
                + ") ON COMMIT DROP"
            )
            lines = 0
            with cursor.cursor.copy(
                f"COPY {STAGING} ({_COLUMNS}) FROM STDIN WITH (FORMAT csv)"
            ) as copy:
                chunk = first[len(line) :]
                after_cr = False
                while True:
                    after_cr = _plain(chunk, after_cr)
                    lines += chunk.count(b"\n")
                    if lines > cap + 1:
                        raise _NotFast  # the one pass says at which row the cap was passed
                    copy.write(chunk)
                    if progress is not None:
                        progress(lines)
                    chunk = next(chunks, b"")
                    if not chunk:
                        if after_cr:
                            raise _NotFast
                        break
            cursor.execute(f"SELECT COUNT(*) FROM {STAGING}")
            rows = cursor.fetchone()[0]
    finally:
        if source.close_after_read:
            stream.close()
    if not 0 < rows <= cap:
        raise _NotFast
    return rows, hashing.digest.hexdigest(), hashing.size


def _insert(snapshot_id: int, rows: int) -> None:
    """Every staged row into the snapshot if every one is good, in one statement."""
    activities = list(Activity.values)
    statuses = list(ArrangementStatus.values)
    words = _TRUE + _FALSE
    # An ID: 1-64 characters, the first and last printable ASCII (so nothing the checker would
    # strip); code points compared, not a regular expression (ten times faster).
    ids = " AND ".join(
        f"length({c}) <= {imports.MAX_ID_LENGTH} AND ascii({c}) BETWEEN 33 AND 126 "
        f"AND ascii(right({c}, 1)) BETWEEN 33 AND 126"
        for c in ("c0", "c4")
    )
    good = (
        f"{ids} AND lower(c1) = ANY(%(words)s) "
        "AND lower(c2) = ANY(%(words)s) AND lower(c3) = ANY(%(words)s) "
        "AND c5 = ANY(%(activities)s) AND c6 = ANY(%(statuses)s) AND c7 ~ %(balance)s"
    )
    columns = ", ".join(imports.COPY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ClientPositionRow._meta.db_table} ({columns}) "
            "SELECT %(snapshot)s, ord + 1, c0, c4, lower(c1) = ANY(%(true)s), "
            "lower(c2) = ANY(%(true)s), lower(c3) = ANY(%(true)s), c5, c6, CAST(c7 AS numeric) "
            f"FROM {STAGING} WHERE {good}",
            {
                "snapshot": snapshot_id,
                "words": words,
                "true": _TRUE,
                "activities": activities,
                "statuses": statuses,
                "balance": _BALANCE,
            },
        )
        if cursor.rowcount != rows:
            raise _NotFast
