"""Where an import writes a snapshot's rows and active clients, and how they join their tables
(issue 18).

On PostgreSQL the rows table and the active clients' are partitioned by snapshot (migration
0006): an import writes each into a table of the snapshot's own, made in its transaction with no
index, builds the key's index once it is all in (one sort, the index written whole and compact,
instead of an index entry found and written per row as the rows arrive in the file's order),
then attaches the table as the snapshot's partition. Attaching locks the partitioned table
against other attaches and schema changes only (``SHARE UPDATE EXCLUSIVE``): reads and other
imports' loads go on. A rejected or repeated file rolls the tables back with the transaction.
Elsewhere (SQLite) each is one table.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.db import connection
from django.db.models import Model

from .lent_settings import lent_settings

SORT_WORK_MEM = "64MB"  # the duplicate check's sort of a 500,000-row snapshot's IDs, in memory


def _partitioned() -> bool:
    return connection.vendor == "postgresql"


def open_own_table(model: type[Model], snapshot_id: int) -> str:
    """Make the table the snapshot's ``model`` rows are loaded into (PostgreSQL: the partition
    to be, with the columns and checks of ``model``'s table and none of its indexes) and return
    its name: the snapshot's number and a part of its own (a database flushed with its sequences
    reset numbers snapshots again, and keeps the old, empty partitions). Its check that every row
    is the snapshot's lets the attach skip a scan. Made by a function of the tables' owner
    (migration 0006): the web role may not create tables."""
    if not _partitioned():
        return model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reporting_snapshot_table_open(%s::regclass, %s)",
            [model._meta.db_table, snapshot_id],
        )
        return str(cursor.fetchone()[0])


def seal_own_table(model: type[Model], snapshot_id: int, table: str) -> None:
    """Once every row is in ``table`` (``open_own_table``): build the key's index in one pass,
    and attach the table as the snapshot's partition (its index becomes the partitioned table's
    key's). By the owner's function, as above."""
    if not _partitioned():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reporting_snapshot_table_seal(%s::regclass, %s, %s)",
            [model._meta.db_table, table, snapshot_id],
        )


# A snapshot's tables are new in the import's transaction, so PostgreSQL has no statistics of
# their columns (the key's index build counts the rows only): it guesses 0.5% of the rows for
# the snapshot and 200 IDs, and picks a hash aggregate that spills to disk many times over. The
# import's two grouping statements are planned as they are known to run best instead.


def sorted_plans() -> AbstractContextManager[None]:
    """For the duplicate check: its IDs sorted (in memory up to ``SORT_WORK_MEM``), not
    hashed."""
    return lent_settings({"enable_hashagg": "off"}, work_mem_at_least=SORT_WORK_MEM)


def key_order_plans() -> AbstractContextManager[None]:
    """For the active clients: the rows read in the key's order, grouped as they come (no hash,
    no sort)."""
    return lent_settings({"enable_hashagg": "off", "enable_sort": "off"})
