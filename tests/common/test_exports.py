"""The one export writer: OWASP CSV injection neutralised, numbers and dates typed, UK time."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest

from common import exports

COLUMNS = (exports.Column("text", "Text"), exports.Column("amount_gbp", "Amount (GBP)"))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_owasp_formula_starts_are_quoted_in_csv_and_text_cells_in_xlsx(start):
    value = f'{start}HYPERLINK("http://x")'
    table = exports.Table("T", COLUMNS, [[value, Decimal("-12.50")]])
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(table).decode("utf-8-sig"))))
    assert rows[1] == ["'" + value, "-12.50"]  # a negative amount is a number, not escaped
    sheet = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(table))).active
    text, amount = sheet[2]
    # XML reads a carriage return back as a newline; the cell is text either way.
    assert (text.value, text.data_type) == (value.replace("\r", "\n"), "s")
    assert (amount.value, amount.data_type) == (-12.5, "n")


def test_datetimes_are_uk_local_time_iso_in_csv_and_date_cells_in_xlsx():
    summer = datetime(2026, 4, 9, 13, 5, tzinfo=UTC)  # 14:05 in London (BST)
    table = exports.Table("T", COLUMNS, [[summer, date(2026, 4, 9)]])
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(table).decode("utf-8-sig"))))
    assert rows[1] == ["2026-04-09T14:05:00+01:00", "2026-04-09"]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(table))).active
    when, day = sheet[2]
    assert when.is_date and when.value == datetime(2026, 4, 9, 14, 5)
    assert day.is_date and day.number_format == "dd/mm/yyyy"


def test_headings_carry_the_reference_and_give_it_back():
    assert [c.title for c in COLUMNS] == ["Text", "Amount (GBP) (amount_gbp)"]
    assert exports.column_key("\ufeffAmount (GBP) (amount_gbp)") == "amount_gbp"
    assert exports.column_key("Use case") == "use_case"
    assert exports.Column("x", "Data item", 0).title == "Data item (x)"
