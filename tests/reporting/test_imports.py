"""Client position snapshot import: all-or-nothing validation, idempotency, streaming."""

import csv
import hashlib
import io
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reporting.imports import HEADER, Source
from reporting.models import ClientPositionRow, ClientPositionSnapshot, ImportRejection
from reporting.services import ImportRejected, snapshot_import
from tests.factories import FirmFactory, MembershipFactory, london
from tests.reporting.helpers import bytes_source, csv_bytes, position

pytestmark = pytest.mark.django_db
AS_AT = date(2028, 3, 31)
NOW = london(2028, 4, 2, 9)


def run(firm, source, actor=None):
    return snapshot_import(firm=firm, as_at=AS_AT, source=source, actor=actor, now=NOW)


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_imported(firm, officer):
    data = csv_bytes(
        [
            position("A", "A1"),
            ("", "true", "false", "no", "A2", "operating_catp", "open", "1"),
            ("B", "maybe", "false", "no", "B1", "operating_catp", "open", "1"),
            ("C", "true", "false", "no", "C1", "mining", "dormant", "12x0"),
            ("D", "true", "false"),
            position("E", "E1"),
        ]
    )
    with pytest.raises(ImportRejected) as caught:
        run(firm, bytes_source(data), actor=officer)
    rejection = caught.value.rejection
    found = {(e["row"], e["column"]) for e in rejection.errors_shown}
    assert found == {
        (3, "client_id"),
        (4, "is_retail"),
        (5, "activity"),
        (5, "status"),
        (5, "balance_gbp"),
        (6, "(row)"),
    }
    assert rejection.error_count == 6 and rejection.rows_read == 6
    assert rejection.rejected_by == officer
    assert rejection.file_sha256 == hashlib.sha256(data).hexdigest()
    full = list(csv.DictReader(io.StringIO(rejection.errors_file.read().decode("utf-8-sig"))))
    assert len(full) == 6 and full[0]["Row"] == "3" and full[0]["Column"] == "client_id"
    assert "row 3, client_id" in str(caught.value)
    assert not ClientPositionSnapshot.objects.exists()
    assert not ClientPositionRow.objects.exists()


def test_the_header_must_be_exact(firm):
    data = csv_bytes([position("A", "A1")], header=("client", *HEADER[1:]))
    with pytest.raises(ImportRejected, match="header must be exactly"):
        run(firm, bytes_source(data))
    with pytest.raises(ImportRejected, match="no rows"):
        run(firm, bytes_source(csv_bytes([])))


def test_duplicate_arrangements_reject_the_whole_file(firm):
    data = csv_bytes([position("A", "A1"), position("B", "B1"), position("A", "A1")])
    with pytest.raises(ImportRejected) as caught:
        run(firm, bytes_source(data))
    assert caught.value.rejection.errors_shown == [
        {
            "row": 4,
            "column": "arrangement_id",
            "value": "A1",
            "message": "Duplicate: the same arrangement is on row 2.",
        }
    ]
    assert not ClientPositionRow.objects.exists()
    assert not ClientPositionSnapshot.objects.exists()


def test_reimporting_the_same_file_returns_the_existing_snapshot(firm, officer):
    data = csv_bytes([position("A", "A1"), position("B", "B1", balance="1e2")])
    first = run(firm, bytes_source(data), actor=officer)
    again = run(firm, bytes_source(data), actor=officer)
    assert first.created and not again.created
    assert again.snapshot.pk == first.snapshot.pk
    assert ClientPositionRow.objects.count() == 2
    snap = first.snapshot
    assert (snap.row_count, snap.loaded_by, snap.file_format) == (2, officer, "csv")
    assert snap.file_sha256 == hashlib.sha256(data).hexdigest()
    assert snap.history.get().history_change_reason == "snapshot.import"
    # The same file for another date is a different snapshot.
    other = snapshot_import(
        firm=firm, as_at=date(2028, 6, 30), source=bytes_source(data), actor=officer, now=NOW
    )
    assert other.created


def test_xlsx_files_import_like_csv(firm):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADER))
    sheet.append(["A", True, False, "no", "A1", "safeguarding", "open", 1234.5])
    sheet.append(["B", "yes", 0, 1, "B1", "operating_catp", "pending_closure", 0])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(firm, bytes_source(buffer.getvalue(), name="positions.xlsx"))
    rows = {r.client_id: r for r in ClientPositionRow.objects.filter(snapshot=result.snapshot)}
    assert rows["A"].is_retail and not rows["A"].vulnerable and rows["A"].balance_gbp == 1234.5
    assert rows["B"].vulnerable and not rows["B"].is_test and rows["B"].status == "pending_closure"
    assert result.snapshot.file_format == "xlsx"


def test_unsupported_files_are_refused(firm):
    from common.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match=".csv or .xlsx"):
        run(firm, Source(name="positions.txt", format="", open=lambda: io.BytesIO(b"")))


class GeneratedFile(io.RawIOBase):
    """A read-only file whose bytes come from a generator, so the test can see how far ahead of
    the importer the file has been read. It is never materialised anywhere."""

    def __init__(self, rows: int, probe: dict) -> None:
        self.probe = probe
        self._chunks = self._generate(rows)
        self._pending = b""

    def _generate(self, rows: int):
        yield (",".join(HEADER) + "\n").encode()
        for i in range(rows):
            self.probe["produced"] = i + 1
            yield f"C{i // 3},true,false,no,A{i},operating_catp,open,{i % 7}.25\n".encode()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while len(self._pending) < len(buffer):
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._pending += chunk
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def test_the_importer_streams_a_file_it_cannot_hold_in_memory(firm, monkeypatch):
    """The importer pulls the file through once, in bounded chunks: whenever a row reaches the
    checker (and from it the COPY), the generator behind the file is at most a read chunk ahead
    of it (issue 18: one pass, not a validation pass and a second parse for COPY)."""
    from reporting import imports
    from reporting.services import snapshot_copy

    # The one pass (the COPY fast path streams 1 MiB chunks straight to the database).
    monkeypatch.setattr(snapshot_copy, "copy_checked", lambda *args: False)
    monkeypatch.setattr(imports, "CHUNK_BYTES", 4096)
    rows = 30_000
    probe: dict = {"produced": 0, "max_lead": 0, "opened": 0, "consumed": 0}
    original = imports._records

    def watching(source, hashing):
        probe["consumed"] = 0
        for record in original(source, hashing):
            probe["max_lead"] = max(probe["max_lead"], probe["produced"] - probe["consumed"])
            probe["consumed"] += 1
            yield record

    monkeypatch.setattr(imports, "_records", watching)

    def opener():
        probe["opened"] += 1
        probe["produced"] = 0
        return GeneratedFile(rows, probe)

    result = run(firm, Source(name="huge.csv", format="csv", open=opener))
    assert probe["opened"] == 1  # one pass checks and loads: the file is read once
    assert probe["consumed"] == rows + 1  # every row (and the header)
    assert result.snapshot.row_count == rows
    assert ClientPositionRow.objects.filter(snapshot=result.snapshot).count() == rows
    # ~45 bytes a row: a 4 KiB chunk holds ~100 rows; the whole file is ~1.3 MB.
    assert probe["max_lead"] < 400


def test_import_client_positions_command(tmp_path, firm, capsys):
    good = tmp_path / "positions.csv"
    good.write_bytes(csv_bytes([position("A", "A1"), position("B", "B1")]))
    call_command("import_client_positions", "--firm", firm.frn, "--as-at", "2028-03-31", str(good))
    out = capsys.readouterr().out
    assert "Imported 2 rows" in out
    call_command("import_client_positions", "--firm", firm.frn, "--as-at", "2028-03-31", str(good))
    assert "already imported" in capsys.readouterr().out
    assert ClientPositionSnapshot.objects.count() == 1

    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes([position("A", "A1"), ("B", "x", "false", "no", "B1", "arranging", "open", "1")])
    )
    with pytest.raises(CommandError, match="1 error"):
        call_command(
            "import_client_positions", "--firm", firm.frn, "--as-at", "2028-03-31", str(bad)
        )
    assert "row 3, is_retail ('x'): Use true/false" in capsys.readouterr().err
    assert ImportRejection.objects.count() == 1
    for args, message in (
        (["--firm", "0000000", "--as-at", "2028-03-31", str(good)], "No firm with FRN"),
        (["--firm", firm.frn, "--as-at", "31/03/2028", str(good)], "--as-at"),
        (["--firm", firm.frn, "--as-at", "2028-03-31", str(tmp_path / "nope.csv")], "No such"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("import_client_positions", *args)


def test_importing_for_a_firm_without_the_permission_is_refused(firm):
    from common.errors import NotFound

    outsider = MembershipFactory(firm=FirmFactory(), role="reporting_officer").user
    with pytest.raises(NotFound):
        run(firm, bytes_source(csv_bytes([position("A", "A1")])), actor=outsider)


def test_a_snapshot_is_as_at_a_reporting_reference_date(firm):
    from common.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="2028-03-31 or 2028-06-30"):
        snapshot_import(
            firm=firm,
            as_at=date(2028, 4, 30),
            source=bytes_source(csv_bytes([position("A", "A1")])),
            actor=None,
            now=NOW,
        )


def test_errors_csv_quotes_a_formula_from_the_upload(firm, officer):
    """OWASP CSV injection: a rejected cell "=HYPERLINK(...)" goes back in errors.csv quoted."""
    data = csv_bytes(
        [("A", '"=HYPERLINK(""http://x"")"', "false", "no", "A1", "operating_catp", "open", "1")]
    )
    with pytest.raises(ImportRejected) as caught:
        run(firm, bytes_source(data), actor=officer)
    text = caught.value.rejection.errors_file.read().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["Column"] == "is_retail"
    assert rows[0]["Value as uploaded (value)"] == '\'=HYPERLINK("http://x")'
