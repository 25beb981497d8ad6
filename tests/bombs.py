"""Hostile spreadsheets, built at test run time as small as they can be while proving the point.

``xlsx`` writes a workbook by hand (zip + XML, no openpyxl) so a test can declare any dimension,
any number of rows (streamed into the archive, never held) and cells openpyxl would not write.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

_PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{CT}"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_CT}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_CT}"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def column(index: int) -> str:
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(ref: str, value: object) -> str:
    if isinstance(value, Formula):
        return f'<c r="{ref}"><f>{escape(value.text)}</f></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


class Formula:
    def __init__(self, text: str) -> None:
        self.text = text


def row_xml(number: int, values: Sequence[object]) -> str:
    cells = "".join(cell_xml(f"{column(i)}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def xlsx(
    rows: Iterable[Sequence[object]],
    *,
    dimension: str = "A1:XFD1048576",
    path: Path | None = None,
    far_corner: bool = False,
) -> bytes:
    """A workbook whose first sheet holds ``rows`` and declares ``dimension``; written to
    ``path`` (streamed, for big ones) or returned. ``far_corner`` adds what Excel writes for a
    formatted but empty last cell: ``<c r="XFD1048576" s="0"/>`` on row 1,048,576, which a
    reader trusting the sheet's extent pads into a million rows of 16,384 cells."""
    target: io.BytesIO | Path = path if path is not None else io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode()
            )
            batch: list[str] = []
            for number, values in enumerate(rows, start=1):
                batch.append(row_xml(number, values))
                if len(batch) == 5000:
                    sheet.write("".join(batch).encode())
                    batch.clear()
            if far_corner:
                batch.append('<row r="1048576"><c r="XFD1048576" s="0"/></row>')
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
    return target.getvalue() if isinstance(target, io.BytesIO) else b""
