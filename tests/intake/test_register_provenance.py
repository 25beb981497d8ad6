"""Where an imported complaint came from is a record of its own (``ImportedComplaint``: its batch
and its row in the file), written with the complaint and never changed, instead of a note in the
handler's notes; the complaint page and the API detail show it with the complaint's own read."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from complaints.api.base import complaints_with_next_deadline
from complaints.models import Complaint, Note
from complaints.selectors.intake import imported_from
from complaints.serializers import ComplaintDetailSerializer
from intake.models import ImportedComplaint
from intake.services import import_commit
from tests.api.conftest import client_for
from tests.factories import london, make_complaint

from .test_register_import import GOOD, NOW, preview, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def committed(firm, handler, rows):
    batch = preview(firm, handler, rows)
    return import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=False)


def test_each_imported_complaint_records_its_batch_and_row_and_no_note(firm, handler):
    batch = committed(firm, handler, [*GOOD[:3], row("X-bad", channel="pigeon"), *GOOD[3:]])
    created = {(r["complaint_id"], r["row"]) for r in batch.results if r["outcome"] == "created"}
    assert len(created) == len(GOOD)
    recorded = ImportedComplaint.objects.values_list("complaint_id", "batch_id", "row")
    assert set(recorded) == {(pk, batch.pk, number) for pk, number in created}
    assert not Note.objects.exists()
    assert not Note.history.exists()


def test_the_provenance_is_fixed_as_the_complaint_is_kept(firm, handler):
    """Retention anonymises a complaint and never deletes it (DISP 1.9): its provenance is
    neither changed nor deleted, at the database, and neither it nor its batch goes."""
    batch = committed(firm, handler, GOOD[:1])
    complaint = Complaint.objects.get()
    for sql in (
        "UPDATE intake_importedcomplaint SET row = 99",
        "DELETE FROM intake_importedcomplaint",
    ):
        with (
            pytest.raises(DatabaseError, match="provenance is fixed"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    for record in (complaint, batch):
        with pytest.raises(ProtectedError), transaction.atomic():
            record.delete()
    assert ImportedComplaint.objects.get().row == 2


def test_the_complaint_page_says_where_an_imported_complaint_came_from(client, firm, handler):
    committed(firm, handler, GOOD[:2])
    imported = Complaint.objects.get(external_reference="R-2")
    typed = make_complaint(firm=firm, received_at=london(2026, 5, 28, 10))
    client.force_login(handler)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("complaints:detail", args=[imported.pk])).content.decode()
    assert "<dt>Imported</dt><dd>From register register.csv, row 3, on Mon 1 Jun 2026</dd>" in page
    # Read with the complaint itself: no query of its own.
    reads = [q["sql"] for q in queries.captured_queries if "intake_importedcomplaint" in q["sql"]]
    assert len(reads) == 1 and '"complaints_complaint"' in reads[0].split("WHERE")[0]
    page = client.get(reverse("complaints:detail", args=[typed.pk])).content.decode()
    assert "From register" not in page and "<dt>Imported</dt>" not in page

    # A complaint read again after an action (not the page's read) asks for it.
    again = imported_from(Complaint.objects.get(pk=imported.pk))
    assert (again.filename, again.row, again.at) == ("register.csv", 3, NOW)
    assert imported_from(Complaint.objects.get(pk=typed.pk)) is None


def test_the_api_detail_says_where_an_imported_complaint_came_from(firm, handler):
    """Read with the detail's row: an imported complaint's detail asks what a typed one's does."""
    batch = committed(firm, handler, GOOD[:2])
    imported = Complaint.objects.get(external_reference="R-2")
    typed = make_complaint(firm=firm, received_at=london(2026, 5, 28, 10))
    api = client_for(handler)
    api.get(f"/api/complaints/{typed.pk}/")  # the process's first detail reads the calendar
    bodies, counts = [], []
    for complaint in (imported, typed):
        with CaptureQueriesContext(connection) as queries:
            bodies.append(api.get(f"/api/complaints/{complaint.pk}/").json())
        counts.append(len(queries.captured_queries))
    shown = bodies[0]["imported_from"]
    # A row read otherwise (every column, nothing annotated) asks for it and renders the same.
    row = complaints_with_next_deadline(NOW).get(pk=imported.pk)
    other = ComplaintDetailSerializer(row, context={"now": NOW, "user": handler}).data
    assert other["imported_from"] == shown
    assert parse_datetime(shown.pop("imported_at")) == NOW
    assert shown == {"batch": batch.pk, "filename": "register.csv", "row": 3}
    assert bodies[1]["imported_from"] is None
    assert counts[0] == counts[1]
