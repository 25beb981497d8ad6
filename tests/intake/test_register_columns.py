"""intake.columns.parse: how each cell of a register is read, by its column's kind (blank cells,
required columns, text, dates, flags, choices, drivers), what is an error on which column, and
that every column has a value (``None`` where blank or not in the file) in one order."""

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook

from intake.columns import COLUMN_NAMES, LONDON, parse


def _csv(header: list[str], *rows: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


HEADER = ["status", "firm_reference", "", "received_at", "channel", "activity", "description"]
HEADER += ["alleged_financial_loss", "alleged_material_distress", "event_date"]
HEADER += ["complainant_name", "complainant_vulnerable", "closed_at", "six_month_wording"]


def test_each_cell_is_read_by_its_columns_kind():
    content = _csv(
        HEADER,
        ["", "  ", "ignored", "2026-03-02", " EMAIL ", "operating_catp", "  Stuck.  ", " Yes"]
        + ["maybe", "02/03/26", "Jo", "health, Life events", " \t", "0"],
        ["closed", "R-2", "", "02/03/2026 14:05", "fax", "operating_catp", "x", "perhaps", "N"]
        + ["2026-13-01", "Al", "yes", "2026-03-04T10:00+00:00", "FALSE"],
    )
    first, second = parse(content, "csv")
    assert first.number == 2 and second.number == 3
    assert first.errors == {
        "status": ["Required."],
        "firm_reference": ["Required."],
        "alleged_material_distress": ["'maybe': use yes or no."],
    }
    v = first.values
    assert v["received_at"] == datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)  # a date: midday
    assert (v["channel"], v["description"], v["alleged_financial_loss"]) == (
        "email",
        "Stuck.",
        True,
    )
    assert v["event_date"] == date(2026, 3, 2)
    assert v["complainant_vulnerable"] == ["health", "life_events"]
    assert v["closed_at"] is None and v["six_month_wording"] is False
    # Every column, in the file's order first, then the rest (and the cells in error) in the
    # template's order.
    assert list(v) == [n for n in HEADER if n and n not in first.errors] + [
        n for n in COLUMN_NAMES if n not in HEADER or n in first.errors
    ]
    assert v["acknowledged_at"] is None and v["status"] is None and "" not in v

    assert second.errors == {
        "channel": [
            "'fax' is not one of: email, phone, letter, web_form, chat, social_media, in_person."
        ],
        "alleged_financial_loss": ["'perhaps': use yes or no."],
        "event_date": ["'2026-13-01' is not a date (YYYY-MM-DD or DD/MM/YYYY)."],
        "complainant_vulnerable": [
            "'yes': name the FG21/1 driver(s): health; life_events; resilience; capability "
            "(or leave blank)."
        ],
    }
    assert second.values["received_at"] == datetime(2026, 3, 2, 14, 5, tzinfo=LONDON)
    assert second.values["closed_at"] == datetime.fromisoformat("2026-03-04T10:00+00:00")
    assert second.values["alleged_material_distress"] is False


def test_a_cell_the_file_could_not_hold_is_an_error_on_its_column_or_its_letter():
    required = ["channel", "activity", "description", "complainant_name", "status"]
    content = _csv(
        ["firm_reference", "received_at", "", *required],
        ["R-\x00", "nonsense", "\x00", "email", "operating_catp", "x", "Jo", "received"],
        [
            "R-2",
            "2026-03-02 09:00",
            "",
            "email",
            "operating_catp",
            "x",
            "Jo",
            "received",
            "",
            "\x00",
        ],
    )
    first, second = parse(content, "csv")
    nul = "Contains a NUL character (a binary or UTF-16 file?): save the file as CSV UTF-8."
    assert first.errors == {
        "firm_reference": [nul],
        "received_at": ["'nonsense' is not a date-time (YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM)."],
        "column C": [nul],
    }
    assert second.errors == {"column J": [nul]}
    assert second.values["firm_reference"] == "R-2"
    order = ["firm_reference", "received_at", *required]
    assert list(second.values) == order + [n for n in COLUMN_NAMES if n not in order]


def test_a_workbooks_cells_keep_their_types():
    workbook = Workbook()
    sheet = workbook.active
    required = ["channel", "activity", "description", "complainant_name", "status"]
    sheet.append(
        ["firm_reference", "received_at", "event_date", "alleged_financial_loss", *required]
    )
    rest = ["email", "operating_catp", "x", "Jo", "received"]
    sheet.append([1234, datetime(2026, 3, 2, 9, 30), datetime(2026, 3, 1, 0, 0), True, *rest])
    sheet.append(["  ", date(2026, 3, 2), "01/03/2026", False, *rest])
    buffer = io.BytesIO()
    workbook.save(buffer)
    first, second = parse(buffer.getvalue(), "xlsx")
    assert first.errors == {}
    assert first.values["firm_reference"] == "1234"
    assert first.values["received_at"] == datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)
    assert first.values["event_date"] == date(2026, 3, 1)
    assert first.values["alleged_financial_loss"] is True
    assert second.errors == {"firm_reference": ["Required."]}
    # A workbook keeps a date as a date-time at midnight: read as that moment.
    assert second.values["received_at"] == datetime(2026, 3, 2, 0, 0, tzinfo=LONDON)
    assert second.values["event_date"] == date(2026, 3, 1)
    assert second.values["alleged_financial_loss"] is False
