"""History rows are evidence: the database itself refuses to change or delete them.

After every ``migrate`` (post_migrate), a BEFORE UPDATE OR DELETE row trigger is installed on the
table of every simple-history historical model. DELETE is refused always (PostgreSQL); UPDATE
only in a transaction opened by ``allow_history_rewrite(reason="retention", actor=...)``, which
only DISP 1.9 retention uses (DISP 1.9.1R keeps records for the retention period; after it,
personal data is removed from the record and its history, but the record itself stays).

- PostgreSQL: the allowance is a ``common_historyrewrite`` row for the current transaction id,
  written only by the SECURITY DEFINER function ``audit_history_rewrite_open`` (EXECUTE revoked
  from PUBLIC, granted to the retention role: docs/security.md "Database roles"). No session
  variable opens it. Each rewritten row leaves a tombstone in its audit chain (common.chain_sql).
- SQLite (the demo) cannot read session settings: the context manager inserts a row into the
  guard table ``history_rewrite_allowance`` inside the transaction and deletes it on the way
  out; the triggers fire ``WHEN NOT EXISTS`` such a row. Rows inserted by an uncommitted
  transaction are invisible to other connections, so the allowance is transaction-local too.

Inserts are never blocked (simple-history appends). TRUNCATE is refused by the chain's statement
triggers (common.chain_sql); the audit app's ``flush`` lifts them for its own transaction
(PostgreSQL, owner only) or wraps SQLite's row-by-row flush in an allowance.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models

ALLOWED_REASONS = frozenset({"retention"})
TRIGGER = "history_append_only"
OPEN_FUNCTION = "audit_history_rewrite_open"
CLOSE_FUNCTION = "audit_history_rewrite_close"
REWRITE_TABLE = "common_historyrewrite"
SQLITE_GUARD_TABLE = "history_rewrite_allowance"


class HistoryRewriteRefused(RuntimeError):
    pass


def historical_models() -> list[type[models.Model]]:
    """Every simple-history historical model in the app registry."""
    from simple_history.models import HistoricalChanges

    return [
        m
        for m in global_apps.get_models(include_auto_created=True)
        if issubclass(m, HistoricalChanges) and not m._meta.proxy and m._meta.managed
    ]


def history_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    return sorted({m._meta.db_table for m in historical_models()} & existing)


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND EXISTS (
        SELECT 1 FROM {REWRITE_TABLE}
        WHERE txid = pg_current_xact_id()::text::bigint AND closed_at IS NULL
    ) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'History is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING HINT = 'Only DISP 1.9 retention may rewrite history (allow_history_rewrite).';
END;
$$;

CREATE OR REPLACE FUNCTION {OPEN_FUNCTION}(p_reason text, p_actor text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF p_reason IS DISTINCT FROM 'retention' THEN
        RAISE EXCEPTION 'History may only be rewritten by DISP 1.9 retention, not %', p_reason;
    END IF;
    INSERT INTO {REWRITE_TABLE} (txid, reason, actor, at)
    VALUES (pg_current_xact_id()::text::bigint, p_reason, coalesce(p_actor, ''), now())
    ON CONFLICT (txid) DO UPDATE SET closed_at = NULL, actor = EXCLUDED.actor;
END;
$$;
REVOKE ALL ON FUNCTION {OPEN_FUNCTION}(text, text) FROM PUBLIC;

-- Anyone may close their own transaction's allowance: it only takes a right away.
CREATE OR REPLACE FUNCTION {CLOSE_FUNCTION}() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    UPDATE {REWRITE_TABLE} SET closed_at = clock_timestamp()
    WHERE txid = pg_current_xact_id()::text::bigint AND closed_at IS NULL
$$;
"""


def install_history_guards(using: str = DEFAULT_DB_ALIAS, **kwargs) -> list[str]:
    """Install (idempotently) the append-only triggers on every history table."""
    connection = connections[using]
    tables = history_tables(using)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if REWRITE_TABLE not in connection.introspection.table_names(cursor):
                return []
            cursor.execute(_PG_FUNCTION)
            for table in tables:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {qn(table)} "
                    f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
                )
        elif connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {SQLITE_GUARD_TABLE} (reason TEXT NOT NULL)"
            )
            for table in tables:
                for op in ("UPDATE", "DELETE"):
                    name = qn(f"{TRIGGER}_{op.lower()}_{table}")
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                    cursor.execute(
                        f"CREATE TRIGGER {name} BEFORE {op} ON {qn(table)} "
                        f"WHEN NOT EXISTS (SELECT 1 FROM {SQLITE_GUARD_TABLE} "
                        f"WHERE reason = 'retention') "
                        f"BEGIN SELECT RAISE(ABORT, 'History is append-only: {op} on {table} "
                        f"refused'); END"
                    )
        else:  # pragma: no cover - only PostgreSQL and SQLite are supported
            return []
    return tables


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    install_history_guards(using)


def guarded_tables(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    """Tables that carry the trigger now (for checks and tests)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s AND NOT t.tgisinternal",
                [TRIGGER],
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER}_delete_%"],
            )
        return {row[0] for row in cursor.fetchall()}


@contextlib.contextmanager
def allow_history_rewrite(
    *, reason: str = "retention", actor: str = "system", using: str = DEFAULT_DB_ALIAS
) -> Iterator:
    """Open the current transaction for rewriting history rows (the retention job only).

    Must be used inside ``transaction.atomic()``: the allowance lives and dies with that
    transaction, so a crash cannot leave history writable. On PostgreSQL the allowance is a row
    for this transaction's id that only ``audit_history_rewrite_open`` (SECURITY DEFINER,
    EXECUTE revoked from PUBLIC: docs/security.md "Database roles") can write; ``actor`` and
    ``reason`` go on every tombstone the rewrite leaves in the chain.
    """
    if reason not in ALLOWED_REASONS:
        raise HistoryRewriteRefused(f"History may only be rewritten by: {sorted(ALLOWED_REASONS)}")
    connection = connections[using]
    if not connection.in_atomic_block:
        raise HistoryRewriteRefused("allow_history_rewrite() must run inside transaction.atomic()")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {OPEN_FUNCTION}(%s, %s)", [reason, actor])
        else:
            cursor.execute(f"INSERT INTO {SQLITE_GUARD_TABLE} (reason) VALUES (%s)", [reason])
    try:
        yield
    except BaseException:
        # On PostgreSQL a failed statement aborts the transaction, which can only roll back
        # (taking the allowance with it); on SQLite it may go on, so the allowance ends now.
        with contextlib.suppress(DatabaseError):
            _revoke(connection, reason)
        raise
    else:
        _revoke(connection, reason)


def _revoke(connection, reason: str) -> None:
    """End the allowance before the transaction does (its PostgreSQL row stays, closed, as the
    record of who opened it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {CLOSE_FUNCTION}()")
        else:
            cursor.execute(f"DELETE FROM {SQLITE_GUARD_TABLE} WHERE reason = %s", [reason])
