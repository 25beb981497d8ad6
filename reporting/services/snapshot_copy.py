"""PostgreSQL fast path for a CSV snapshot: a plain file's lines are checked in Python by one
regular expression per block of lines (C speed, no parser) and go by ``COPY`` straight into the
snapshot's own rows table (``snapshot_rows``), typed by PostgreSQL as they arrive, sent by
psycopg's queued writer (a thread) while the next block is checked (issue 18: the speed of COPY
itself, with no staging table and no second write).

It only ever accepts what the one-pass checker (``imports.checked_rows``) accepts, and stores
what it stores: the exact header, IDs of 1-64 bytes that start and end with a printable ASCII
character (so nothing the checker would strip), the boolean words in any ASCII case (each of
which PostgreSQL's ``boolean`` reads as the checker does), a known activity and status, a plain
balance (the checker's fast-path pattern, which ``numeric(24, 8)`` stores exactly). Any other file
(a BOM, quotes, blank lines, a lone carriage return, a bad row, bytes that are not UTF-8, more
rows than the cap, or anything PostgreSQL refuses) is undone to a savepoint and goes through the
one pass, which words every error by row and column. So errors are always the one pass's; only a
good file takes the fast path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from queue import Queue

import psycopg
from django.db import DatabaseError, connection, transaction
from psycopg.copy import QueuedLibpqWriter

from complaints.choices import Activity

from .. import imports
from ..choices import ArrangementStatus


class _QueuedWriter(QueuedLibpqWriter):
    """psycopg's queued writer (a thread sends while the caller checks the next block), holding
    at most ``QUEUED`` pieces of at most 128 KiB (psycopg's own queue holds 1,024: 128 MiB of a
    file the server is slower to take), so memory stays flat whatever the file's size."""

    QUEUED = 16

    def __init__(self, cursor: psycopg.Cursor) -> None:
        super().__init__(cursor)
        # A plain bounded queue: psycopg's own Queue subclass only makes get() interruptible.
        self._queue = Queue(maxsize=self.QUEUED)  # type: ignore[assignment]


class _NotFast(Exception):
    """The file is not for the fast path; the one pass will read it."""


def _words(values: Iterable[str]) -> bytes:
    return b"|".join(re.escape(v.encode()) for v in sorted(values, key=len, reverse=True))


# An ID's first and last byte: printable ASCII but the quote and the comma; between them any
# byte but NUL, the quote, the comma and line ends (non-ASCII is checked as UTF-8 separately).
# Counted in bytes, so an ID of more than 64 bytes but at most 64 characters takes the one pass.
_EDGE = rb"[!#-+\--~]"
_ID = rb'%s(?:[^\x00",\r\n]{0,%d}%s)?' % (_EDGE, imports.MAX_ID_LENGTH - 2, _EDGE)
# Bytes patterns: IGNORECASE is ASCII only, as the checker's words are (``str.lower``).
_BOOL = rb"(?i:%s)" % _words(imports.TRUE_WORDS | imports.FALSE_WORDS)
_BALANCE = imports._PLAIN_BALANCE.pattern.encode()
_LINE = re.compile(
    rb"^(%s)\n"
    % rb",".join(
        (
            _ID,
            _BOOL,
            _BOOL,
            _BOOL,
            _ID,
            rb"(?:%s)" % _words(Activity.values),
            rb"(?:%s)" % _words(ArrangementStatus.values),
            _BALANCE,
        )
    ),
    re.MULTILINE,
)
# No plain line is longer (two IDs, three words, an activity, a status, a balance, commas).
_PLAIN_LINE_BYTES = 512
_COLUMNS = (
    "snapshot_id",
    "row_number",
    *imports.HEADER,
)


def _header_lines() -> tuple[bytes, bytes]:
    header = ",".join(imports.HEADER).encode()
    return header + b"\n", header + b"\r\n"


def checked_lines(block: bytes) -> list[bytes]:
    """The lines of ``block`` (whole lines, each ending with a line feed, CRLF or LF), without
    their ends, if every one is plainly good; else ``_NotFast``."""
    if b"\r" in block:
        block = block.replace(b"\r\n", b"\n")  # a lone carriage return is left to fail below
    if not block.isascii():
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            raise _NotFast from None
    lines = _LINE.findall(block)
    if len(lines) != block.count(b"\n"):
        raise _NotFast
    return lines


def numbered(lines: list[bytes], snapshot_id: int, first: int) -> bytes:
    """CSV for ``_COLUMNS``: each line after its snapshot and row number (``first`` onwards)."""
    if not lines:
        return b""
    out: list[bytes] = [b""] * (2 * len(lines))
    # The snapshot's number is formatted into the pattern once; ``map`` formats each row number
    # in C, with no Python loop per line.
    out[0::2] = map((b"\n%d,%%d," % snapshot_id).__mod__, range(first, first + len(lines)))
    out[1::2] = lines
    return b"".join(out)[1:] + b"\n"


def copy_checked(
    source: imports.Source,
    snapshot_id: int,
    table: str,
    report: imports.ValidationReport,
    progress: Callable[[int], None] | None = None,
) -> bool:
    """Load a plainly good CSV file by COPY into ``table`` (``snapshot_rows.open_rows_table``);
    True when done (``report`` has the hash, size and row count), False when nothing was kept
    and the one pass must read the file."""
    if connection.vendor != "postgresql" or source.format != "csv":
        return False
    try:
        with transaction.atomic():  # a savepoint: undone on any failure, the import goes on
            rows, digest, size = _copy(source, snapshot_id, table, progress)
    except (_NotFast, DatabaseError, psycopg.Error):
        return False
    report.rows, report.sha256, report.size = rows, digest, size
    return True


def _blocks(chunks: Iterator[bytes], first: bytes) -> Iterator[bytes]:
    """Whole lines, a chunk's worth at a time (the last one completed by a line feed)."""
    pending = first
    for chunk in chunks:
        cut = chunk.rfind(b"\n") + 1
        if cut:
            yield pending + chunk[:cut]
            pending = chunk[cut:]
        else:
            pending += chunk
            if len(pending) > imports.CHUNK_BYTES:
                raise _NotFast  # no line is that long in a plain file
    if pending:
        yield pending if pending.endswith(b"\n") else pending + b"\n"


def _copy(
    source: imports.Source, snapshot_id: int, table: str, progress: Callable[[int], None] | None
) -> tuple[int, str, int]:
    """COPY the file's checked, numbered lines into the rows table, hashing every byte."""
    hashing = imports._Hashing()
    caps = imports.caps()
    if min(caps.cell_chars, caps.line_chars) < _PLAIN_LINE_BYTES or min(
        caps.columns, caps.cells_per_row
    ) < len(imports.HEADER):
        raise _NotFast  # caps set so low that a plain line could pass one: the one pass says
    cap = caps.rows
    stream = source.open()
    try:
        chunks = hashing.chunks(stream)
        first = next(chunks, b"")
        line = first[: first.find(b"\n") + 1]
        if not line or line not in _header_lines():
            raise _NotFast
        rows = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN WITH (FORMAT csv)",
                # A thread sends each block while the next one is checked and numbered.
                writer=_QueuedWriter(cursor.cursor),
            ) as copy,
        ):
            for block in _blocks(chunks, first[len(line) :]):
                lines = checked_lines(block)
                if rows + len(lines) > cap:
                    raise _NotFast  # the one pass says at which row the cap was passed
                copy.write(numbered(lines, snapshot_id, rows + 2))  # the header is row 1
                rows += len(lines)
                if progress is not None:
                    progress(rows)
    finally:
        if source.close_after_read:
            stream.close()
    if rows == 0:
        raise _NotFast
    return rows, hashing.digest.hexdigest(), hashing.size
