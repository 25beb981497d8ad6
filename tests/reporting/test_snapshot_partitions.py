"""Issue 18: on PostgreSQL a snapshot's rows and active clients are each the snapshot's own
partition (``reporting.services.snapshot_rows``): loaded with no index, the key's index built
once after the load, then attached; nothing is left behind by a file that is refused or already
loaded; the import's groupings over the new, unanalysed table are planned by sort and by key."""

import importlib
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.models import ActiveClient, ClientPositionRow
from reporting.services import snapshot_import, snapshot_rows
from reporting.services.snapshots import ImportRejected
from tests.audit.test_audit_chain_roles import _as, _refused, roles  # noqa: F401
from tests.reporting.helpers import bytes_source, csv_bytes, load_snapshot, london, position

pytestmark = pytest.mark.django_db

Q1 = date(2028, 3, 31)
ROWS = [position("B", "B1"), position("A", "A1", vulnerable=True), position("A", "A2")]
TABLES = (ClientPositionRow._meta.db_table, ActiveClient._meta.db_table)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL partitions")


def _partitions() -> dict[str, list[tuple[str, list[str]]]]:
    """Each partitioned table's partitions, each with its indexes' columns."""
    found: dict[str, list[tuple[str, list[str]]]] = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                "SELECT inhrelid::regclass::text FROM pg_inherits "
                "WHERE inhparent = %s::regclass ORDER BY 1",
                [table],
            )
            parts = [name for (name,) in cursor.fetchall()]
            found[table] = [
                (
                    part,
                    [
                        c["columns"]
                        for c in connection.introspection.get_constraints(cursor, part).values()
                        if c["index"] or c["primary_key"] or c["unique"]
                    ],
                )
                for part in parts
            ]
    return found


def test_each_table_is_loaded_then_keyed_then_attached_as_the_snapshots_own(firm):
    """The rows (by COPY, checked and hashed: the file's hash is looked up once they are all in)
    and the active clients (one INSERT) go into tables with no index; each key's index is built
    after, then the table attached: one index entry per row, written once."""
    already = _partitions()  # a reused test database keeps committed tests' empty partitions
    with CaptureQueriesContext(connection) as ctx:
        snapshot = load_snapshot(firm, Q1, ROWS)
    sql = [q["sql"] for q in ctx.captured_queries]
    new = {t: [p for p in parts if p not in already[t]] for t, parts in _partitions().items()}
    rows, clients = (new[table][0][0] for table in TABLES)
    steps = [
        ("file_sha256", rows),  # the file's hash looked up once every row is in
        (f"INSERT INTO {clients} ", clients),
    ]
    for table, (loaded, part) in zip(TABLES, steps, strict=True):
        opened = next(
            i
            for i, q in enumerate(sql)
            if q.startswith(f"SELECT reporting_snapshot_table_open('{table}'")
        )
        at = [
            opened,
            next(i for i, q in enumerate(sql) if i > opened and loaded in q),
            next(
                i
                for i, q in enumerate(sql)
                if q.startswith(
                    f"SELECT reporting_snapshot_table_seal('{table}'::regclass, '{part}'"
                )
            ),
        ]
        assert at == sorted(at) and re.fullmatch(rf"{table}_{snapshot.pk}_[0-9a-f]{{8}}", part)
    assert new == {
        TABLES[0]: [(rows, [["snapshot_id", "client_id", "row_number"]])],
        TABLES[1]: [(clients, [["snapshot_id", "client_id"]])],
    }
    assert list(
        ClientPositionRow.objects.filter(snapshot=snapshot)
        .order_by("client_id", "row_number")
        .values_list("client_id", "row_number")
    ) == [("A", 3), ("A", 4), ("B", 2)]
    assert list(
        ActiveClient.objects.filter(snapshot=snapshot)
        .order_by("client_id")
        .values_list("client_id")
    ) == [
        ("A",),
        ("B",),
    ]


def test_a_refused_or_repeated_file_leaves_no_table_behind(firm):
    """A bad row, a duplicate arrangement, the same file again: the load is rolled back, its
    tables with it; only the snapshot kept has partitions."""
    already = _partitions()  # a reused test database keeps committed tests' empty partitions
    kept = load_snapshot(firm, Q1, ROWS)
    for rows in ([*ROWS[:2], position("C", "C1", balance="x")], [*ROWS, position("D", "A1")]):
        with pytest.raises(ImportRejected):
            load_snapshot(firm, Q1, rows)
    again = snapshot_import(
        firm=firm,
        as_at=Q1,
        source=bytes_source(csv_bytes(ROWS)),
        actor=None,
        now=london(2028, 7, 3),
    )
    assert not again.created
    new = [[n for n, i in parts if (n, i) not in already[t]] for t, parts in _partitions().items()]
    assert [[name.rsplit("_", 1)[0] for name in names] for names in new] == [
        [f"{table}_{kept.pk}"] for table in TABLES
    ]


def test_a_snapshot_number_used_again_gets_tables_of_its_own():
    """A database flushed with its sequences reset numbers snapshots from 1 again and keeps the
    old, empty partitions: each load's tables have names of their own."""
    names = {snapshot_rows.open_own_table(ClientPositionRow, 1) for _ in range(2)}
    assert len(names) == 2 and all(n.startswith(f"{TABLES[0]}_1_") for n in names)


def test_a_number_used_again_replaces_its_empty_left_over_partition_and_never_one_with_rows(firm):
    """Migration 0007: the seal drops a snapshot number's left-over partition when it holds no
    row (the attach would overlap it) and refuses when it does."""
    number = 987_654
    for _ in range(2):
        table = snapshot_rows.open_own_table(ClientPositionRow, number)
        snapshot_rows.seal_own_table(ClientPositionRow, number, table)
    mine = [n for n, _ in _partitions()[TABLES[0]] if n.startswith(f"{TABLES[0]}_{number}_")]
    assert mine == [table]
    snapshot = load_snapshot(firm, Q1, ROWS)
    table = snapshot_rows.open_own_table(ClientPositionRow, snapshot.pk)
    with pytest.raises(Exception, match=f"snapshot {snapshot.pk} already has rows"):
        snapshot_rows.seal_own_table(ClientPositionRow, snapshot.pk, table)


def test_the_groupings_over_a_new_table_are_planned_by_sort_and_by_key(firm):
    """A table made in the import's transaction has no statistics; left to guess, PostgreSQL
    hashes (and spills to disk) what the lent settings have it sort (the duplicate check) or read
    in the key's order (the active clients); the transaction's own settings are back after."""
    from reporting import metrics

    snapshot = load_snapshot(firm, Q1, ROWS)
    table = snapshot_rows.open_own_table(ActiveClient, snapshot.pk + 1)
    sql, params = metrics.active_clients_of_rows(snapshot.pk).query.sql_with_params()
    dup = f'SELECT 1 FROM {table} GROUP BY client_id COLLATE "C" HAVING COUNT(*) > 1'
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem')")
        own = cursor.fetchone()

        def plan(query, args=()):
            cursor.execute(f"EXPLAIN {query}", args)
            return "\n".join(line for (line,) in cursor.fetchall())

        assert "HashAggregate" in plan(dup)
        with snapshot_rows.sorted_plans():
            assert "HashAggregate" not in plan(dup) and "Sort" in plan(dup)
        with snapshot_rows.key_order_plans():
            grouped = plan(sql, params)
        assert "GroupAggregate" in grouped and "Index Scan" in grouped
        assert "Sort" not in grouped and "HashAggregate" not in grouped
        cursor.execute(
            "SELECT current_setting('work_mem'), current_setting('enable_hashagg'), "
            "current_setting('enable_sort')"
        )
        assert cursor.fetchone() == (*own, "on", "on")


def test_migration_0006_makes_each_loaded_snapshot_its_own_partitions_and_back(firm):
    """Snapshots loaded before the tables were partitioned keep their rows and active clients,
    each snapshot's in partitions of its own; migrating back puts them in one table each."""
    migration = importlib.import_module("reporting.migrations.0006_snapshot_rows_partitioned")
    snapshot = load_snapshot(firm, Q1, ROWS)

    def stored():
        return (
            list(ClientPositionRow.objects.order_by("row_number").values_list()),
            list(ActiveClient.objects.values_list()),
        )

    before = stored()
    with connection.schema_editor() as editor:
        migration.backwards(None, editor)
    assert _partitions() == {table: [] for table in TABLES} and stored() == before
    with connection.schema_editor() as editor:
        migration.forwards(None, editor)
    assert _partitions() == {
        TABLES[0]: [(f"{TABLES[0]}_{snapshot.pk}", [["snapshot_id", "client_id", "row_number"]])],
        TABLES[1]: [(f"{TABLES[1]}_{snapshot.pk}", [["snapshot_id", "client_id"]])],
    }
    assert stored() == before


def test_the_web_role_imports_through_the_owners_functions(roles, firm):  # noqa: F811
    """docs/security.md "Database roles": the web role may not create or alter tables; the
    import makes and attaches the snapshot's own tables through the owner's two functions, which
    make nothing but those."""
    web, _ = roles
    with _as(web):
        snapshot = load_snapshot(firm, Q1, ROWS)
        assert ActiveClient.objects.filter(snapshot=snapshot).count() == 2
    _refused(web, "CREATE TABLE web_made (id int)", "permission denied")
    _refused(
        web,
        "SELECT reporting_snapshot_table_open('complaints_complaint'::regclass, 1)",
        "not a snapshot table",
    )
    _refused(
        web,
        "SELECT reporting_snapshot_table_seal('reporting_activeclient'::regclass, "
        "'complaints_complaint', 1)",
        "not a snapshot's own table",
    )
