"""Register import: every row validated by the real services, duplicates flagged by the firm's
own reference, good rows or nothing committed, and re-imports create nothing new."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_fsm import TransitionNotAllowed
from openpyxl import Workbook, load_workbook

from common.models import UploadJob
from complaints.choices import CommunicationKind, Status
from complaints.models import Complaint
from intake import columns
from intake.models import ImportBatch, ImportStatus
from intake.services import import_commit, import_file, import_preview
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db
NOW = london(2026, 6, 1, 9, 0)

BASE = {
    "received_at": "2026-04-02 16:00",
    "channel": "email",
    "activity": "operating_catp",
    "description": "Withdrawal stuck for ten days.",
    "alleged_financial_loss": "yes",
    "complainant_name": "Jo Bloggs",
    "complainant_email": "jo@example.test",
    "status": "received",
}


def row(ref, **overrides):
    return {**BASE, "firm_reference": ref, **overrides}


def to_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns.COLUMN_NAMES)
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return buffer.getvalue().encode()


GOOD = [
    row("R-1"),
    row("R-2", status="acknowledged", acknowledged_at="2026-04-03 09:00"),
    row(
        "R-3",
        status="closed",
        acknowledged_at="03/04/2026 09:00",
        final_response_sent_at="2026-05-20 11:00",
        outcome="partially_upheld",
        closed_at="2026-05-21",
        complainant_vulnerable="health; capability",
        complainant_vulnerability_consent="yes",
    ),
    row("R-4", status="resolved_summary", src_sent_at="2026-04-08 15:00", outcome="upheld"),
    row(
        "R-5",
        status="holding_response_sent",
        regime="psd_emd",
        acknowledged_at="2026-04-03",
        holding_response_sent_at="2026-04-20",
    ),
    row(
        "R-6",
        status="forwarded",
        forwarded_at="2026-04-03 10:00",
        forwarded_to_firm="Custody Ltd",
        forwarded_to_contact="complaints@custody.example",
        forward_reason="The custodian made the decision.",
    ),
    row("R-7", status="withdrawn", withdrawn_at="2026-04-10"),
    row(
        "R-8",
        status="final_response_sent",
        event_date="2019-01-01",
        outcome="time_barred",
        final_response_sent_at="2026-04-05",
    ),
]


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def preview(firm, handler, rows, name="register.csv"):
    return import_preview(firm=firm, actor=handler, now=NOW, filename=name, content=to_csv(rows))


def test_preview_validates_every_row_and_keeps_nothing(firm, handler):
    batch = preview(firm, handler, GOOD)
    assert batch.status == ImportStatus.PREVIEWED
    assert [r["outcome"] for r in batch.results] == ["ok"] * len(GOOD), batch.results
    assert batch.results[2]["status"] == "closed"
    assert Complaint.objects.count() == 0


def test_commit_replays_history_letters_outcomes_and_deadlines(firm, handler):
    batch = preview(firm, handler, GOOD)
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert batch.status == ImportStatus.COMMITTED
    assert batch.rows_ok == len(GOOD)
    by_ref = {c.external_reference: c for c in Complaint.objects.all()}
    assert {r: c.status for r, c in by_ref.items()} == {
        "R-1": Status.RECEIVED,
        "R-2": Status.ACKNOWLEDGED,
        "R-3": Status.CLOSED,
        "R-4": Status.RESOLVED_SUMMARY,
        "R-5": Status.HOLDING_RESPONSE_SENT,
        "R-6": Status.FORWARDED,
        "R-7": Status.WITHDRAWN,
        "R-8": Status.FINAL_RESPONSE_SENT,
    }
    closed = by_ref["R-3"]
    assert closed.outcome == "partially_upheld"
    assert closed.final_response_sent_at == london(2026, 5, 20, 11)
    assert closed.closed_at == london(2026, 5, 21, 12)  # a date alone is read as midday
    assert closed.acknowledged_at == london(2026, 4, 3, 9)
    assert closed.complainant.vulnerable_health and closed.complainant.vulnerable_capability
    # Past letters are recorded as sent at their historical dates.
    kinds = list(closed.communications.values_list("kind", "sent_at"))
    assert kinds == [
        (CommunicationKind.ACKNOWLEDGEMENT, london(2026, 4, 3, 9)),
        (CommunicationKind.FINAL_RESPONSE, london(2026, 5, 20, 11)),
    ]
    # Deadlines computed: E1's SRC date; the FOS six months run from the final response.
    assert closed.src_deadline.isoformat() == "2026-04-09"
    assert closed.fos_six_month_deadline.isoformat() == "2026-11-20"
    # History as of import: the register entry says "imported"; its provenance records the
    # source (tests/intake/test_register_provenance.py), no note.
    reasons = list(
        Complaint.history.filter(id=closed.pk)
        .order_by("history_id")
        .values_list("history_change_reason", flat=True)
    )
    assert reasons[0] == "imported"
    assert len(reasons) == 4  # imported, acknowledge, final response, close
    assert closed.imported.row == 4 and closed.imported.batch == batch
    assert not closed.notes.exists()
    assert by_ref["R-8"].outcome == "time_barred"
    assert by_ref["R-5"].extended_final_response_due is not None


def test_errors_are_listed_by_row_and_column(firm, handler):
    rows = [
        row("E-1", channel="pigeon", received_at="next tuesday"),
        row("E-2", status="acknowledged"),
        row("E-3", status="received", final_response_sent_at="2026-04-20", outcome="upheld"),
        row("E-4", received_at="2026-07-01 10:00"),
        row("E-5", acknowledged_at="2026-04-01 10:00", status="acknowledged"),
        row("E-6", complainant_vulnerable="yes"),
        # DISP 1.5.1R: the SRC went out after close of business on the 3rd business day.
        row("E-7", status="resolved_summary", src_sent_at="2026-04-10 10:00", outcome="upheld"),
        row("E-8", complainant_email="not-an-email"),
        row("", description=""),
    ]
    batch = preview(firm, handler, rows)
    errors = {r["firm_reference"]: r["errors"] for r in batch.results}
    assert set(errors["E-1"]) == {"channel", "received_at"}
    assert "not one of" in errors["E-1"]["channel"][0]
    assert errors["E-2"] == {"acknowledged_at": ["Required when status is acknowledged."]}
    assert "final_response_sent_at" in errors["E-3"]
    assert errors["E-4"]["received_at"] == ["Cannot be in the future."]
    assert errors["E-5"]["acknowledged_at"] == ["Cannot be before received_at."]
    assert "FG21/1" in errors["E-6"]["complainant_vulnerable"][0]
    assert "DISP 1.5.1R" in errors["E-7"]["src_sent_at"][0]
    assert "complainant_email" in errors["E-8"]
    assert set(errors[""]) == {"firm_reference", "description"}
    assert batch.rows_error == len(rows)
    assert [r["row"] for r in batch.results] == list(range(2, 2 + len(rows)))


def test_good_rows_are_committed_and_bad_rows_left_out(firm, handler):
    batch = preview(firm, handler, [row("A"), row("B", channel="pigeon"), row("C")])
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=False)
    assert batch.status == ImportStatus.COMMITTED
    assert (batch.rows_ok, batch.rows_error) == (2, 1)
    assert set(Complaint.objects.values_list("external_reference", flat=True)) == {"A", "C"}
    created = [r for r in batch.results if r["outcome"] == "created"]
    assert all(r["reference"] and r["complaint_id"] for r in created)


def test_all_or_nothing_imports_nothing_when_a_row_fails(firm, handler):
    batch = preview(firm, handler, [row("A"), row("B", channel="pigeon")])
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert batch.status == ImportStatus.REJECTED
    assert Complaint.objects.count() == 0
    assert batch.results[0]["outcome"] == "ok"
    assert batch.results[0]["complaint_id"] is None


def test_import_batch_status_is_protected_from_direct_assignment(firm, handler):
    """One write path: a batch's status moves only through its transitions."""
    batch = preview(firm, handler, [row("A")])
    with pytest.raises(AttributeError):
        batch.status = ImportStatus.COMMITTED


def test_a_rejected_batch_may_be_confirmed_again_and_a_committed_one_never_moves(firm, handler):
    """Previewed, then committed or rejected (all-or-nothing found an error). A rejected batch
    kept nothing, so it may be confirmed again; a committed one is final: confirming it again
    returns it unchanged, and its transitions refuse."""
    batch = preview(firm, handler, [row("A"), row("B", channel="pigeon")])
    rejected = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert (rejected.status, rejected.committed_at) == (ImportStatus.REJECTED, None)
    committed = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=False)
    assert (committed.status, committed.committed_at) == (ImportStatus.COMMITTED, NOW)
    assert (committed.rows_ok, committed.rows_error) == (1, 1)
    later = london(2026, 6, 2, 9)
    again = import_commit(batch_id=batch.pk, actor=handler, now=later, all_or_nothing=True)
    assert (again.pk, again.status, again.committed_at) == (batch.pk, ImportStatus.COMMITTED, NOW)
    assert Complaint.objects.count() == 1
    with pytest.raises(TransitionNotAllowed):
        again.commit(at=later)
    with pytest.raises(TransitionNotAllowed):
        again.reject()
    reasons = list(
        ImportBatch.history.filter(id=batch.pk)
        .order_by("history_id")
        .values_list("history_change_reason", "history_user_id")
    )
    assert reasons == [
        ("import.preview", handler.pk),
        ("import.reject", handler.pk),
        ("import.commit", handler.pk),
    ]


def test_duplicates_within_the_file_are_errors_on_every_occurrence(firm, handler):
    batch = preview(firm, handler, [row("X"), row("Y"), row("X")])
    outcomes = [(r["firm_reference"], r["outcome"]) for r in batch.results]
    assert outcomes == [("X", "error"), ("Y", "ok"), ("X", "error")]
    assert "rows 2, 4" in batch.results[0]["errors"]["firm_reference"][0]


def test_a_files_references_are_read_as_each_rows_parse_reads_them():
    """``columns.read``: the references read alone (the duplicates' first pass) are the values
    each row's parse gives, the rows parsed only when iterated, and a file's own errors
    raised by ``read`` itself."""
    content = to_csv(
        [row(" X "), row(""), row("Y\x00"), row("X"), row("Z", received_at="soon")]
    ).replace(b"Z,soon", b"Z,=1+1")
    rows = columns.read(content, "csv")
    parsed = columns.parse(content, "csv")
    assert rows.column("firm_reference") == [(r.number, r.values["firm_reference"]) for r in parsed]
    assert [r.values["firm_reference"] for r in parsed] == ["X", None, None, "X", "Z"]
    assert [(r.number, r.values, r.errors) for r in rows] == [
        (r.number, r.values, r.errors) for r in parsed
    ]
    with pytest.raises(columns.FileError, match="Missing column"):
        columns.read(b"firm_reference\nX\n", "csv")


def test_existing_complaints_are_flagged_as_duplicates_and_skipped(firm, handler):
    existing = make_complaint(
        firm=firm, received_at=london(2026, 4, 1, 10), external_reference="R-1"
    )
    batch = preview(firm, handler, [row("R-1"), row("R-2")])
    assert batch.results[0]["outcome"] == "duplicate"
    assert existing.reference in batch.results[0]["errors"]["firm_reference"][0]
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert batch.status == ImportStatus.COMMITTED
    assert Complaint.objects.filter(external_reference="R-1").count() == 1
    assert batch.rows_duplicate == 1


def test_the_commit_does_not_read_the_previews_results_and_a_committed_batch_keeps_its_own(
    firm, handler
):
    """The commit locks its batch without the preview's results (it writes its own); a batch
    committed before comes back with the results it was committed with."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    batch = preview(firm, handler, GOOD)
    with CaptureQueriesContext(connection) as ctx:
        batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=False)
    [locked] = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]][:1]
    assert "intake_importbatch" in locked and '"results"' not in locked
    assert [r["outcome"] for r in batch.results] == ["created"] * len(GOOD)
    again = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=False)
    assert again.results == ImportBatch.objects.get(pk=batch.pk).results == batch.results


def test_reimporting_the_same_file_creates_nothing_new(firm, handler):
    content = to_csv(GOOD)
    first = import_file(
        firm=firm,
        actor=handler,
        now=NOW,
        filename="r.csv",
        content=content,
        all_or_nothing=False,
        dry_run=False,
    )
    assert first.batch.status == ImportStatus.COMMITTED
    count = Complaint.objects.count()
    again = import_file(
        firm=firm,
        actor=handler,
        now=NOW,
        filename="r.csv",
        content=content,
        all_or_nothing=False,
        dry_run=False,
    )
    assert again.earlier.pk == first.batch.pk
    assert all(r["outcome"] == "duplicate" for r in again.batch.results)
    assert Complaint.objects.count() == count
    # Confirming an old preview of the same file also finds the earlier import.
    stale = preview(firm, handler, GOOD, name="r.csv")
    assert import_commit(batch_id=stale.pk, actor=handler, now=NOW, all_or_nothing=False).pk == (
        first.batch.pk
    )
    assert Complaint.objects.count() == count


def test_the_same_references_for_another_firm_are_not_duplicates(firm, handler):
    from tests.factories import FirmFactory

    other = FirmFactory()
    make_complaint(firm=other, received_at=london(2026, 4, 1, 10), external_reference="R-1")
    assert preview(firm, handler, [row("R-1")]).results[0]["outcome"] == "ok"


def test_xlsx_import_and_templates(firm, handler):
    template = load_workbook(io.BytesIO(columns.template_xlsx()))
    header = [c.value for c in template["Complaints"][1]]
    assert header == columns.COLUMN_NAMES
    assert template["Columns"].max_row == len(columns.COLUMNS) + 1
    assert columns.template_csv().decode("utf-8-sig").strip() == ",".join(columns.COLUMN_NAMES)

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns.COLUMN_NAMES)
    values = row("X-1", received_at=None)
    cells = [values.get(n) for n in columns.COLUMN_NAMES]
    cells[columns.COLUMN_NAMES.index("received_at")] = london(2026, 4, 2, 16).replace(tzinfo=None)
    cells[columns.COLUMN_NAMES.index("alleged_financial_loss")] = True
    sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = import_preview(
        firm=firm, actor=handler, now=NOW, filename="r.xlsx", content=buffer.getvalue()
    )
    assert batch.results[0]["outcome"] == "ok", batch.results


def test_unreadable_files_are_refused_clearly(firm, handler):
    from common.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="Missing column"):
        import_preview(firm=firm, actor=handler, now=NOW, filename="r.csv", content=b"a,b\n1,2\n")
    with pytest.raises(ValidationFailed, match="XLSX"):
        import_preview(firm=firm, actor=handler, now=NOW, filename="r.xlsx", content=b"nope")
    with pytest.raises(ValidationFailed, match=".csv or .xlsx"):
        import_preview(firm=firm, actor=handler, now=NOW, filename="r.txt", content=b"x")
    assert ImportBatch.objects.count() == 0


class TestCommand:
    @pytest.fixture
    def path(self, tmp_path):
        def write(rows, name="register.csv"):
            p = tmp_path / name
            p.write_bytes(to_csv(rows))
            return str(p)

        return write

    def test_imports(self, firm, handler, path, capsys):
        call_command("import_complaints", path(GOOD), firm=firm.frn, user=handler.username)
        assert Complaint.objects.count() == len(GOOD)
        assert "imported 8 of 8 rows" in capsys.readouterr().out
        call_command("import_complaints", path(GOOD), firm=firm.frn)
        assert "nothing new created" in capsys.readouterr().out
        assert Complaint.objects.count() == len(GOOD)

    def test_dry_run_keeps_nothing(self, firm, path, capsys):
        call_command("import_complaints", path(GOOD), "--dry-run", firm=firm.frn)
        assert "would import 8 of 8" in capsys.readouterr().out
        assert Complaint.objects.count() == 0

    def test_all_or_nothing_with_errors_fails_and_keeps_nothing(self, firm, path, capsys):
        with pytest.raises(CommandError, match="1 row"):
            call_command(
                "import_complaints",
                path([row("A"), row("B", channel="pigeon")]),
                "--all-or-nothing",
                firm=firm.frn,
            )
        out = capsys.readouterr().out
        assert "row 3 [error] channel:" in out
        assert Complaint.objects.count() == 0

    def test_good_rows_with_errors_exits_nonzero_but_imports_good_rows(self, firm, path):
        with pytest.raises(CommandError):
            call_command(
                "import_complaints", path([row("A"), row("B", channel="x")]), firm=firm.frn
            )
        assert Complaint.objects.count() == 1

    def test_unknown_firm_and_user(self, firm, path):
        with pytest.raises(CommandError, match="no firm"):
            call_command("import_complaints", path(GOOD), firm="0000000")
        outsider = MembershipFactory(role="handler").user
        with pytest.raises(CommandError, match="does not handle"):
            call_command("import_complaints", path(GOOD), firm=firm.frn, user=outsider.username)


class TestWebImport:
    def test_upload_preview_confirm(
        self, client, firm, handler, django_capture_on_commit_callbacks
    ):
        client.force_login(handler)
        page = client.get(reverse("intake:import"))
        assert page.status_code == 200
        assert b"Template (XLSX)" in page.content
        upload = io.BytesIO(to_csv([row("W-1"), row("W-2", channel="pigeon")]))
        upload.name = "register.csv"
        # The upload answers at once with its job; the preview runs after commit (eager here).
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("intake:import"), {"file": upload})
        job = UploadJob.objects.get()
        assert response.url == reverse("intake:job_detail", args=[job.pk])
        batch = ImportBatch.objects.get()
        job_page = client.get(response.url)
        assert reverse("intake:detail", args=[batch.pk]).encode() in job_page.content
        assert b"1 row(s) ready to import" in job_page.content
        preview_page = client.get(reverse("intake:detail", args=[batch.pk]))
        assert b"pigeon" in preview_page.content
        assert b"ready to import" in preview_page.content
        assert Complaint.objects.count() == 0
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("intake:confirm", args=[batch.pk]), {})
        assert response.status_code == 302
        assert Complaint.objects.get().external_reference == "W-1"
        done = client.get(response.url, follow=True)
        assert b"Imported 1 complaint" in done.content

    def test_templates_download(self, client, handler):
        client.force_login(handler)
        csv_response = client.get(reverse("intake:template", args=["csv"]))
        assert csv_response["Content-Type"].startswith("text/csv")
        xlsx = client.get(reverse("intake:template", args=["xlsx"]))
        assert "spreadsheetml" in xlsx["Content-Type"]
        assert client.get(reverse("intake:template", args=["pdf"])).status_code == 404

    def test_roles_without_handle_permission_cannot_import(self, client, firm):
        officer = MembershipFactory(firm=firm, role="reporting_officer").user
        client.force_login(officer)
        assert client.get(reverse("intake:import")).status_code == 403

    def test_another_firms_import_is_404(self, client, firm, handler):
        other_handler = MembershipFactory(role="handler").user
        batch = preview(other_handler.memberships.get().firm, other_handler, [row("Z")])
        client.force_login(handler)
        assert client.get(reverse("intake:detail", args=[batch.pk])).status_code == 404
        assert client.post(reverse("intake:confirm", args=[batch.pk])).status_code == 404


def test_a_reference_longer_than_the_register_holds_is_an_error_on_its_column(firm, handler):
    batch = preview(
        firm,
        handler,
        [
            row("R" * 65),
            row(
                "F-1",
                status="forwarded",
                forwarded_at="2026-04-03 10:00",
                forwarded_to_firm="X" * 201,
                forwarded_to_contact="c@x.example",
                forward_reason="Theirs.",
            ),
        ],
    )
    assert "at most 64" in batch.results[0]["errors"]["firm_reference"][0]
    assert "at most 200" in batch.results[1]["errors"]["forwarded_to_firm"][0]
