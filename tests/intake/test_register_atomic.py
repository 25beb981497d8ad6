"""A register import is one transaction: a failure while it writes (here the database refusing
the last table it writes, by a real trigger) leaves nothing of it behind, and the batch can be
confirmed again once the cause is gone. All or nothing that finds an error keeps nothing either,
not even where the rows already written came from."""

import pytest
from django.db import DatabaseError, connection

from complaints.models import Communication, Complainant, Complaint, Note
from intake.models import ImportedComplaint, ImportStatus
from intake.services import import_commit

from .test_register_import import GOOD, NOW, preview, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def provenance_refused():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_provenance() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'no imports today'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_provenance BEFORE INSERT ON intake_importedcomplaint "
            "FOR EACH ROW EXECUTE FUNCTION refuse_provenance()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER refuse_provenance ON intake_importedcomplaint")
        cursor.execute("DROP FUNCTION refuse_provenance()")


def test_a_failure_halfway_leaves_nothing_of_the_import(firm, handler, provenance_refused):
    batch = preview(firm, handler, GOOD)
    with pytest.raises(DatabaseError, match="no imports today"):
        import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert Complaint.objects.count() == 0
    assert Complaint.history.count() == 0
    assert Complainant.objects.count() == 0
    assert Communication.objects.count() == 0
    assert ImportedComplaint.objects.count() == 0
    assert Note.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED


def test_a_rejected_all_or_nothing_import_records_no_provenance(firm, handler, settings):
    """The rows written in chunks before the failing one are undone with their provenance."""
    settings.INTAKE_IMPORT_CHUNK_ROWS = 2
    batch = preview(firm, handler, [*GOOD, row("Z-bad", status="acknowledged")])
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert (batch.status, batch.rows_ok, batch.rows_error) == (ImportStatus.REJECTED, 8, 1)
    assert Complaint.objects.count() == 0
    assert ImportedComplaint.objects.count() == 0
