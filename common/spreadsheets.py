"""Reading an uploaded CSV or XLSX a row at a time, in bounded memory, whatever the file claims.

Both imports (intake's complaint registers, reporting's client snapshots) read through here.

- **XLSX** is read by streaming the first worksheet's XML through expat ourselves: the sheet's
  declared dimension (``<dimension ref="A1:XFD1048576"/>``) is never read, rows and cells are
  never padded, and a cell's text is kept only up to the cell cap. Shared strings and styles are
  loaded by openpyxl (read-only) after checking the declared size of each part of the archive.
- **CSV** is decoded incrementally: UTF-8 with or without a byte-order mark, or UTF-16 with a
  byte-order mark, are read correctly; a line is never held beyond the line cap.

Caps (``Caps``, from settings; docs/security.md "Uploads"): data rows per file, the column of
any non-empty cell, cells per row, characters per cell, characters per CSV line and the
uncompressed size of the workbook's other parts. Going over a cap stops the read at once with a
``SpreadsheetError`` naming the cap and where it was found. Problems in one cell (a NUL
character, text that is not UTF-8, a formula, a cell over the character cap) do not stop the
read: the row carries them in ``problems`` (by column index) for the caller's row-and-column
error, and the cell's value is ``None``.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings

READ_BYTES = 1 << 16
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SEP = "\x01"  # expat namespace separator: tags arrive as "<ns>\x01<local>"


@dataclass(frozen=True)
class Caps:
    rows: int  # data rows (after the header)
    rows_setting: str  # the setting that sets ``rows``, named in the error
    columns: int = 64
    cells_per_row: int = 16_384  # Excel's own column limit: more <c> in one row is malformed
    cell_chars: int = 32_767  # Excel's own limit on a cell's text
    line_chars: int = 1_000_000
    xml_part_bytes: int = 64 * 1024 * 1024

    @classmethod
    def from_settings(cls, rows: int, rows_setting: str) -> Caps:
        return cls(
            rows=rows,
            rows_setting=rows_setting,
            columns=getattr(settings, "IMPORT_MAX_COLUMNS", 64),
            cells_per_row=getattr(settings, "IMPORT_MAX_CELLS_PER_ROW", 16_384),
            cell_chars=getattr(settings, "IMPORT_MAX_CELL_CHARS", 32_767),
            line_chars=getattr(settings, "IMPORT_MAX_LINE_CHARS", 1_000_000),
            xml_part_bytes=getattr(settings, "IMPORT_XLSX_MAX_PART_BYTES", 64 * 1024 * 1024),
        )


class SpreadsheetError(Exception):
    """The file cannot be read on (over a cap, damaged, not a workbook): nothing is imported."""

    def __init__(self, message: str, *, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass
class RawRow:
    number: int  # the spreadsheet row number (1 = the first row, normally the header)
    values: list[Any]
    problems: dict[int, str] = field(default_factory=dict)  # 0-based column index → message


def column_letter(index: int) -> str:
    """``0`` → ``A``; the column as a spreadsheet names it."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _too_many_rows(caps: Caps, number: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"More than {caps.rows:,} rows: at most {caps.rows:,} rows per file "
        f"({caps.rows_setting}). Split the file.",
        row=number,
    )


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_rows(
    stream: IO[bytes], file_format: str, caps: Caps, *, chunk_bytes: int = READ_BYTES
) -> Iterator[RawRow]:
    """The non-blank rows of the file (header included), checked against ``caps``."""
    rows = (
        _xlsx_rows(stream, caps, chunk_bytes)
        if file_format == "xlsx"
        else _csv_rows(stream, caps, chunk_bytes)
    )
    seen = 0
    for row in rows:
        if _blank(row.values) and not row.problems:
            continue
        seen += 1
        if seen > caps.rows + 1:  # the header and at most caps.rows rows
            raise _too_many_rows(caps, row.number)
        yield row


# --- CSV -------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _csv_lines(stream: IO[bytes], caps: Caps, chunk_bytes: int) -> Iterator[str]:
    first = stream.read(chunk_bytes)
    encoding = next((enc for bom, enc in _BOMS if first.startswith(bom)), "utf-8")
    # Bytes that are not UTF-8 (Windows-1252 "smart quotes", "£") survive as lone surrogates and
    # become an error on their cell, not a failure of the whole file.
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    pending = ""
    line_number = 1
    chunk = first
    while chunk:
        pending += decoder.decode(chunk)
        # \n only: a quoted field may hold other line separators (U+2028).
        *lines, pending = pending.split("\n")
        for line in lines:
            yield line + "\n"
            line_number += 1
        if len(pending) > caps.line_chars:
            raise SpreadsheetError(
                f"Line {line_number} is longer than {caps.line_chars:,} characters "
                "(IMPORT_MAX_LINE_CHARS): is this a CSV file?",
                row=line_number,
            )
        chunk = stream.read(chunk_bytes)
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


# Bytes that were not UTF-8, as surrogateescape decodes them: searched in C, not char by char.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _cell_problem(text: str, caps: Caps) -> str | None:
    if "\x00" in text:
        return "Contains a NUL character (a binary or UTF-16 file?): save the file as CSV UTF-8."
    if _NOT_UTF8.search(text):
        return (
            "Not UTF-8 text (Windows-1252 or another legacy encoding?): save the file as "
            "CSV UTF-8 and upload it again."
        )
    if len(text) > caps.cell_chars:
        return f"Longer than {caps.cell_chars:,} characters (IMPORT_MAX_CELL_CHARS)."
    return None


def _any_problem(record: list[str], caps: Caps) -> bool:
    """Whether any cell of the record has a ``_cell_problem``: the whole row searched at once
    (in C), each cell looked at only when one has."""
    text = "".join(record)
    return (
        "\x00" in text
        or _NOT_UTF8.search(text) is not None
        or max(map(len, record)) > caps.cell_chars
    )


def _csv_rows(stream: IO[bytes], caps: Caps, chunk_bytes: int) -> Iterator[RawRow]:
    reader = csv.reader(_csv_lines(stream, caps, chunk_bytes))
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SpreadsheetError(f"Row {number + 1}: not readable as CSV ({exc}).") from None
        number += 1
        if len(record) > caps.cells_per_row or (
            len(record) > caps.columns and any(c.strip() for c in record[caps.columns :])
        ):
            raise SpreadsheetError(
                f"Row {number} has {len(record):,} columns: at most {caps.columns}"
                " (IMPORT_MAX_COLUMNS).",
                row=number,
            )
        row = RawRow(number, list(record))
        if record and _any_problem(record, caps):
            for index, text in enumerate(record):
                if (problem := _cell_problem(text, caps)) is not None:
                    row.problems[index] = problem
                    row.values[index] = None
        yield row


# --- XLSX ------------------------------------------------------------------------------------


def _open_workbook(stream: IO[bytes], caps: Caps):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(stream) as archive:
            for info in archive.infolist():
                is_sheet = info.filename.startswith("xl/worksheets/")
                if not is_sheet and info.file_size > caps.xml_part_bytes:
                    raise SpreadsheetError(
                        f"The workbook part {info.filename} unpacks to {info.file_size:,} "
                        f"bytes: at most {caps.xml_part_bytes:,} (IMPORT_XLSX_MAX_PART_BYTES)."
                    )
        stream.seek(0)
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except SpreadsheetError:
        raise
    except Exception as exc:  # zipfile, expat and openpyxl raise many types for a damaged file
        raise SpreadsheetError(f"Not a readable XLSX workbook ({type(exc).__name__}).") from None
    return workbook, sheet


def _cell_ref(ref: str) -> tuple[int, int] | None:
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters) :]
    if not letters.isalpha() or not digits:
        return None
    column = 0
    for ch in letters.upper():
        column = column * 26 + (ord(ch) - 64)
    return int(digits), column


class _SheetReader:
    """expat handlers for one worksheet: a cell's text is kept up to the cap, never more."""

    def __init__(self, sheet, caps: Caps) -> None:
        workbook = sheet.parent
        self.shared = sheet._shared_strings
        self.date_styles = workbook._date_formats
        self.epoch = workbook.epoch
        self.caps = caps
        self.ready: list[RawRow] = []
        self.row: RawRow | None = None
        self.row_number = 0
        self.cells = 0
        self.column = 0
        self.cell: dict[str, Any] | None = None
        self.text: list[str] | None = None  # collecting <v> or inline <t> text
        self.text_len = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        ns, _, name = tag.rpartition(_SEP)
        if ns != MAIN_NS:
            return
        if name == "row":
            r = attrs.get("r", "")
            self.row_number = int(r) if r.isdigit() else self.row_number + 1
            self.row = RawRow(self.row_number, [])
            self.cells = self.column = 0
        elif name == "c" and self.row is not None:
            self.cells += 1
            if self.cells > self.caps.cells_per_row:
                raise SpreadsheetError(
                    f"Row {self.row_number} has more than {self.caps.cells_per_row:,} cells "
                    "(IMPORT_MAX_CELLS_PER_ROW).",
                    row=self.row_number,
                )
            ref = _cell_ref(attrs.get("r", ""))
            self.column = ref[1] if ref else self.column + 1
            style = attrs.get("s", "")
            self.cell = {
                "t": attrs.get("t", "n"),
                "s": int(style) if style.isdigit() else 0,
                "formula": False,
                "v": None,
            }
        elif self.cell is not None:
            if name == "f":
                self.cell["formula"] = True
            elif name in ("v", "t"):
                self.text = [] if self.text is None or name == "v" else self.text
                self.text_len = self.text_len if name == "t" else 0

    def chars(self, data: str) -> None:
        if self.text is None:
            return
        self.text_len += len(data)
        if self.text_len <= self.caps.cell_chars:
            self.text.append(data)

    def end(self, tag: str) -> None:
        ns, _, name = tag.rpartition(_SEP)
        if ns != MAIN_NS:
            return
        if (
            name == "v"
            and self.cell is not None
            and self.text is not None
            or name == "is"
            and self.cell is not None
            and self.text is not None
        ):
            self.cell["v"] = "".join(self.text)
            self.text = None
        elif name == "c" and self.cell is not None and self.row is not None:
            self._finish_cell()
            self.cell, self.text, self.text_len = None, None, 0
        elif name == "row" and self.row is not None:
            self.ready.append(self.row)
            self.row = None

    def _finish_cell(self) -> None:
        assert self.cell is not None and self.row is not None
        cell, row = self.cell, self.row
        index = self.column - 1
        problem = None
        try:
            value = self._value(cell)
        except (ValueError, IndexError, OverflowError):
            value, problem = None, "Not a readable value."
        if cell["formula"]:
            value, problem = None, "Holds a formula: enter the value itself, not a formula."
        elif self.text_len > self.caps.cell_chars:
            value = None
            problem = f"Longer than {self.caps.cell_chars:,} characters (IMPORT_MAX_CELL_CHARS)."
        elif isinstance(value, str):
            problem = _cell_problem(value, self.caps)
            value = None if problem else value
        if value is None and problem is None:
            return  # an empty (perhaps only formatted) cell: ignored wherever it is
        if self.column > self.caps.columns:
            raise SpreadsheetError(
                f"Row {row.number} has a value in column {column_letter(index)}: at most "
                f"{self.caps.columns} columns (IMPORT_MAX_COLUMNS).",
                row=row.number,
            )
        while len(row.values) <= index:
            row.values.append(None)
        row.values[index] = value
        if problem:
            row.problems[index] = problem

    def _value(self, cell: dict[str, Any]) -> Any:
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        raw, kind = cell["v"], cell["t"]
        if raw is None or raw == "":
            return None
        if kind == "s":
            return self.shared[int(raw)]
        if kind in ("str", "inlineStr"):
            return raw
        if kind == "b":
            return raw.strip() == "1"
        if kind == "e":
            raise ValueError(raw)
        if kind == "d":
            return from_ISO8601(raw)
        number: float | int = float(raw)
        if number.is_integer() and "." not in raw and "E" not in raw.upper():
            number = int(raw)
        if cell["s"] in self.date_styles:
            value: datetime = from_excel(number, self.epoch)
            return value
        return number


def _xlsx_rows(stream: IO[bytes], caps: Caps, chunk_bytes: int) -> Iterator[RawRow]:
    workbook, sheet = _open_workbook(stream, caps)
    reader = _SheetReader(sheet, caps)
    parser = expat.ParserCreate(namespace_separator=_SEP)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    try:
        with workbook._archive.open(sheet._worksheet_path) as source:
            while chunk := source.read(chunk_bytes):
                _feed(parser.Parse, chunk, final=False)
                yield from reader.ready
                reader.ready.clear()
            _feed(parser.Parse, b"", final=True)
            yield from reader.ready
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise SpreadsheetError(f"Not a readable XLSX workbook ({type(exc).__name__}).") from None
    finally:
        workbook.close()


def _feed(parse: Callable[[bytes, bool], Any], data: bytes, *, final: bool) -> None:
    try:
        parse(data, final)
    except expat.ExpatError as exc:
        raise SpreadsheetError(
            f"The worksheet is not well-formed XML (line {exc.lineno}): "
            f"{expat.ErrorString(exc.code)}."
        ) from None
