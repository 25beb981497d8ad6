"""A register import is one transaction: a failure while it writes (here the database refusing
the last table it writes, by a real trigger) leaves nothing of it behind, and the batch can be
confirmed again once the cause is gone."""

import pytest
from django.db import DatabaseError, connection

from complaints.models import Communication, Complainant, Complaint, Note
from intake.models import ImportStatus
from intake.services import import_commit

from .test_register_import import GOOD, NOW, preview

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def notes_refused():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_note() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'no notes today'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_note BEFORE INSERT ON complaints_note "
            "FOR EACH ROW EXECUTE FUNCTION refuse_note()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER refuse_note ON complaints_note")
        cursor.execute("DROP FUNCTION refuse_note()")


def test_a_failure_halfway_leaves_nothing_of_the_import(firm, handler, notes_refused):
    batch = preview(firm, handler, GOOD)
    with pytest.raises(DatabaseError, match="no notes today"):
        import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert Complaint.objects.count() == 0
    assert Complaint.history.count() == 0
    assert Complainant.objects.count() == 0
    assert Communication.objects.count() == 0
    assert Note.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
