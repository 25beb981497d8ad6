"""Verify the tamper-evident chain (common.chain_sql): every link follows the one before, every
chained row still has the content its link hashed (or a retention tombstone says what it became),
every chained row has a link, and every chain ends where its head says.

Content is re-hashed by the database's own canonical function, so the verifier and the trigger
cannot drift apart; link hashes are re-computed here, from the stored hashes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .chain_sql import GENESIS, ChainedTable, apply_stable_settings, chained_tables


class ChainNotKept(RuntimeError):
    """The database keeps no chain (SQLite, the demo)."""


@dataclass(frozen=True)
class Break:
    table: str
    object_id: str
    row_id: int | None
    problem: str

    def __str__(self) -> str:
        row = f" row {self.row_id}" if self.row_id is not None else ""
        return f"{self.table} object {self.object_id}{row}: {self.problem}"


@dataclass
class TableReport:
    table: str
    chains: int = 0
    links: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def broken_chains(self) -> int:
        return len({b.object_id for b in self.breaks})

    @property
    def intact_chains(self) -> int:
        return self.chains - self.broken_chains


def link_hash(prev_hash: str, payload_hash: str) -> str:
    return hashlib.sha256((prev_hash + payload_hash).encode()).hexdigest()


@dataclass(frozen=True)
class _Link:
    seq: int
    kind: str
    row_id: int
    prev_hash: str
    payload_hash: str
    hash: str
    removed_hash: str
    now_hash: str
    recomputed: str | None


def _links_sql(qn, t: ChainedTable, canonical: str, scoped: bool) -> str:
    scope = " AND l.object_id = ANY(%s)" if scoped else ""
    return (
        "SELECT l.object_id, l.seq, l.kind, l.row_id, l.prev_hash, l.payload_hash, l.hash, "
        "l.removed_hash, l.now_hash, CASE WHEN l.kind = 'row' THEN ("
        f"SELECT audit_chain_hash({canonical.replace('%', '%%')}) FROM (SELECT "
        f"audit_chain_jsonb(t) AS d FROM {qn(t.table)} t WHERE t.{qn(t.row_column)} = l.row_id "
        "OFFSET 0) t) ELSE "
        "audit_chain_tombstone_hash(l.row_id, l.removed_hash, l.now_hash, l.actor, l.reason, "
        "l.at) END "
        f"FROM common_chainlink l WHERE l.table_name = %s{scope} ORDER BY l.object_id, l.seq"
    )


def _check_chain(table: str, object_id: str, links: list[_Link], head) -> list[Break]:
    breaks = []

    def broken(row_id: int | None, problem: str) -> None:
        breaks.append(Break(table, object_id, row_id, problem))

    prev = GENESIS
    current: dict[int, str] = {}  # row -> the content hash its links say it has now
    for position, link in enumerate(links, start=1):
        if link.seq != position:
            broken(link.row_id, f"link {position} is missing (the next is link {link.seq})")
        if link.prev_hash != prev:
            broken(link.row_id, "the link does not follow the one before it")
        if link.hash != link_hash(link.prev_hash, link.payload_hash):
            broken(link.row_id, "the link's hash does not match its content")
        if link.kind == "row":
            current[link.row_id] = link.payload_hash
        else:
            if link.recomputed != link.payload_hash:
                broken(link.row_id, "a retention tombstone was altered")
            if current.get(link.row_id) != link.removed_hash:
                broken(link.row_id, "a retention tombstone does not match the row it rewrote")
            current[link.row_id] = link.now_hash
        prev = link.hash
    for link in links:
        if link.kind != "row":
            continue
        if link.recomputed is None:
            broken(link.row_id, "the row was deleted")
        elif link.recomputed != current[link.row_id]:
            broken(link.row_id, "the row was changed")
    if head is None or head != (len(links), prev):
        broken(None, "the chain does not end where its head says (links removed from its end?)")
    return breaks


def _verify_table(cursor, qn, t: ChainedTable, objects: list[str] | None) -> TableReport:
    report = TableReport(t.table)
    scoped = objects is not None
    params: list = [t.table, objects] if scoped else [t.table]
    # Each row re-hashed over the layout its link was made with, by the trigger's own expression.
    cursor.execute("SELECT audit_chain_canonical_by_layout_sql(%s, 'l.layout_id', 'd')", [t.table])
    cursor.execute(_links_sql(qn, t, cursor.fetchone()[0], scoped), params)
    chains: dict[str, list[_Link]] = defaultdict(list)
    for object_id, *rest in cursor.fetchall():
        chains[object_id].append(_Link(*rest))
    scope = " AND object_id = ANY(%s)" if scoped else ""
    cursor.execute(
        f"SELECT object_id, seq, hash FROM common_chainhead WHERE table_name = %s{scope} "
        "AND seq > 0",
        params,
    )
    heads = {o: (s, h) for o, s, h in cursor.fetchall()}
    for object_id in sorted(chains.keys() | heads.keys()):
        links = chains.get(object_id, [])
        report.chains += 1
        report.links += len(links)
        report.breaks += _check_chain(t.table, object_id, links, heads.get(object_id))
    when = f" AND t.{qn(t.when[0])} = %s" if t.when else ""
    obj = f"t.{qn(t.object_column)}::text"
    cursor.execute(
        f"SELECT {obj}, t.{qn(t.row_column)} FROM {qn(t.table)} t WHERE NOT EXISTS ("
        "SELECT 1 FROM common_chainlink l WHERE l.table_name = %s AND l.kind = 'row' "
        f"AND l.object_id = {obj} AND l.row_id = t.{qn(t.row_column)}){when}"
        + (f" AND {obj} = ANY(%s)" if scoped else ""),
        [t.table, *([t.when[1]] if t.when else []), *([objects] if scoped else [])],
    )
    for object_id, row_id in cursor.fetchall():
        if object_id not in chains and object_id not in heads:
            report.chains += 1
        report.breaks.append(Break(t.table, object_id, row_id, "the row is not in the chain"))
    return report


def verify_chains(
    scope: dict[str, Iterable[str]] | None = None, using: str = DEFAULT_DB_ALIAS
) -> list[TableReport]:
    """A report per chained table. ``scope`` limits the check to some tables and, per table,
    to some objects (the page: one firm's); None checks every chain."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ChainNotKept(
            f"The audit chain is kept on PostgreSQL only; this database is {connection.vendor}."
        )
    qn = connection.ops.quote_name
    reports = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        apply_stable_settings(cursor)
        for t in chained_tables(using):
            if scope is not None and t.table not in scope:
                continue
            objects = None if scope is None else sorted({str(o) for o in scope[t.table]})
            reports.append(_verify_table(cursor, qn, t, objects))
    return reports
