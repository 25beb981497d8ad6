"""The audit chain's insert trigger, one function per table with its hashing SQL written at
install (common.chain_insert, issue 18): every chained table's trigger runs its own function,
and a table changed after the function was written still chains its rows as the documented
rule says (the function writes the SQL afresh). The hashes themselves are
tests/audit/test_audit_chain.py's (the old function's text and the documented rule)."""

from __future__ import annotations

import pytest
from django.db import connection

from common.chain_insert import function_name
from common.chain_sql import INSERT_TRIGGER, chained_tables
from common.models import ChainLink
from complaints import services as complaint_services
from complaints.models import Note
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db


def test_every_chained_table_runs_its_own_insert_function():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgfoid::regproc::text FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            [INSERT_TRIGGER],
        )
        found = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'audit_chain_on_insert'")
        generic = cursor.fetchone()[0]
    assert found == {t.table: function_name(t.table) for t in chained_tables()}
    assert generic == 0  # the generic function of databases chained before is dropped
    assert function_name("x" * 60) != function_name("x" * 61)  # cut names stay apart
    assert len(function_name("x" * 60)) == 63


def test_a_table_changed_after_its_function_was_written_still_chains_by_the_rule(firm, supervisor):
    complaint = make_complaint(firm=firm, received_at=london(2023, 4, 13, 10))
    for body in ("First note.", "Second note."):  # the function's SQL planned and run
        complaint_services.complaint_add_note(
            complaint_id=complaint.pk, actor=supervisor, now=london(2023, 4, 13, 11), body=body
        )
    table = Note.history.model._meta.db_table
    with connection.cursor() as cursor:
        # A column of the layout dropped before post_migrate writes the function again: its
        # SQL reads the column; the rule writes a missing column as null.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on it
        cursor.execute(f"ALTER TABLE {table} DROP COLUMN body")
        cursor.execute(
            f"INSERT INTO {table} (id, created_at, history_date, history_change_reason, "
            "history_type, author_id, complaint_id, history_user_id) "
            "SELECT id, created_at, history_date, 'later', history_type, author_id, "
            f"complaint_id, history_user_id FROM {table} ORDER BY history_id DESC LIMIT 1 "
            "RETURNING history_id"
        )
        row_id = cursor.fetchone()[0]
        cursor.execute(
            "SELECT audit_chain_hash(audit_chain_canonical(audit_chain_jsonb(r), l.columns)), "
            "audit_chain_canonical(audit_chain_jsonb(r), l.columns) "
            f"FROM {table} r, common_chainlink k JOIN common_chainlayout l ON l.id = k.layout_id "
            "WHERE r.history_id = %s AND k.table_name = %s AND k.row_id = r.history_id",
            [row_id, table],
        )
        expected, text = cursor.fetchone()
    link = ChainLink.objects.get(table_name=table, row_id=row_id)
    assert link.payload_hash == expected
    assert '"body":null' in text and '"history_change_reason":"later"' in text


def test_the_hash_is_inlined_and_a_jsonb_column_read_without_a_copy():
    """Issue 18: ``audit_chain_hash`` is planned into the statements that call it (declared
    IMMUTABLE over the STABLE ``convert_to`` it was called as a function for every row and
    link), and the trigger reads a jsonb column as its text straight, not through a
    ``to_jsonb`` copy of it. The text and hashes are tests/audit/test_audit_chain.py's."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE hashed (t text) ON COMMIT DROP")
        cursor.execute("EXPLAIN VERBOSE SELECT audit_chain_hash(t) FROM hashed")
        plan = " ".join(r[0] for r in cursor.fetchall())
        cursor.execute(
            "SELECT prosrc FROM pg_proc WHERE proname = %s",
            [function_name("complaints_historicalcomplaint")],
        )
        source = cursor.fetchone()[0]
    assert "sha256(convert_to(" in plan and "audit_chain_hash" not in plan
    assert "(x.deadline_rules #>> '{}')" in source and "to_jsonb(x.deadline_rules)" not in source
