"""The register import format: its columns, how each cell is read, and the templates.

Every cell error names the row and the column. Dates are read as Europe/London; a date without a
time is read as 12:00 (midday), so same-day events keep their order.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

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


def _read_cell(column: Column, raw: Any) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise ValueError("Required.")
        return None
    if column.kind == "text":
        return str(raw).strip()
    if column.kind == "datetime":
        return _as_datetime(raw)
    if column.kind == "date":
        return _as_date(raw)
    if column.kind == "bool":
        text = str(raw).strip().lower()
        if isinstance(raw, bool):
            return raw
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError(f"{raw!r}: use yes or no.")
    if column.kind == "choice":
        text = str(raw).strip().lower()
        if text not in column.choices:
            raise ValueError(f"{raw!r} is not one of: {', '.join(column.choices)}.")
        return text
    if column.kind == "drivers":
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
    raise AssertionError(column.kind)


def _parse_table(header: list[Any], rows: list[tuple[int, list[Any]]]) -> list[ParsedRow]:
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    missing = [c.name for c in COLUMNS if c.required and c.name not in names]
    if missing:
        raise FileError(
            f"Missing column(s): {', '.join(missing)}. Download the template for the layout."
        )
    unknown = [n for n in names if n and n not in _BY_NAME]
    if unknown:
        raise FileError(f"Unknown column(s): {', '.join(unknown)}.")
    parsed = []
    for number, cells in rows:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        row = ParsedRow(number=number)
        for index, name in enumerate(names):
            if not name:
                continue
            raw = cells[index] if index < len(cells) else None
            try:
                row.values[name] = _read_cell(_BY_NAME[name], raw)
            except ValueError as exc:
                row.errors.setdefault(name, []).append(str(exc))
        for column in COLUMNS:
            row.values.setdefault(column.name, None)
        parsed.append(row)
    return parsed


def parse_csv(content: bytes) -> list[ParsedRow]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError("The CSV is not UTF-8: save it as 'CSV UTF-8' and upload again.") from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise FileError("The file is empty.") from None
    except csv.Error as exc:
        raise FileError(f"Not a readable CSV: {exc}.") from None
    try:
        rows = [(i, list(r)) for i, r in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise FileError(f"Not a readable CSV: {exc}.") from None
    return _parse_table(header, rows)


def parse_xlsx(content: bytes) -> list[ParsedRow]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged file
        raise FileError(f"Not a readable XLSX workbook ({type(exc).__name__}).") from None
    sheet = workbook.worksheets[0]
    all_rows = list(sheet.iter_rows(values_only=True))
    workbook.close()
    if not all_rows:
        raise FileError("The workbook's first sheet is empty.")
    return _parse_table(list(all_rows[0]), [(i, list(r)) for i, r in enumerate(all_rows[1:], 2)])


def parse(content: bytes, file_format: str) -> list[ParsedRow]:
    return parse_xlsx(content) if file_format == "xlsx" else parse_csv(content)


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
