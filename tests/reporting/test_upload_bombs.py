"""Hostile client position files (issue 15 item 2): each bomb is built at run time, as small as
it can be while proving the point, and memory is measured with tracemalloc (the algorithm's
bound), not by timing. Encodings and formulas are read correctly or rejected by row and column,
as docs/security.md "Uploads" documents."""

import io
import tracemalloc
from datetime import date

import pytest

from reporting.imports import HEADER, Source
from reporting.models import ClientPositionRow
from reporting.services import ImportRejected, snapshot_import
from tests.bombs import Formula, xlsx
from tests.factories import london
from tests.reporting.helpers import bytes_source, csv_bytes, position

pytestmark = pytest.mark.django_db
AS_AT = date(2028, 3, 31)
NOW = london(2028, 4, 2, 9)
MIB = 1024 * 1024
ROW = ["C1", "true", "false", "no", "A1", "operating_catp", "open", "10.5"]


def run(firm, source):
    return snapshot_import(firm=firm, as_at=AS_AT, source=source, actor=None, now=NOW)


def peak_bytes(action):
    """What ``action`` allocated at its peak (the test's own data is allocated before)."""
    tracemalloc.start()
    try:
        result = action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, peak


def rejection_of(firm, source):
    with pytest.raises(ImportRejected) as caught:
        run(firm, source)
    return caught.value.rejection


@pytest.fixture(autouse=True)
def _warm(firm):
    """Import openpyxl and the ORM paths once, so the measured peaks are the import's own."""
    run(firm, bytes_source(xlsx([HEADER, ROW], dimension="A1:H2"), name="warm.xlsx"))
    ClientPositionRow.objects.all().delete()
    from reporting.models import ClientPositionSnapshot

    ClientPositionSnapshot.objects.all().delete()


def test_an_xlsx_declaring_the_whole_sheet_imports_its_three_rows_in_bounded_memory(firm):
    """The 2 KB workbook whose <dimension> claims A1:XFD1048576 (and whose last, empty cell is
    at XFD1048576) drove a worker past 2.4 GB: nothing is padded to the sheet's extent, so its
    three real rows import in a few MiB."""
    rows = [HEADER, ROW, [*ROW[:4], "A2", *ROW[5:]], [*ROW[:4], "A3", *ROW[5:]]]
    data = xlsx(rows, dimension="A1:XFD1048576", far_corner=True)
    assert len(data) < 2048
    result, peak = peak_bytes(lambda: run(firm, bytes_source(data, name="bomb.xlsx")))
    assert result.snapshot.row_count == 3
    assert ClientPositionRow.objects.filter(snapshot=result.snapshot).count() == 3
    assert peak < 16 * MIB, peak


def test_a_million_row_xlsx_is_rejected_at_the_row_cap_which_the_error_names(
    firm, settings, tmp_path
):
    """A million rows (a few MB zipped) stop at the cap: the reader never goes past row cap+2,
    and the rejection names the cap and its setting."""
    settings.REPORTING_SNAPSHOT_MAX_ROWS = 1000
    path = tmp_path / "million.xlsx"
    xlsx(([f"C{i}"] if i else HEADER for i in range(1_000_001)), dimension="A1:H1000001", path=path)
    rejection, peak = peak_bytes(lambda: rejection_of(firm, Source.from_path(path)))
    error = rejection.errors_shown[0]
    assert error["row"] == 1002 and error["column"] == "(file)"
    assert "at most 1,000 rows per file (REPORTING_SNAPSHOT_MAX_ROWS)" in error["message"]
    assert rejection.rows_read == 1001
    assert peak < 16 * MIB, peak


def test_a_csv_line_that_never_ends_is_rejected_at_the_line_cap_in_bounded_memory(
    firm, settings, tmp_path
):
    """20 MB without a newline: the reader holds at most the line cap (plus a read chunk)."""
    settings.IMPORT_MAX_LINE_CHARS = 100_000
    path = tmp_path / "one-line.csv"
    with path.open("wb") as out:
        out.write((",".join(HEADER) + "\n").encode())
        for _ in range(20):
            out.write(b"x" * MIB)
    rejection, peak = peak_bytes(lambda: rejection_of(firm, Source.from_path(path)))
    assert (
        "longer than 100,000 characters (IMPORT_MAX_LINE_CHARS)"
        in (rejection.errors_shown[0]["message"])
    )
    assert peak < 8 * MIB, peak


def test_a_big_csv_is_checked_in_memory_bounded_by_the_read_chunk(firm, tmp_path):
    """200,000 rows (~9 MB): validating them allocates no more than a few read chunks."""
    from reporting import imports

    path = tmp_path / "big.csv"
    with path.open("w") as out:
        out.write(",".join(HEADER) + "\n")
        for i in range(200_000):
            out.write(f"C{i // 3},true,false,no,A{i},operating_catp,open,{i % 7}.25\n")
    assert path.stat().st_size > 8 * MIB
    report, peak = peak_bytes(lambda: imports.validate(Source.from_path(path)))
    assert report.ok and report.rows == 200_000
    assert peak < 8 * MIB, peak


def test_too_many_columns_reject_the_file_naming_the_cap(firm, settings):
    settings.IMPORT_MAX_COLUMNS = 10
    wide = xlsx([HEADER, [*ROW, "", "", "", "", "", "late value"]], dimension="A1:N2")
    rejection = rejection_of(firm, bytes_source(wide, name="wide.xlsx"))
    assert (
        "value in column N: at most 10 columns (IMPORT_MAX_COLUMNS)"
        in (rejection.errors_shown[0]["message"])
    )


def test_a_row_of_more_cells_than_excel_allows_is_rejected_naming_the_cap(firm, settings):
    """Empty cells count too: a row of 101 ``<c/>`` with no reference passes no column cap."""
    settings.IMPORT_MAX_CELLS_PER_ROW = 100
    data = _with_raw_row(xlsx([HEADER], dimension="A1:A1"), "<row>" + "<c/>" * 101 + "</row>")
    rejection = rejection_of(firm, bytes_source(data, name="cells.xlsx"))
    assert "more than 100 cells (IMPORT_MAX_CELLS_PER_ROW)" in rejection.errors_shown[0]["message"]


def _with_raw_row(data: bytes, row_xml: str) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", row_xml.encode() + b"</sheetData>")
            target.writestr(info.filename, body)
    return out.getvalue()


# --- encodings and formulas (docs/security.md "Uploads": read correctly, or an error) -------


def test_a_nul_byte_is_an_error_on_its_row_and_column(firm):
    data = csv_bytes(
        [position("A", "A1"), ("B\x00", "true", "false", "no", "B1", "mining", "open", "1")]
    )
    rejection = rejection_of(firm, bytes_source(data))
    assert (rejection.errors_shown[0]["row"], rejection.errors_shown[0]["column"]) == (
        3,
        "client_id",
    )
    assert "NUL" in rejection.errors_shown[0]["message"]


def test_utf16_with_a_byte_order_mark_is_read_correctly(firm):
    text = csv_bytes([position("Zoë", "A1"), position("B", "B1")]).decode()
    result = run(firm, bytes_source(text.encode("utf-16")))
    assert result.snapshot.row_count == 2
    assert ClientPositionRow.objects.filter(client_id="Zoë").exists()


def test_a_utf8_byte_order_mark_is_read_correctly(firm):
    data = "\ufeff".encode() + csv_bytes([position("A", "A1")])
    assert run(firm, bytes_source(data)).snapshot.row_count == 1


def test_windows_1252_text_is_an_error_on_its_row_and_column(firm):
    text = csv_bytes([position("A", "A1"), position("Café", "B1")]).decode()
    rejection = rejection_of(firm, bytes_source(text.encode("cp1252")))
    error = rejection.errors_shown[0]
    assert (error["row"], error["column"]) == (3, "client_id")
    assert "Not UTF-8" in error["message"] and "CSV UTF-8" in error["message"]


def test_a_formula_in_an_xlsx_cell_is_an_error_on_its_row_and_column(firm):
    data = xlsx([HEADER, [*ROW[:7], Formula("SUM(1,2)")]], dimension="A1:H2")
    rejection = rejection_of(firm, bytes_source(data, name="formula.xlsx"))
    error = rejection.errors_shown[0]
    assert (error["row"], error["column"]) == (2, "balance_gbp")
    assert "formula" in error["message"]


def test_formula_like_text_in_a_csv_is_kept_as_text(firm):
    """A CSV has no formulas: "=HYPERLINK(...)" is an ID like any other text, stored as given
    (exports neutralise it: issue 15 item 3)."""
    result = run(firm, bytes_source(csv_bytes([position('=HYPERLINK("x")', "A1")])))
    assert ClientPositionRow.objects.get(snapshot=result.snapshot).client_id == '=HYPERLINK("x")'
