"""The chain's append (common.chain_extend, issue 18): a new record's chain starts at the
genesis hash with its head written once, an existing chain moves on from its head, and a chain
another transaction started first is appended to after it, never forked."""

from __future__ import annotations

import threading

import psycopg
import pytest
from django.db import connection

from common.chain import link_hash, verify_chains
from common.chain_extend import EXTEND
from common.chain_sql import GENESIS, install_chains
from common.models import ChainHead, ChainLink
from complaints.models import Complaint
from tests.audit.test_audit_chain import HC
from tests.factories import london, make_complaint


def _chains(table: str, objects: list[str]) -> dict[str, list[tuple[int, str, str, str]]]:
    """(seq, prev hash, payload hash, hash) of each object's links, in order."""
    out: dict[str, list[tuple[int, str, str, str]]] = {o: [] for o in objects}
    links = ChainLink.objects.filter(table_name=table, object_id__in=objects).order_by("seq")
    for link in links:
        out[link.object_id].append((link.seq, link.prev_hash, link.payload_hash, link.hash))
    return out


def _extend(cursor, table: str, rows: list[tuple[str, int, str]]) -> None:
    """Append (object, row, payload hash) rows as the insert trigger does."""
    cursor.execute("SELECT audit_chain_layout(%s, '[\"a\"]'::jsonb)", [table])
    layout = cursor.fetchone()[0]
    cursor.execute(
        "SELECT audit_chain_extend(%s, %s, %s, %s, %s, NULL, NULL)",
        [
            table,
            [layout] * len(rows),
            [o for o, _, _ in rows],
            [r for _, r, _ in rows],
            [p for _, _, p in rows],
        ],
    )


@pytest.mark.django_db
def test_new_chains_start_at_the_genesis_and_existing_ones_move_on_from_their_head():
    table = "test_chain_extend"
    pay = [f"{i:064x}" for i in range(7)]
    with connection.cursor() as cursor:
        # "b" twice and "a" once, out of order: each object's rows chain in the order given.
        _extend(cursor, table, [("b", 1, pay[0]), ("a", 2, pay[1]), ("b", 3, pay[2])])
        _extend(cursor, table, [("c", 4, pay[3]), ("b", 5, pay[4]), ("a", 6, pay[5])])
    a1 = link_hash(GENESIS, pay[1])
    b1 = link_hash(GENESIS, pay[0])
    b2 = link_hash(b1, pay[2])
    expected = {
        "a": [(1, GENESIS, pay[1], a1), (2, a1, pay[5], link_hash(a1, pay[5]))],
        "b": [
            (1, GENESIS, pay[0], b1),
            (2, b1, pay[2], b2),
            (3, b2, pay[4], link_hash(b2, pay[4])),
        ],
        "c": [(1, GENESIS, pay[3], link_hash(GENESIS, pay[3]))],
    }
    assert _chains(table, ["a", "b", "c"]) == expected
    heads = {h.object_id: (h.seq, h.hash) for h in ChainHead.objects.filter(table_name=table)}
    assert heads == {o: (links[-1][0], links[-1][3]) for o, links in expected.items()}


def _head_index_reads(cursor) -> int:
    cursor.execute(
        "SELECT idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relname = 'common_chainhead'"
    )
    return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.parametrize("obj", ["new", "o7"])
def test_an_append_reads_no_other_head_of_its_table(obj):
    """Appending to one chain, new (every API create's history) or existing (each later
    action's), reads its own head only: the head UPDATE's nested loop no longer reads every
    head of the table (25,000 heads: ~10 ms a statement)."""
    table = "test_chain_extend"
    with connection.cursor() as cursor:
        cursor.execute(EXTEND)  # this tree's function, whatever the test database was built with
        _extend(cursor, table, [(f"o{i}", i, f"{i:064x}") for i in range(300)])
        before = _head_index_reads(cursor)
        _extend(cursor, table, [(obj, 1000, "f" * 64)])
        assert _head_index_reads(cursor) - before <= 2
    assert ChainHead.objects.get(table_name=table, object_id=obj).seq == (1 if obj == "new" else 2)


@pytest.mark.django_db(transaction=True)
def test_a_chain_another_transaction_started_first_is_appended_to_after_it(firm):
    """Only raw SQL can write the first history rows of one new record from two transactions:
    the second finds the head the first inserted (waiting for its commit) and chains after it."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    source = Complaint.history.get(id=c.pk).history_id
    new_id = c.pk + 1_000_000  # a record no transaction has written yet
    cols = [f.column for f in Complaint.history.model._meta.fields if f.column != "history_id"]
    picked = ", ".join("%s" if col == "id" else col for col in cols)
    copy = f"INSERT INTO {HC} ({', '.join(cols)}) SELECT {picked} FROM {HC} WHERE history_id = %s"
    params = connection.get_connection_params()
    with psycopg.connect(**params) as a, psycopg.connect(**params) as b:
        a.execute(copy, [new_id, source])  # A starts the chain: its head, not yet committed
        pid = b.execute("SELECT pg_backend_pid()").fetchone()[0]
        done = threading.Event()

        def insert_b() -> None:
            b.execute(copy, [new_id, source])
            b.commit()
            done.set()

        thread = threading.Thread(target=insert_b)
        thread.start()
        with psycopg.connect(**params, autocommit=True) as watch:
            # B saw no head and waits on A's new one before writing its own.
            while not watch.execute(
                "SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted", [pid]
            ).fetchone():
                assert thread.is_alive() and not done.is_set(), "B did not wait for A's head"
        a.commit()
        thread.join(30)
        assert done.is_set()

    links = _chains(HC, [str(new_id)])[str(new_id)]
    assert [seq for seq, *_ in links] == [1, 2]
    assert links[0][1] == GENESIS and links[1][1] == links[0][3]
    head = ChainHead.objects.get(table_name=HC, object_id=str(new_id))
    assert (head.seq, head.hash) == (2, links[1][3])
    assert all(r.breaks == [] for r in verify_chains())


@pytest.mark.django_db
def test_the_chain_keys_compare_bytewise_as_the_heads_are_locked():
    """Issue 18: the links' and heads' keys (table, object) have collation "C" (install_chains),
    the order the append locks heads in; a linguistic collation cost every index entry a
    locale comparison. A later change of these columns must keep it: the append's head
    lookups name "C" (test_an_append_reads_no_other_head_of_its_table reads the index). A
    database chained before (default collation) gets it from ``install_chains``."""
    bytewise = {
        f"{t}.{c}": "C"
        for t in ("common_chainlink", "common_chainhead")
        for c in ("table_name", "object_id")
    }
    assert _key_collations() == bytewise
    with connection.cursor() as cursor:
        for table in ("common_chainlink", "common_chainhead"):
            cursor.execute(
                f'ALTER TABLE {table} ALTER COLUMN object_id TYPE varchar(64) COLLATE "default"'
            )
    assert _key_collations() != bytewise
    install_chains()
    assert _key_collations() == bytewise


def _key_collations() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attrelid::regclass::text || '.' || a.attname, c.collname "
            "FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation "
            "WHERE a.attrelid IN ('common_chainlink'::regclass, 'common_chainhead'::regclass) "
            "AND a.attname IN ('table_name', 'object_id')"
        )
        return dict(cursor.fetchall())
