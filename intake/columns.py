"""The register import format: its columns, how each cell is read, and the templates.

Every cell error names the row and the column. Dates are read as Europe/London; a date without a
time is read as 12:00 (midday), so same-day events keep their order. Files are read by
``common.spreadsheets`` under caps (docs/security.md "Uploads"): NUL characters, text that is
not UTF-8 and formulas are errors on their cell.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings

from common.spreadsheets import Caps, RawRow, SpreadsheetError, column_letter, read_rows
from complaints.choices import Activity, Channel, ComplainantType, Outcome, Regime, Status

LONDON = ZoneInfo("Europe/London")
DATE_ONLY_TIME = time(12, 0)
TRUE = {"yes", "y", "true", "1", "x"}
FALSE = {"no", "n", "false", "0", ""}
DRIVERS = {
    "health": "vulnerable_health",
    "life_events": "vulnerable_life_events",
    "resilience": "vulnerable_resilience",
    "capability": "vulnerable_capability",
}
IMPORT_STATUSES = [
    Status.RECEIVED,
    Status.ACKNOWLEDGED,
    Status.INVESTIGATING,
    Status.HOLDING_RESPONSE_SENT,
    Status.RESOLVED_SUMMARY,
    Status.FINAL_RESPONSE_SENT,
    Status.FORWARDED,
    Status.WITHDRAWN,
    Status.CLOSED,
]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, datetime, date, bool, choice, drivers
    required: bool
    help: str
    choices: tuple[str, ...] = ()


COLUMNS: list[Column] = [
    Column("firm_reference", "text", True, "Your own reference; unique within the firm."),
    Column("received_at", "datetime", True, "When the complaint was first received."),
    Column("channel", "choice", True, "How it arrived.", tuple(Channel.values)),
    Column("activity", "choice", True, "The activity complained about.", tuple(Activity.values)),
    Column("description", "text", True, "What the complainant is dissatisfied with."),
    Column(
        "alleged_financial_loss",
        "bool",
        False,
        "yes/no. At least one detriment flag "
        "makes it a complaint; none records it as feedback or a query.",
    ),
    Column("alleged_material_distress", "bool", False, "yes/no."),
    Column("alleged_material_inconvenience", "bool", False, "yes/no."),
    Column("regime", "choice", False, "standard (default) or psd_emd.", tuple(Regime.values)),
    Column(
        "event_date",
        "date",
        False,
        "Date of the event complained of (time bar; CP26/4 para 3.24: whether the FOS can "
        "consider it). Left empty, it is recorded as unknown.",
    ),
    Column("awareness_date", "date", False, "When the complainant became aware (time bar)."),
    Column("complainant_name", "text", True, "Full name or business name."),
    Column("complainant_email", "text", False, "Email address."),
    Column("complainant_client_reference", "text", False, "Your client ID."),
    Column("complainant_type", "choice", False, "Default consumer.", tuple(ComplainantType.values)),
    Column(
        "complainant_vulnerable",
        "drivers",
        False,
        "Blank or no; or the FG21/1 drivers, "
        "separated by ';': health; life_events; resilience; capability.",
        tuple(DRIVERS),
    ),
    Column(
        "complainant_vulnerability_consent",
        "bool",
        False,
        "yes/no. The complainant consented to the drivers being recorded (FG21/1; health is "
        "UK GDPR Art 9 special category data): needed with any driver.",
    ),
    Column("status", "choice", True, "Status at import.", tuple(IMPORT_STATUSES)),
    Column("acknowledged_at", "datetime", False, "When the acknowledgement was sent."),
    Column("holding_response_sent_at", "datetime", False, "When a holding response was sent."),
    Column(
        "src_sent_at",
        "datetime",
        False,
        "When the summary resolution communication was sent (resolved_summary).",
    ),
    Column("final_response_sent_at", "datetime", False, "When the final response was sent."),
    Column(
        "outcome",
        "choice",
        False,
        "Needed with an SRC or final response; time_barred for a DISP 1.8 rejection.",
        tuple(v for v in Outcome.values if v != "withdrawn"),
    ),
    Column(
        "response_summary",
        "text",
        False,
        "The decision and reasons given in the SRC or final response (a partly upheld or "
        "rejected response must give reasons). Blank: the stored letter says the original is "
        "held in the previous system.",
    ),
    Column(
        "six_month_wording",
        "bool",
        False,
        "Did the final response carry the six-month FOS wording? Default yes.",
    ),
    Column("forwarded_at", "datetime", False, "When forwarded to another firm (DISP 1.7)."),
    Column("forwarded_to_firm", "text", False, "The firm it was forwarded to."),
    Column("forwarded_to_contact", "text", False, "That firm's contact details."),
    Column("forward_reason", "text", False, "Why it was forwarded."),
    Column("withdrawn_at", "datetime", False, "When the complainant withdrew."),
    Column("closed_at", "datetime", False, "When the case was closed."),
]
COLUMN_NAMES = [c.name for c in COLUMNS]
_BY_NAME = {c.name: c for c in COLUMNS}


class FileError(Exception):
    """The file cannot be read at all (not a row problem)."""


@dataclass
class ParsedRow:
    number: int  # the spreadsheet row number (header is row 1)
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


_DT_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%y %H:%M")
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y")


def _as_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no zone
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY).")


def _datetime_from_text(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        if len(text) == 10:  # ISO date only
            return datetime.combine(value.date(), DATE_ONLY_TIME)
        return value
    for fmt in _DT_FORMATS:
        try:
            return datetime.strptime(text, fmt)  # noqa: DTZ007 - zone added by the caller
        except ValueError:
            continue
    try:
        return datetime.combine(_as_date(text), DATE_ONLY_TIME)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date-time (YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM)."
        ) from None


def _as_datetime(raw: Any) -> datetime:
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        value = datetime.combine(raw, DATE_ONLY_TIME)
    else:
        value = _datetime_from_text(str(raw).strip())
    return value if value.tzinfo else value.replace(tzinfo=LONDON)


def _read_bool(raw: Any) -> bool:
    text = str(raw).strip().lower()
    if isinstance(raw, bool):
        return raw
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"{raw!r}: use yes or no.")


def _read_drivers(raw: Any) -> list[str]:
    text = str(raw).strip().lower()
    if text in FALSE:
        return []
    drivers = [d.strip().replace(" ", "_") for d in text.replace(",", ";").split(";")]
    unknown = [d for d in drivers if d and d not in DRIVERS]
    if unknown or text in TRUE:
        raise ValueError(
            f"{raw!r}: name the FG21/1 driver(s): {'; '.join(DRIVERS)} (or leave blank)."
        )
    return [d for d in drivers if d]


def _reader(column: Column) -> Callable[[Any], Any]:
    """How a cell of ``column`` that is not blank is read: chosen once per column, not per
    cell (a register of 10,000 rows has 310,000 cells)."""
    if column.kind == "text":
        return lambda raw: str(raw).strip()
    if column.kind == "datetime":
        return _as_datetime
    if column.kind == "date":
        return _as_date
    if column.kind == "bool":
        return _read_bool
    if column.kind == "choice":
        choices = column.choices

        def choice(raw: Any) -> str:
            text = str(raw).strip().lower()
            if text not in choices:
                raise ValueError(f"{raw!r} is not one of: {', '.join(choices)}.")
            return text

        return choice
    if column.kind == "drivers":
        return _read_drivers
    raise AssertionError(column.kind)


_READERS = {c.name: _reader(c) for c in COLUMNS}


def max_rows() -> int:
    limit: int = getattr(settings, "INTAKE_IMPORT_MAX_ROWS", 5000)
    return limit


def caps() -> Caps:
    """The caps a register is read under (docs/security.md "Uploads")."""
    return Caps.from_settings(max_rows(), "INTAKE_IMPORT_MAX_ROWS")


def _header(row: RawRow | None) -> list[str]:
    if row is None:
        raise FileError("The file is empty.")
    if row.problems:
        index, problem = min(row.problems.items())
        raise FileError(f"Row 1, column {column_letter(index)}: {problem}")
    names = [str(h).strip().lower() if h is not None else "" for h in row.values]
    missing = [c.name for c in COLUMNS if c.required and c.name not in names]
    if missing:
        raise FileError(
            f"Missing column(s): {', '.join(missing)}. Download the template for the layout."
        )
    unknown = [n for n in names if n and n not in _BY_NAME]
    if unknown:
        raise FileError(f"Unknown column(s): {', '.join(unknown)}.")
    return names


@dataclass(frozen=True)
class _Layout:
    """A file's header read once for all its rows: each named column's index, name, whether it
    is required and its reader, in the file's order."""

    names: list[str]
    cells: tuple[tuple[int, str, bool, Callable[[Any], Any]], ...]

    @classmethod
    def of(cls, names: list[str]) -> _Layout:
        cells = tuple(
            (index, name, _BY_NAME[name].required, _READERS[name])
            for index, name in enumerate(names)
            if name
        )
        return cls(names, cells)


def _parse_row(layout: _Layout, raw: RawRow, *, every_column: bool = True) -> ParsedRow:
    """The row's values by column name (every column, ``None`` where blank or not in the file;
    without ``every_column``, only the layout's columns that could be read) and its errors by
    column: a blank cell is ``None``, or "Required." in a required column; any other cell goes
    through its column's reader, whose ``ValueError`` is the cell's error."""
    row = ParsedRow(number=raw.number)
    values, errors, problems, cells = row.values, row.errors, raw.problems, raw.values
    count = len(cells)
    for index, name, required, read in layout.cells:
        if problems and index in problems:
            errors.setdefault(name, []).append(problems[index])
            continue
        cell = cells[index] if index < count else None
        if cell is None or cell == "" or (isinstance(cell, str) and not cell.strip()):
            if required:
                errors.setdefault(name, []).append("Required.")
            else:
                values[name] = None
            continue
        try:
            values[name] = read(cell)
        except ValueError as exc:
            errors.setdefault(name, []).append(str(exc))
    for index in problems:
        if index >= len(layout.names) or not layout.names[index]:
            errors.setdefault(f"column {column_letter(index)}", []).append(problems[index])
    if every_column and len(values) != len(COLUMNS):
        for column in COLUMN_NAMES:
            values.setdefault(column, None)
    return row


class Rows:
    """A register's rows as ``read`` found them, each parsed (``_parse_row``) only as it is
    iterated: a caller judging them one by one starts on the first at once instead of after
    the whole file (the commit's first write waited for it: issue 18), and holds only the
    parsed rows it keeps."""

    def __init__(self, layout: _Layout, raw: list[RawRow]) -> None:
        self._layout, self._raw = layout, raw

    def __len__(self) -> int:
        return len(self._raw)

    def __iter__(self) -> Iterator[ParsedRow]:
        layout = self._layout
        return (_parse_row(layout, raw) for raw in self._raw)

    def parts(self, count: int) -> list[Rows]:
        """The rows cut into ``count`` contiguous parts of near equal size, in file order (the
        preview's workers: ``intake.services.fanout``)."""
        size, extra = divmod(len(self._raw), max(1, count))
        bounds = [0]
        for index in range(max(1, count)):
            bounds.append(bounds[-1] + size + (1 if index < extra else 0))
        return [Rows(self._layout, self._raw[a:b]) for a, b in itertools.pairwise(bounds)]

    def column(self, name: str) -> list[tuple[int, Any]]:
        """Each row's number and its value of the column ``name``, as its parse gives it (that
        column alone read: a blank cell, one that cannot be read, or no such column is None)."""
        only = _Layout.of([n if n == name else "" for n in self._layout.names])
        return [
            (raw.number, _parse_row(only, raw, every_column=False).values.get(name))
            for raw in self._raw
        ]


def read(content: bytes | IO[bytes], file_format: str) -> Rows:
    """Every non-blank row after the header, read under ``caps()`` (at most
    ``INTAKE_IMPORT_MAX_ROWS`` of them, so the rows are bounded): the whole file read and every
    error of the file itself (``FileError``) raised here; each row parsed when iterated, where
    a cell that cannot be read is an error on its row and column."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    try:
        rows = read_rows(stream, file_format, caps())
        return Rows(_Layout.of(_header(next(rows, None))), list(rows))
    except SpreadsheetError as exc:
        raise FileError(exc.message) from None


def parse(content: bytes | IO[bytes], file_format: str) -> list[ParsedRow]:
    """Every row of ``read``, parsed."""
    return list(read(content, file_format))


def template_csv() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMN_NAMES)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Complaints"
    sheet.append(COLUMN_NAMES)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet("Columns")
    guide.append(["column", "required", "format", "allowed values", "notes"])
    for c in COLUMNS:
        guide.append([c.name, "yes" if c.required else "no", c.kind, ", ".join(c.choices), c.help])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
