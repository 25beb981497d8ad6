"""The one writer behind every CSV and XLSX file the product makes.

- **No formulas from data.** A text value starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is what a spreadsheet runs as a formula (CSV injection, OWASP). In CSV such a
  value is written with a leading single quote (``'=HYPERLINK(...)``); in XLSX it is a text cell
  (``data_type`` ``s``, quote-prefixed), never a formula. Only text is escaped: numbers
  (``Decimal("-12.50")``, ints) stay numbers.
- **Dates as dates, in UK local time.** Datetimes are turned to Europe/London. XLSX gets real
  date cells shown as ``dd/mm/yyyy`` (``dd/mm/yyyy hh:mm`` for a time); CSV gets ISO 8601
  (``2026-04-09``, ``2026-04-09T14:05:00+01:00``): unambiguous for a machine and read as a date by
  every spreadsheet program, where ``09/04/2026`` would be read as 4 September in some.
- **Human headings beside the references.** Each column has a heading a person reads and the
  reference a machine or the regulator uses: the header cell is ``Heading (reference)``, or just
  the heading where the reference only restates it (``Who`` for ``who``).
  ``column_key`` gives the reference back from a header cell.
- CSV is UTF-8 with a byte-order mark (so spreadsheet programs show £ and accented names).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from .dates import LONDON

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

Value = str | int | float | Decimal | bool | date | datetime | None


@dataclass(frozen=True)
class Column:
    """One column: ``key`` is the reference (a field name or data item reference), ``heading``
    what a person reads. ``width`` is the XLSX column width (0: the default)."""

    key: str
    heading: str
    width: int = 0

    @property
    def title(self) -> str:
        """``Heading (key)``; just the heading where the key only restates it ("Who")."""
        return self.heading if _slug(self.heading) == self.key else f"{self.heading} ({self.key})"


def _slug(heading: str) -> str:
    return heading.lower().replace(" ", "_")


@dataclass
class Table:
    """Rows under a header: one sheet in XLSX, one block (a blank line between) in CSV."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Value | Any]] = field(default_factory=list)


_KEY = re.compile(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*$")


def column_key(title: str) -> str:
    """The reference in a header cell: ``"Complaints received (complaints_received)"`` →
    ``"complaints_received"``, ``"Use case"`` → ``"use_case"``."""
    title = title.lstrip(BOM)
    match = _KEY.search(title)
    return match.group(1) if match else _slug(title)


def neutralise(text: str) -> str:
    """``text`` safe to open in a spreadsheet: a leading formula character is quoted."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _london(value: datetime) -> datetime:
    return value.astimezone(LONDON) if value.tzinfo else value


def csv_value(value: Value | Any) -> Any:
    """One value as a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return _london(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return value
    return neutralise(str(value))


class CsvWriter:
    """Rows onto a text stream (an ``HttpResponse``, a file), each value through ``csv_value``."""

    def __init__(self, stream: IO[str] | Any, *, bom: bool = True) -> None:
        self._writer = csv.writer(stream)
        self._stream = stream
        self._bom = bom

    def header(self, columns: Sequence[Column]) -> None:
        if self._bom:
            self._stream.write(BOM)
            self._bom = False
        self._writer.writerow([c.title for c in columns])

    def row(self, values: Sequence[Value]) -> None:
        self._writer.writerow([csv_value(v) for v in values])

    def blank(self) -> None:
        self._writer.writerow([])

    def table(self, table: Table) -> None:
        self.header(table.columns)
        for values in table.rows:
            self.row(values)


def csv_text(*tables: Table) -> str:
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    for n, table in enumerate(tables):
        if n:
            writer.blank()
        writer.table(table)
    return buffer.getvalue()


def csv_bytes(*tables: Table) -> bytes:
    """The tables as one CSV file (UTF-8 with a byte-order mark), a blank row between them."""
    return csv_text(*tables).encode("utf-8")


DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def _put(sheet, row: int, col: int, value: Value | Any) -> None:
    cell = sheet.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, datetime):
        cell.value = _london(value).replace(tzinfo=None)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif isinstance(value, int | float | Decimal):
        cell.value = value
    else:
        text = str(value)
        cell.value = text
        # openpyxl makes any text starting with "=" a formula; text stays text.
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def xlsx_bytes(*tables: Table) -> bytes:
    """The tables as a workbook, one sheet each, headings bold and the header row frozen."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        for col, column in enumerate(table.columns, 1):
            _put(sheet, 1, col, column.title)
            sheet.cell(row=1, column=col).font = bold
            if column.width:
                sheet.column_dimensions[get_column_letter(col)].width = column.width
        for row, values in enumerate(table.rows, 2):
            for col, value in enumerate(values, 1):
                _put(sheet, row, col, value)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
