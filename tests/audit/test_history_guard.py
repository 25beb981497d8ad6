"""History is append-only in the database: only the retention job's anonymisation may rewrite."""

import textwrap

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from common.history_guard import (
    HistoryRewriteRefused,
    allow_history_rewrite,
    guarded_tables,
    historical_models,
    history_tables,
)
from complaints.models import Complainant, Complaint
from tests.factories import london, make_complaint
from tests.sqlite_demo import GROUP, run_script

pytestmark = pytest.mark.django_db


def _history_row(firm):
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    return Complaint.history.model.objects.filter(id=complaint.pk).get()


def test_every_history_table_has_the_trigger_after_migrate():
    """The test database was built by migrate: post_migrate installed the triggers."""
    tables = history_tables()
    assert {m._meta.db_table for m in historical_models()} == set(tables)
    assert "complaints_historicalcomplaint" in tables
    assert guarded_tables() >= set(tables)


def test_update_and_delete_of_history_rows_are_refused(firm):
    row = _history_row(firm)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Complaint.history.model.objects.filter(pk=row.pk).update(description="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Complaint.history.model.objects.filter(pk=row.pk).delete()
    assert Complaint.history.model.objects.get(pk=row.pk).description != "rewritten"


def test_retention_rewrite_is_allowed_inside_the_context_only(firm):
    row = _history_row(firm)
    person = Complainant.history.model.objects.filter(id=row.complainant_id).get()

    with transaction.atomic(), allow_history_rewrite(reason="retention"):
        Complainant.history.model.objects.filter(pk=person.pk).update(name="[anonymised]", email="")
    person.refresh_from_db()
    assert person.name == "[anonymised]"

    # Outside again: refused.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Complainant.history.model.objects.filter(pk=person.pk).update(name="again")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Complainant.history.model.objects.filter(pk=person.pk).delete()

    # Inserts keep working: every service write appends history.
    before = Complaint.history.count()
    make_complaint(firm=firm, received_at=london(2026, 4, 7, 10))
    assert Complaint.history.count() == before + 1


def test_allowance_ends_with_the_transaction_even_on_error(firm):
    row = _history_row(firm)
    with pytest.raises(ZeroDivisionError), transaction.atomic(), allow_history_rewrite():
        1 / 0  # noqa: B018
    with pytest.raises(DatabaseError), transaction.atomic():
        Complaint.history.model.objects.filter(pk=row.pk).update(description="x")


def test_the_allowance_only_exists_for_retention_and_inside_a_transaction():
    with (
        pytest.raises(HistoryRewriteRefused),
        transaction.atomic(),
        allow_history_rewrite(reason="tidy-up"),
    ):
        pass
    # pytest-django wraps this test in a transaction, so leave it to show autocommit is refused.
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        with pytest.raises(HistoryRewriteRefused), allow_history_rewrite():
            pass
    finally:
        connection.in_atomic_block = saved


def test_installing_is_idempotent():
    from common.history_guard import install_history_guards

    first = install_history_guards()
    assert install_history_guards() == first
    assert guarded_tables() >= set(first)


@pytest.mark.django_db(transaction=True)
def test_flush_between_transactional_tests_still_works(firm):
    """PostgreSQL flushes with TRUNCATE, which row triggers do not see."""
    _history_row(firm)
    assert connection.vendor == "postgresql"
    call_command("flush", interactive=False, verbosity=0)
    assert Complaint.history.count() == 0
    # post_migrate (sent again by flush) left the triggers in place.
    assert guarded_tables() >= set(history_tables())


SQLITE_SCRIPT = textwrap.dedent(
    """
    import django, os, sys
    django.setup()
    from django.core.management import call_command
    from django.db import DatabaseError, transaction
    call_command("migrate", verbosity=0)
    from common.history_guard import allow_history_rewrite, guarded_tables, history_tables
    from complaints.models import Complaint
    from tests.factories import FirmFactory, london, make_complaint
    assert guarded_tables() >= set(history_tables()), "triggers missing"
    firm = FirmFactory()
    c = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    H = Complaint.history.model
    for op in (lambda: H.objects.update(description="x"), lambda: H.objects.all().delete()):
        try:
            with transaction.atomic():
                op()
        except DatabaseError as exc:
            assert "append-only" in str(exc), exc
        else:
            sys.exit("history rewrite was not refused")
    with transaction.atomic(), allow_history_rewrite():
        H.objects.update(description="anonymised")
    assert set(H.objects.values_list("description", flat=True)) == {"anonymised"}
    try:
        with transaction.atomic():
            H.objects.update(description="again")
    except DatabaseError:
        pass
    else:
        sys.exit("allowance leaked out of its transaction")
    call_command("flush", interactive=False, verbosity=0)
    assert H.objects.count() == 0
    # The audit chain is PostgreSQL-only, and says so: exit status 2, never "intact".
    from django.core.management import CommandError
    try:
        call_command("verify_audit_chain")
    except CommandError as exc:
        assert exc.returncode == 2 and "PostgreSQL only" in str(exc), exc
    else:
        sys.exit("verify_audit_chain claimed a chain on SQLite")
    from common.chain_sql import install_chains
    assert install_chains() == []
    print("ok")
    """
)


@GROUP
def test_sqlite_triggers_guard_history_and_flush_still_works(migrated_sqlite, tmp_path):
    """The demo database (SQLite) has equivalent triggers and a guard-table allowance; it keeps
    no audit chain, and ``verify_audit_chain`` says so (exit status 2)."""
    assert run_script(migrated_sqlite, tmp_path, SQLITE_SCRIPT).strip().endswith("ok")
