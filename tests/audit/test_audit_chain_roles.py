"""The database roles docs/security.md documents, run as documented, and concurrent inserts on
real connections: the chain stays correct under both (issue 15 item 6)."""

from __future__ import annotations

import re
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from common.chain import verify_chains
from common.models import ChainLink
from complaints.models import Complaint
from complaints.services.retention import complaints_anonymise
from tests.audit.test_audit_chain import HC, _closed_case
from tests.factories import london, make_complaint

SECURITY_MD = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def _documented_grants(web: str, retention: str) -> list[str]:
    """The GRANTs of docs/security.md "Database roles", for these role names."""
    text = SECURITY_MD.read_text()
    block = re.search(r"<!-- roles-sql -->\s*```sql\n(.*?)```", text, re.S)
    assert block, "docs/security.md lost its roles SQL block"
    sql = block.group(1).replace("complaints_web", web).replace("complaints_retention", retention)
    statements = [s.strip() for s in re.sub(r"--[^\n]*", "", sql).split(";")]
    return [s for s in statements if s]


@pytest.fixture
def roles(db):
    """The documented web and retention roles, created inside the test's transaction (roles
    are transactional in PostgreSQL: the rollback removes them)."""
    suffix = uuid.uuid4().hex[:8]
    web, retention = f"web_{suffix}", f"retention_{suffix}"
    with connection.cursor() as cursor:
        for statement in _documented_grants(web, retention):
            if "PASSWORD" in statement:
                statement = statement.split(" PASSWORD")[0]
            cursor.execute(statement)
    return web, retention


def _as(role: str):
    class _Role:
        def __enter__(self):
            connection.cursor().execute(f"SET LOCAL ROLE {role}")

        def __exit__(self, *exc):
            if not exc[0]:
                connection.cursor().execute("RESET ROLE")

    return _Role()


def _refused(role: str, sql: str, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), _as(role):
        connection.cursor().execute(sql)


def test_the_web_role_cannot_disable_drop_or_bypass_a_trigger_nor_truncate(roles, firm):
    web, _ = roles
    make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    _refused(web, f"ALTER TABLE {HC} DISABLE TRIGGER history_append_only", "must be owner")
    _refused(web, f"ALTER TABLE {HC} DISABLE TRIGGER ALL", "must be owner")
    _refused(web, f"DROP TRIGGER audit_chain_insert ON {HC}", "must be owner")
    _refused(web, "ALTER TABLE letters_letter DISABLE TRIGGER audit_no_delete", "must be owner")
    _refused(web, "SET session_replication_role = replica", "permission denied")
    _refused(web, f"TRUNCATE {HC}", "permission denied")
    _refused(web, "TRUNCATE letters_letter CASCADE", "permission denied")
    _refused(web, "SELECT audit_history_rewrite_open('retention', 'me')", "permission denied")
    _refused(
        web,
        "INSERT INTO common_historyrewrite (txid, reason, actor, at) VALUES "
        "(pg_current_xact_id()::text::bigint, 'retention', 'me', now())",
        "permission denied",
    )
    _refused(web, "DELETE FROM common_chainlink", "permission denied")
    _refused(web, f"UPDATE {HC} SET description = 'x'", "append-only")


def test_the_web_role_writes_history_and_the_chain_grows(roles, firm):
    web, _ = roles
    with transaction.atomic(), _as(web):
        c = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    assert ChainLink.objects.filter(table_name=HC, object_id=str(c.pk)).count() == 1
    assert all(r.breaks == [] for r in verify_chains())


def test_only_the_retention_role_runs_disp_1_9_retention(roles, firm, supervisor):
    web, retention = roles
    c = _closed_case(firm, supervisor)
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic(), _as(web):
        complaints_anonymise(complaint_ids=[c.pk], actor=None, now=london(2026, 4, 14))
    with transaction.atomic(), _as(retention):
        done = complaints_anonymise(complaint_ids=[c.pk], actor=None, now=london(2026, 4, 14))
    assert done.complaint_ids == [c.pk]
    assert ChainLink.objects.filter(table_name=HC, kind="rewrite", actor="system").exists()
    assert all(r.breaks == [] for r in verify_chains())


def _copy_sql() -> str:
    cols = ", ".join(
        f.column for f in Complaint.history.model._meta.fields if f.column != "history_id"
    )
    return f"INSERT INTO {HC} ({cols}) SELECT {cols} FROM {HC} WHERE history_id = %s"


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_on_one_object_from_two_connections_chain_one_after_the_other(firm):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    first = Complaint.history.get(id=c.pk).history_id
    params = connection.get_connection_params()
    copy = _copy_sql()
    with psycopg.connect(**params) as a, psycopg.connect(**params) as b:
        # A holds the chain's head: B's insert for the same complaint waits for A's commit.
        a.execute(copy, [first])
        waited = threading.Event()

        def insert_b() -> None:
            b.execute(copy, [first])
            b.commit()
            waited.set()

        thread = threading.Thread(target=insert_b)
        thread.start()
        time.sleep(0.5)
        assert not waited.is_set(), "B chained without waiting for A's head"
        a.execute(copy, [first])
        a.commit()
        thread.join(10)
        assert waited.is_set()

        # Then both connections race, 25 single-row transactions each.
        def race(conn) -> None:
            for _ in range(25):
                conn.execute(copy, [first])
                conn.commit()

        threads = [threading.Thread(target=race, args=(conn,)) for conn in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)

    links = ChainLink.objects.filter(table_name=HC, object_id=str(c.pk)).order_by("seq")
    rows = set(Complaint.history.filter(id=c.pk).values_list("history_id", flat=True))
    assert len(rows) == 1 + 3 + 50
    assert list(links.values_list("seq", flat=True)) == list(range(1, len(rows) + 1))
    assert set(links.values_list("row_id", flat=True)) == rows
    assert all(r.breaks == [] for r in verify_chains())
