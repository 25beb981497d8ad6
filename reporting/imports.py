"""Reading and checking client position files without holding them in memory.

A file is read once (``checked_rows``): every row is checked as it streams by, the bytes are
hashed as they go, every error is written to a spill file on disk (only the first few are kept in
memory for the screen), and while no error has been found each row goes straight on to the
database: PostgreSQL ``COPY`` in CSV format through psycopg 3, or batched inserts on SQLite. The
import runs in one transaction and rolls the rows back if any error turns up later. A plainly
good row is checked by a fast path (dictionary and set look-ups, one regular expression for the
balance); anything else goes through ``parse_row``, which words each error. Memory stays bounded
by the read chunk and one COPY batch, whatever the file's size.

Rows are read by ``common.spreadsheets`` under the caps of docs/security.md "Uploads" (an XLSX's
declared dimension is never trusted); a cell it cannot read (NUL, not UTF-8, a formula) is an
error on its row and column like any other.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.conf import settings

from common import exports
from common.spreadsheets import Caps, RawRow, column_letter, read_rows
from common.uploads import spreadsheet_format
from complaints.choices import Activity

from .choices import ArrangementStatus

HEADER = (
    "client_id",
    "is_retail",
    "is_test",
    "vulnerable",
    "arrangement_id",
    "activity",
    "status",
    "balance_gbp",
)
ERROR_COLUMNS = (
    exports.Column("row", "Row"),
    exports.Column("column", "Column"),
    exports.Column("value", "Value as uploaded"),
    exports.Column("message", "Problem"),
)
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
MAX_ID_LENGTH = 64
MAX_BALANCE = Decimal("1e16")  # DecimalField(max_digits=24, decimal_places=8)
BALANCE_PLACES = 8
CHUNK_BYTES = 1 << 20
ERRORS_SHOWN = 200

Opener = Callable[[], IO[bytes]]


@dataclass(frozen=True)
class RowError:
    row: int  # row in the file, the header being row 1 (as a spreadsheet numbers it)
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def __str__(self) -> str:
        shown = f" ({self.value!r})" if self.value else ""
        return f"row {self.row}, {self.column}{shown}: {self.message}"


@dataclass(frozen=True)
class ParsedRow:
    row: int
    client_id: str
    is_retail: bool
    is_test: bool
    vulnerable: bool
    arrangement_id: str
    activity: str
    status: str
    balance_gbp: str  # validated decimal text, passed to the database as is


@dataclass
class ValidationReport:
    """What pass 1 found: the file's hash and size, its rows, and its errors."""

    sha256: str = ""
    size: int = 0
    rows: int = 0
    error_count: int = 0
    shown: list[RowError] = field(default_factory=list)
    spill: IO[str] | None = None

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.shown) < ERRORS_SHOWN:
            self.shown.append(error)
        if self.spill is None:
            # Closed by close(): the spill file outlives this call on purpose.
            self.spill = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
            exports.CsvWriter(self.spill).header(ERROR_COLUMNS)
        exports.CsvWriter(self.spill, bom=False).row(
            [error.row, error.column, error.value, error.message]
        )

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def errors_csv(self) -> bytes:
        if self.spill is None:
            return exports.csv_bytes(exports.Table("Errors", ERROR_COLUMNS))
        self.spill.seek(0)
        return self.spill.read().encode()

    def close(self) -> None:
        if self.spill is not None:
            self.spill.close()


@dataclass(frozen=True)
class Source:
    """A file to import. ``open`` returns a fresh binary stream each time it is called, so the
    file can be read twice without keeping it in memory (an upload is rewound, a path reopened)."""

    name: str
    format: str  # "csv" or "xlsx"
    open: Opener
    close_after_read: bool = True  # an upload belongs to the request, which closes it

    @classmethod
    def from_path(cls, path: str | Path) -> Source:
        path = Path(path)
        return cls(
            name=path.name, format=spreadsheet_format(path.name), open=lambda: path.open("rb")
        )


# --- reading -------------------------------------------------------------------------------


def caps() -> Caps:
    """The caps a snapshot is read under (docs/security.md "Uploads")."""
    rows = getattr(settings, "REPORTING_SNAPSHOT_MAX_ROWS", 2_000_000)
    return Caps.from_settings(rows, "REPORTING_SNAPSHOT_MAX_ROWS")


class _Hashing:
    """Counts and hashes the bytes of a stream as they are read."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def chunks(self, stream: IO[bytes]) -> Iterator[bytes]:
        while chunk := stream.read(CHUNK_BYTES):
            self.digest.update(chunk)
            self.size += len(chunk)
            yield chunk


class _HashingReader:
    """A stream that hashes what is read through it."""

    def __init__(self, stream: IO[bytes], hashing: _Hashing) -> None:
        self.stream, self.hashing = stream, hashing

    def read(self, n: int = -1) -> bytes:
        chunk = self.stream.read(n)
        self.hashing.digest.update(chunk)
        self.hashing.size += len(chunk)
        return chunk


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def _records(source: Source, hashing: _Hashing | None) -> Iterator[RawRow]:
    """Rows of the file, header first, each cell as text; blank rows are skipped. Over a cap,
    ``SpreadsheetError``; a cell that cannot be read is in the row's ``problems``."""
    stream = source.open()
    try:
        if source.format == "xlsx" and hashing is not None:
            # A workbook is a zip archive that must be seeked in: hash it first, then rewind.
            for _ in hashing.chunks(stream):
                pass
            if source.close_after_read:
                stream.close()
            stream = source.open()
            hashing = None
        reading: IO[bytes] = stream
        if hashing is not None:
            reading = _HashingReader(stream, hashing)  # type: ignore[assignment]
        for row in read_rows(reading, source.format, caps(), chunk_bytes=CHUNK_BYTES):
            values = [_cell(v) for v in row.values]
            while values and values[-1] == "" and len(values) - 1 not in row.problems:
                values.pop()
            yield RawRow(row.number, values, row.problems)
        if hashing is not None:
            for _ in hashing.chunks(stream):  # what the reader left unread, for the hash
                pass
    finally:
        if source.close_after_read:
            stream.close()


def _column_name(index: int) -> str:
    return HEADER[index] if index < len(HEADER) else f"column {column_letter(index)}"


def _problem_errors(row: RawRow) -> list[RowError]:
    return [
        RowError(row.number, _column_name(i), "", message)
        for i, message in sorted(row.problems.items())
    ]


# --- checking ------------------------------------------------------------------------------


_BOOLEANS = {word: True for word in TRUE_WORDS} | {word: False for word in FALSE_WORDS}
_ACTIVITIES = frozenset(Activity.values)
_STATUSES = frozenset(ArrangementStatus.values)
_WIDTH = len(HEADER)


def check_header(record: list[str]) -> RowError | None:
    found = tuple(cell.strip() for cell in record)
    if found == HEADER:
        return None
    return RowError(
        row=1,
        column="header",
        value=",".join(record)[:200],
        message=f"The header must be exactly: {','.join(HEADER)}",
    )


def _balance_error(number: int, raw: str, balance: str) -> RowError | None:
    try:
        amount = Decimal(balance)
    except InvalidOperation:
        return RowError(number, "balance_gbp", raw, "Not a decimal number.")
    if not amount.is_finite():
        return RowError(number, "balance_gbp", raw, "Not a decimal number.")
    if abs(amount) >= MAX_BALANCE:
        return RowError(number, "balance_gbp", balance, "Too large.")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > BALANCE_PLACES:
        return RowError(number, "balance_gbp", balance, f"At most {BALANCE_PLACES} decimal places.")
    return None


def parse_row(number: int, record: list[str]) -> tuple[ParsedRow | None, list[RowError]]:
    """Check one data row; returns the parsed row or every error found in it."""
    if len(record) != _WIDTH:
        return None, [
            RowError(number, "(row)", "", f"Expected {_WIDTH} columns, found {len(record)}.")
        ]
    client_id, retail, test, vulnerable, arrangement_id, activity, status, raw_balance = (
        cell.strip() for cell in record
    )
    errors: list[RowError] = []
    for column, value in (("client_id", client_id), ("arrangement_id", arrangement_id)):
        if not value:
            errors.append(RowError(number, column, "", "Required."))
        elif len(value) > MAX_ID_LENGTH:
            errors.append(
                RowError(number, column, value[:80], f"At most {MAX_ID_LENGTH} characters.")
            )
    flags = []
    for column, value in (("is_retail", retail), ("is_test", test), ("vulnerable", vulnerable)):
        parsed = _BOOLEANS.get(value.lower())
        if parsed is None:
            errors.append(RowError(number, column, value, "Use true/false, yes/no or 1/0."))
        flags.append(parsed)
    if activity not in _ACTIVITIES:
        errors.append(
            RowError(
                number,
                "activity",
                activity,
                f"Unknown activity; use one of {', '.join(Activity.values)}.",
            )
        )
    if status not in _STATUSES:
        errors.append(
            RowError(
                number,
                "status",
                status,
                f"Unknown status; use one of {', '.join(ArrangementStatus.values)}.",
            )
        )
    balance = raw_balance.replace(",", "") if "," in raw_balance else raw_balance
    if (problem := _balance_error(number, raw_balance, balance)) is not None:
        errors.append(problem)
    if errors:
        return None, errors
    return (
        ParsedRow(
            row=number,
            client_id=client_id,
            is_retail=bool(flags[0]),
            is_test=bool(flags[1]),
            vulnerable=bool(flags[2]),
            arrangement_id=arrangement_id,
            activity=activity,
            status=status,
            balance_gbp=balance,
        ),
        [],
    )


# A balance the fast path accepts without a Decimal: plain digits, at most 16 before the point
# (under MAX_BALANCE) and 8 after it. Anything else (a thousands separator, an exponent, a sign
# other than "-") takes parse_row's path, which says exactly what is wrong.
_PLAIN_BALANCE = re.compile(r"-?[0-9]{1,16}(?:\.[0-9]{1,8})?")

# What checked_rows yields for each row: COPY_COLUMNS after snapshot_id.
CheckedRow = tuple[int, str, str, bool, bool, bool, str, str, str]


def _fast(number: int, values: list[str]) -> CheckedRow | None:
    """The row for the database when it is plainly good (the common case, checked without
    building anything), else None and parse_row decides."""
    client_id, retail, test, vulnerable, arrangement_id, activity, status, balance = values
    r, t, v = (
        _BOOLEANS.get(retail.lower()),
        _BOOLEANS.get(test.lower()),
        _BOOLEANS.get(vulnerable.lower()),
    )
    if (
        0 < len(client_id) <= MAX_ID_LENGTH
        and 0 < len(arrangement_id) <= MAX_ID_LENGTH
        and r is not None
        and t is not None
        and v is not None
        and activity in _ACTIVITIES
        and status in _STATUSES
        and _PLAIN_BALANCE.fullmatch(balance)
    ):
        return (number, client_id, arrangement_id, r, t, v, activity, status, balance)
    return None


def checked_rows(
    source: Source, report: ValidationReport, progress: Callable[[int], None] | None = None
) -> Iterator[CheckedRow]:
    """The one pass over the file: hash its bytes, check every row into ``report`` (its errors,
    row by row, as :func:`parse_row` words them), and yield each row for the database while no
    error has been found (the caller writes them as they come and rolls back if one is found
    later). Consume it fully: ``report.sha256`` and ``size`` are set at the end."""
    hashing = _Hashing()
    records = _records(source, hashing)
    header = next(records, None)
    if header is None:
        report.add(RowError(1, "header", "", "The file is empty."))
    elif header.problems:
        for error in _problem_errors(header):
            report.add(error)
    elif (problem := check_header(header.values)) is not None:
        report.add(problem)
    else:
        for row in records:
            report.rows += 1
            if progress is not None and report.rows % 100 == 0:
                progress(report.rows)
            values = row.values
            good = _fast(row.number, values) if not row.problems and len(values) == _WIDTH else None
            if good is not None:
                if report.ok:
                    yield good
                continue
            errors = _problem_errors(row)
            problem_columns = {e.column for e in errors}
            if not errors or len(values) == _WIDTH:
                parsed, found = parse_row(row.number, values)
                errors += [e for e in found if e.column not in problem_columns]
                if parsed is not None and not errors and report.ok:
                    yield (
                        parsed.row,
                        parsed.client_id,
                        parsed.arrangement_id,
                        parsed.is_retail,
                        parsed.is_test,
                        parsed.vulnerable,
                        parsed.activity,
                        parsed.status,
                        parsed.balance_gbp,
                    )
            for error in errors:
                report.add(error)
        if progress is not None:
            progress(report.rows)
        if report.rows == 0:
            report.add(RowError(2, "(row)", "", "The file has a header but no rows."))
    # Drain whatever the reader left unread so the hash covers the whole file.
    for _ in records:
        pass
    report.sha256 = hashing.digest.hexdigest()
    report.size = hashing.size


def validate(source: Source, progress: Callable[[int], None] | None = None) -> ValidationReport:
    """Hash the file and check every row, keeping nothing but the errors."""
    report = ValidationReport()
    for _ in checked_rows(source, report, progress):
        pass
    return report


def copy_csv(rows: Iterator[CheckedRow], snapshot_id: int, batch: int = 50_000) -> Iterator[str]:
    """CSV text for PostgreSQL's ``COPY ... FROM STDIN (FORMAT csv)`` in ``COPY_COLUMNS``
    order, ``batch`` rows at a time (booleans as ``True``/``False``, which PostgreSQL reads)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    pending = 0
    for row in rows:
        writer.writerow((snapshot_id, *row))
        pending += 1
        if pending == batch:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()


COPY_COLUMNS = (
    "snapshot_id",
    "row_number",
    "client_id",
    "arrangement_id",
    "is_retail",
    "is_test",
    "vulnerable",
    "activity",
    "status",
    "balance_gbp",
)
