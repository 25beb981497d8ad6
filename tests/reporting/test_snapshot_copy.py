"""Issue 18: the snapshot import's COPY fast path (``reporting.services.snapshot_copy``).

A plain CSV is checked line by line by one regular expression and COPYed straight into the rows
table; anything else goes through the one pass (``imports.checked_rows``), which words every
error. The fast path must accept only what the one pass accepts, store exactly what it stores,
and leave every error to it.
"""

from datetime import date

import pytest
from django.db import connection

from reporting import imports
from reporting.models import ClientPositionRow
from reporting.services import snapshot_copy, snapshot_import
from reporting.services.snapshots import ImportRejected
from tests.reporting.helpers import bytes_source, csv_bytes, load_snapshot, london, position

Q1 = date(2028, 3, 31)
Q2 = date(2028, 6, 30)

# Plain rows the fast path takes: the boolean words in any ASCII case, negative, whole and
# eight-place balances, IDs of 1 and 64 characters, non-ASCII and inner spaces.
ROWS = [
    position("A", "A1", balance="12.5"),
    position("A", "A2", retail=False, vulnerable=True, balance="-3.20"),
    position("B", "B1", status="pending_closure", balance="0"),
    position("C", "C1", test=True, activity="staking", balance="0.00000001"),
    ("Zoë Q", "TRUE", "No", "1", "Zoë Q/1", "safeguarding", "open", "999999999999999.99999999"),
    ("x" * 64, "Yes", "FALSE", "0", "y" * 64, "other", "closed", "-0"),
    ("D", "yes", "0", "nO", "D-1", "arranging", "open", "7"),
]


def _stored(snapshot):
    """The rows as stored, in file order: every column the import writes but the snapshot."""
    rows = ClientPositionRow.objects.filter(snapshot=snapshot).order_by("row_number")
    return list(rows.values_list(*imports.COPY_COLUMNS[1:]))


def _import(firm, as_at, data: bytes):
    return snapshot_import(
        firm=firm, as_at=as_at, source=bytes_source(data), actor=None, now=london(2028, 7, 3)
    ).snapshot


def test_a_plain_file_is_copied_and_stores_what_the_one_pass_stores(firm, monkeypatch):
    """The same file, LF and CRLF, by the fast path (on PostgreSQL the one pass is never
    called) and by the one pass: the same rows (numbers, IDs, flags, balances), hash and count."""
    crlf = csv_bytes(ROWS).replace(b"\n", b"\r\n")
    fast = []
    with monkeypatch.context() as patch:
        if connection.vendor == "postgresql":
            patch.setattr(imports, "checked_rows", pytest.fail)
        fast.append(_import(firm, Q1, csv_bytes(ROWS)))
        fast.append(_import(firm, Q2, crlf))
    monkeypatch.setattr(snapshot_copy, "copy_checked", lambda *args: False)
    slow = _import(firm, date(2028, 9, 30), crlf)
    assert _stored(fast[0]) == _stored(fast[1]) == _stored(slow)
    assert len(_stored(slow)) == len(ROWS) and _stored(slow)[0][0] == 2  # the header is row 1
    assert (fast[1].file_sha256, fast[1].row_count) == (slow.file_sha256, slow.row_count)


# Values PostgreSQL's types would read differently from the checker (or read where it refuses),
# and rows the two CSV readers split differently: each sends the file to the one pass, which
# accepts or words them as before.
NOT_PLAIN = {
    "short boolean": ("A", "t", "false", "no", "A1", "staking", "open", "1"),
    "boolean prefix": ("A", "tru", "false", "no", "A1", "staking", "open", "1"),
    "on/off": ("A", "on", "false", "no", "A1", "staking", "open", "1"),
    "not-ASCII case": ("A", "yeſ", "false", "no", "A1", "staking", "open", "1"),
    "exponent": ("A", "true", "false", "no", "A1", "staking", "open", "1e3"),
    "nine places": ("A", "true", "false", "no", "A1", "staking", "open", "0.123456789"),
    "seventeen digits": ("A", "true", "false", "no", "A1", "staking", "open", "1" * 17),
    "NaN": ("A", "true", "false", "no", "A1", "staking", "open", "NaN"),
    "65 characters": ("x" * 65, "true", "false", "no", "A1", "staking", "open", "1"),
    "padded ID": (" A", "true", "false", "no", "A1", "staking", "open", "1"),
    "empty ID": ("", "true", "false", "no", "A1", "staking", "open", "1"),
    "activity case": ("A", "true", "false", "no", "A1", "Staking", "open", "1"),
    "unknown status": ("A", "true", "false", "no", "A1", "staking", "frozen", "1"),
    "NUL": ("A\x00B", "true", "false", "no", "A1", "staking", "open", "1"),
    "nine columns": ("A", "true", "false", "no", "A1", "staking", "open", "1", "x"),
}


@pytest.mark.parametrize("row", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_the_fast_check_refuses_what_is_not_plainly_good(row):
    plain = b"A,true,false,no,A1,staking,open,1"
    assert snapshot_copy.checked_lines(plain + b"\n") == [plain]
    with pytest.raises(snapshot_copy._NotFast):
        snapshot_copy.checked_lines(plain + b"\n" + ",".join(row).encode() + b"\n")


@pytest.mark.parametrize(
    "block",
    [
        b"A,true,false,no,A1,staking,open,1\n\n",
        b"A,true,false,no,A1,staking,open,1\rX\n",
        b"\xff,true,false,no,A1,staking,open,1\n",
    ],
    ids=["blank line", "lone carriage return", "not UTF-8"],
)
def test_the_fast_check_refuses_blank_lines_lone_carriage_returns_and_bad_bytes(block):
    with pytest.raises(snapshot_copy._NotFast):
        snapshot_copy.checked_lines(block)


def test_every_plain_row_is_one_the_checker_accepts_as_it_stands():
    """The fast check is a subset of the checker: each plain row parses, with nothing for the
    checker to strip or reword (so the text COPYed is the value the one pass stores)."""
    for row in ROWS:
        (line,) = snapshot_copy.checked_lines(",".join(row).encode() + b"\n")
        parsed, errors = imports.parse_row(2, line.decode().split(","))
        assert errors == [] and parsed is not None
        assert (parsed.client_id, parsed.arrangement_id, parsed.balance_gbp) == (
            row[0],
            row[4],
            row[7],
        )


def test_values_postgresql_would_accept_get_the_one_pass_errors_and_nothing_is_kept(firm):
    """Issue 18: PostgreSQL's boolean type reads 't' and its numeric(24, 8) rounds nine places;
    the checker refuses both. Such a file is rejected with the one pass's row-numbered
    errors, and nothing of the COPY is kept."""
    good = position("A", "A1")
    data = csv_bytes(
        [
            good,
            NOT_PLAIN["short boolean"],
            good[:4] + ("A2",) + good[5:],
            NOT_PLAIN["nine places"][:4] + ("A3",) + NOT_PLAIN["nine places"][5:],
        ]
    )
    with pytest.raises(ImportRejected) as refused:
        _import(firm, Q1, data)
    shown = [(e["row"], e["column"]) for e in refused.value.rejection.errors_shown]
    assert shown == [(3, "is_retail"), (5, "balance_gbp")]
    assert not ClientPositionRow.objects.exists()


def test_a_quoted_or_bad_file_goes_to_the_one_pass(firm):
    """A quote, which PostgreSQL's CSV reading takes differently from Python's inside an
    unquoted field, sends the file through the one pass, which reads it as before; a bad row
    is rejected with the one pass's row-numbered error, nothing kept from the COPY."""
    quoted = load_snapshot(firm, Q1, [position('=HYPERLINK("x")', "Q1")])
    assert _stored(quoted)[0][1] == '=HYPERLINK("x")'
    with pytest.raises(ImportRejected) as refused:
        load_snapshot(
            firm,
            Q2,
            [position("A", "A1"), position("B", "B1", status="frozen")],
            now=london(2028, 7, 3),
        )
    assert refused.value.rejection.errors_shown[0]["row"] == 3
    assert refused.value.rejection.errors_shown[0]["column"] == "status"
    assert ClientPositionRow.objects.count() == 1


def test_caps_set_below_a_plain_line_leave_the_file_to_the_one_pass(firm, settings):
    """docs/security.md "Uploads": a cell longer than IMPORT_MAX_CELL_CHARS is refused by the
    one pass, row and column; the fast path never lets a plain line slip under a lowered cap."""
    settings.IMPORT_MAX_CELL_CHARS = 14  # the header's longest cell
    with pytest.raises(ImportRejected) as refused:
        load_snapshot(firm, Q1, [position("A", "A1"), position("CLIENT-OF-16-CHR", "B1")])
    assert [(e["row"], e["column"]) for e in refused.value.rejection.errors_shown] == [
        (3, "client_id")
    ]


def test_the_rows_table_has_one_index_its_key_by_snapshot_client_and_row(db):
    """Issue 18: a load writes one index entry per row (no id sequence, no second index), and
    the key's order is the snapshot page's and the active clients' grouping order."""
    table = ClientPositionRow._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = [c for c in constraints.values() if c["index"] or c["primary_key"] or c["unique"]]
    assert [(c["primary_key"], c["columns"]) for c in indexed] == [
        (True, ["snapshot_id", "client_id", "row_number"])
    ]
