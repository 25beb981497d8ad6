"""Hostile register files (issue 15 item 2): bombs built at run time, memory measured by
tracemalloc; NUL bytes, UTF-16, a UTF-8 byte-order mark, Windows-1252 text and formulas are
read correctly or become an error on their row and column (docs/security.md "Uploads")."""

import tracemalloc

import pytest

from common.errors import ValidationFailed
from complaints.models import Complaint
from intake import columns
from intake.services import import_preview
from tests.bombs import Formula, xlsx
from tests.intake.test_register_import import NOW, row, to_csv

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def preview(firm, handler, content, name="register.csv"):
    return import_preview(firm=firm, actor=handler, now=NOW, filename=name, content=content)


def outcome(batch, index=0):
    result = batch.results[index]
    return result["outcome"], result["errors"]


def peak_bytes(action):
    tracemalloc.start()
    try:
        result = action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, peak


def register_rows(*refs):
    return [columns.COLUMN_NAMES] + [
        [row(ref).get(name, "") for name in columns.COLUMN_NAMES] for ref in refs
    ]


def test_an_xlsx_declaring_the_whole_sheet_reads_its_three_rows_in_bounded_memory():
    """The declared A1:XFD1048576 and an empty cell at XFD1048576 pad nothing: three rows come
    back, as they are."""
    data = xlsx(register_rows("X-1", "X-2", "X-3"), dimension="A1:XFD1048576", far_corner=True)
    columns.parse(xlsx(register_rows("W-1"), dimension="A1:AD2"), "xlsx")  # warm the imports
    rows, peak = peak_bytes(lambda: columns.parse(data, "xlsx"))
    assert [r.values["firm_reference"] for r in rows] == ["X-1", "X-2", "X-3"]
    assert peak < 8 * MIB, peak


def test_a_million_row_xlsx_is_refused_at_the_row_cap_which_the_error_names(
    firm, handler, tmp_path
):
    path = tmp_path / "million.xlsx"
    xlsx(
        (columns.COLUMN_NAMES if i == 0 else [f"R-{i}"] for i in range(1_000_001)),
        dimension="A1:A1000001",
        path=path,
    )
    content = path.read_bytes()
    with pytest.raises(ValidationFailed) as caught:
        peak_bytes(lambda: preview(firm, handler, content, name="million.xlsx"))
    assert "More than 5,000 rows: at most 5,000 rows per file (INTAKE_IMPORT_MAX_ROWS)" in (
        caught.value.message
    )
    _, peak = peak_bytes(lambda: pytest.raises(columns.FileError, columns.parse, content, "xlsx"))
    assert peak < 16 * MIB, peak


def test_a_nul_byte_is_an_error_on_its_row_and_column(firm, handler):
    batch = preview(firm, handler, to_csv([row("N-1", description="Stuck\x00withdrawal")]))
    assert outcome(batch) == (
        "error",
        {
            "description": [
                "Contains a NUL character (a binary or UTF-16 file?): save the file as CSV UTF-8."
            ]
        },
    )
    assert Complaint.objects.count() == 0


def test_utf16_with_a_byte_order_mark_is_read_correctly(firm, handler):
    text = to_csv([row("U-1", complainant_name="Zoë Brontë")]).decode()
    batch = preview(firm, handler, text.encode("utf-16"))
    assert outcome(batch) == ("ok", {}), batch.results


def test_a_utf8_byte_order_mark_is_read_correctly(firm, handler):
    batch = preview(firm, handler, "\ufeff".encode() + to_csv([row("B-1")]))
    assert outcome(batch) == ("ok", {}), batch.results


def test_windows_1252_text_is_an_error_on_its_row_and_column(firm, handler):
    text = to_csv([row("W-1"), row("W-2", complainant_name="Zoë “Jo” Smith")]).decode()
    batch = preview(firm, handler, text.encode("cp1252"))
    assert outcome(batch, 0) == ("ok", {})
    status, errors = outcome(batch, 1)
    assert status == "error" and list(errors) == ["complainant_name"]
    assert errors["complainant_name"][0].startswith("Not UTF-8 text (Windows-1252")
    assert batch.results[1]["row"] == 3


def test_a_formula_in_an_xlsx_cell_is_an_error_on_its_row_and_column(firm, handler):
    rows = register_rows("F-1")
    rows[1][columns.COLUMN_NAMES.index("description")] = Formula('HYPERLINK("http://x")')
    batch = preview(firm, handler, xlsx(rows, dimension="A1:AD2"), name="formula.xlsx")
    assert outcome(batch) == (
        "error",
        {"description": ["Holds a formula: enter the value itself, not a formula."]},
    )


def test_formula_like_text_in_a_csv_is_read_as_text(firm, handler):
    batch = preview(firm, handler, to_csv([row("T-1", description="=1+1 charged twice")]))
    assert outcome(batch) == ("ok", {}), batch.results


def test_a_cell_over_the_character_cap_is_an_error_on_its_row_and_column(firm, handler, settings):
    settings.IMPORT_MAX_CELL_CHARS = 50
    batch = preview(firm, handler, to_csv([row("L-1", description="x" * 51)]))
    assert outcome(batch) == (
        "error",
        {"description": ["Longer than 50 characters (IMPORT_MAX_CELL_CHARS)."]},
    )
