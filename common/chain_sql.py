"""The tamper-evident chain, in PostgreSQL: functions, triggers, and adopting a table.

Every history table (common.history_guard.history_tables) and every table registered with
``register_chained_table`` (the sent letters) is chained per object: an AFTER INSERT statement
trigger hashes each new row's canonical content and appends one ``common_chainlink`` per row to
its object's chain, locking that chain's ``common_chainhead`` row first. Why in the database and
why per statement: docs/audit.md "Tamper-evident chain".

Canonical content of a row (``audit_chain_canonical``): the row as ``to_jsonb`` gives it with
``TimeZone`` UTC (ISO 8601 date-times with ``+00:00``, ISO dates), ``IntervalStyle`` iso_8601 and
``extra_float_digits`` 1, restricted to the layout's columns; every value turned into its text
(a decimal keeps its scale, ``12.50``; a boolean is ``true``/``false``; JSON is its jsonb text)
or ``null``; written as a JSON object with keys sorted bytewise, no spaces. The content hash is
the hex SHA-256 of that text in UTF-8; a link's hash is the hex SHA-256 of the previous link's
hash (64 zeros for the first) followed by the payload hash.

SQLite (the demo) keeps no chain: nothing here runs there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from .chain_extend import EXTEND
from .chain_insert import STABLE_CLAUSE, STABLE_SETTINGS, install_insert_function
from .chain_insert import sql_literal as _literal

GENESIS = "0" * 64
INSERT_TRIGGER = "audit_chain_insert"
UPDATE_TRIGGER = "audit_chain_rewrite"
NO_TRUNCATE = "audit_no_truncate"
NO_DELETE = "audit_no_delete"
LAYOUT_FIXED = "audit_layout_fixed"
CHAIN_TABLES = (
    "common_chainlink",
    "common_chainhead",
    "common_chainlayout",
    "common_historyrewrite",
)

_STABLE = STABLE_CLAUSE

FUNCTIONS = f"""
-- The helpers below have no settings of their own (a SET clause per call would cost more than
-- the hashing): the trigger functions and the verifier (common.chain) set _STABLE's settings.
CREATE OR REPLACE FUNCTION audit_chain_jsonb(r anyelement) RETURNS jsonb
LANGUAGE sql STABLE AS $$ SELECT to_jsonb(r) $$;

-- The text a column's value has in the canonical content, before quoting (what ``->>`` gives
-- from the row's to_jsonb), as an SQL expression. With ``typ`` NULL, ``d`` is a jsonb expression
-- and the value is ``(d) ->> col``. Otherwise ``d`` is a row alias and ``typ`` the column's type
-- (format_type; 'missing' for a column the row does not have, written null as a missing key
-- is): the column read straight where its own text is to_jsonb's (text, varchar, integers,
-- booleans, jsonb), else through to_jsonb of that one value; no jsonb of the whole row is built
-- (issue 18: about half the cost of hashing a row). tests/audit/test_audit_chain.py checks both
-- readings give the same text for every kind of value.
CREATE OR REPLACE FUNCTION audit_chain_text_sql(d text, col text, typ text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN typ IS NULL THEN format('((%s) ->> %L)', d, col)
    WHEN typ = 'missing' THEN 'NULL::text'
    WHEN typ IN ('text', 'character varying', 'smallint', 'integer', 'bigint')
      THEN format('%s.%I::text', d, col)
    WHEN typ = 'boolean'
      THEN format('CASE WHEN %1$s.%2$I THEN ''true'' WHEN NOT %1$s.%2$I THEN ''false'' END', d, col)
    -- A jsonb value is its own to_jsonb: read as text straight (to_jsonb copied it whole first).
    WHEN typ = 'jsonb' THEN format('(%s.%I #>> ''{{}}'')', d, col)
    ELSE format('(to_jsonb(%s.%I) #>> ''{{}}'')', d, col)
  END
$$;

-- The one definition of the canonical content: the SQL expression that writes it for ``d``
-- (a jsonb expression with ``types`` NULL, or a row alias with ``types``, its column types by name:
-- audit_chain_text_sql) over the layout ``cols``. Keys are sorted bytewise once per statement:
-- a row costs one value and one to_json per column (a number is only quoted, a boolean is one of
-- three literals; a date or time is to_json of the value, the quoted ISO text to_jsonb gives),
-- the pieces joined by || paired as a balanced tree (each level pairs neighbours until one
-- expression is left): the text is copied about log2(columns) times, not once per column as a
-- chain of || copied it (issue 18: 40% of hashing a complaint's history row), and with no
-- concat(), which turned each of its arguments to text through the type's output function again
-- (stop 30: 4-8% of hashing a row). A key missing from ``d`` or holding JSON null is written
-- null. The triggers, the verifier and audit_chain_canonical all hash through it.
CREATE OR REPLACE FUNCTION audit_chain_canonical_expr(cols jsonb, d text, types jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  WITH RECURSIVE pieces(e) AS (
    SELECT array_agg(
             format('(%L || %s)',
                    CASE WHEN n = 1 THEN '' ELSE ',' END || to_json(c)::text || ':',
                    CASE WHEN t = 'boolean'
                         THEN format('CASE WHEN %1$s.%2$I THEN ''"true"'' '
                                     'WHEN NOT %1$s.%2$I THEN ''"false"'' ELSE ''null'' END', d, c)
                         WHEN t IN ('smallint', 'integer', 'bigint')
                         THEN format('coalesce(''"'' || %s || ''"'', ''null'')', v)
                         WHEN t IN ('date', 'timestamp with time zone',
                                    'timestamp without time zone')
                         THEN format('coalesce(to_json(%s.%I)::text, ''null'')', d, c)
                         ELSE format('coalesce(to_json(%s)::text, ''null'')', v) END)
             ORDER BY n)
    FROM (SELECT c, n, t, audit_chain_text_sql(d, c, t) AS v
          FROM (SELECT c, row_number() OVER (ORDER BY c COLLATE "C") AS n,
                       CASE WHEN types IS NOT NULL THEN coalesce(types ->> c, 'missing') END AS t
                FROM jsonb_array_elements_text(cols) AS c) s) s
  ), tree(e) AS (
    SELECT e FROM pieces
    UNION ALL
    SELECT ARRAY(SELECT CASE WHEN i < cardinality(tree.e)
                             THEN '(' || tree.e[i] || ' || ' || tree.e[i + 1] || ')'
                             ELSE tree.e[i] END
                 FROM generate_series(1, cardinality(tree.e), 2) AS i ORDER BY i)
    FROM tree WHERE cardinality(tree.e) > 1
  )
  SELECT CASE WHEN e IS NULL THEN '''{{}}''' ELSE '(''{{'' || ' || e[1] || ' || ''}}'')' END
  FROM tree WHERE coalesce(cardinality(e), 0) <= 1
$$;

-- The same for a jsonb expression ``d`` (the rewrite trigger, the verifier, a single value).
CREATE OR REPLACE FUNCTION audit_chain_canonical_sql(cols jsonb, d text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT audit_chain_canonical_expr(cols, d, NULL) $$;

-- The column types (format_type) of table ``tbl`` by name, for audit_chain_canonical_expr.
CREATE OR REPLACE FUNCTION audit_chain_types(tbl regclass) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_object_agg(attname, format_type(atttypid, NULL)), '{{}}')
  FROM pg_attribute WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped
$$;

-- The canonical content of ``d`` over the layout whose id is the SQL expression ``lay``, for
-- every layout of ``tbl`` (the rewrite trigger and the verifier: old rows keep their layout).
CREATE OR REPLACE FUNCTION audit_chain_canonical_by_layout_sql(tbl text, lay text, d text)
RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce('CASE ' || lay || ' ' || string_agg(
           format('WHEN %s THEN %s', id, audit_chain_canonical_sql(columns, d)), ' '
           ORDER BY id) || ' END', 'NULL::text')
  FROM common_chainlayout WHERE table_name = tbl
$$;

-- The canonical content of one value (a tombstone, a test): the same expression, run once.
CREATE OR REPLACE FUNCTION audit_chain_canonical(d jsonb, cols jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE t text;
BEGIN
  EXECUTE 'SELECT ' || audit_chain_canonical_sql(cols, '$1') INTO t USING d;
  RETURN t;
END;
$$;

-- STABLE as its body is (convert_to is): the planner inlines it into the statements that call
-- it (every link's hash in audit_chain_extend's loop, every row's in the insert trigger); declared
-- IMMUTABLE it was called as an SQL function each time, about 1 us a call (issue 18).
CREATE OR REPLACE FUNCTION audit_chain_hash(t text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex') $$;

CREATE OR REPLACE FUNCTION audit_chain_tombstone_hash(
  row_id bigint, removed text, now_hash text, actor text, reason text, at timestamptz
) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT audit_chain_hash(audit_chain_canonical(
    jsonb_build_object('kind', 'rewrite', 'row', row_id::text, 'removed', removed,
                       'now', now_hash, 'actor', actor, 'reason', reason, 'at', at),
    '["actor", "at", "kind", "now", "reason", "removed", "row"]'::jsonb))
$$;

-- The layout (id) of a table's columns, recorded on first use.
CREATE OR REPLACE FUNCTION audit_chain_layout(tbl text, cols jsonb) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER {_STABLE} AS $$
DECLARE lay integer;
BEGIN
  SELECT id INTO lay FROM common_chainlayout WHERE table_name = tbl AND columns = cols;
  IF lay IS NULL THEN
    INSERT INTO common_chainlayout (table_name, columns) VALUES (tbl, cols)
      ON CONFLICT (table_name, columns) DO NOTHING RETURNING id INTO lay;
    IF lay IS NULL THEN
      SELECT id INTO lay FROM common_chainlayout WHERE table_name = tbl AND columns = cols;
    END IF;
  END IF;
  RETURN lay;
END;
$$;

-- The SQL that collects (object, row, content hash) from ``src`` (a table, or a trigger's
-- transition table) ordered as the heads are locked, reading each row's columns by the table
-- ``tbl``'s types (audit_chain_text_sql; no jsonb of the row).
DROP FUNCTION IF EXISTS audit_chain_collect_sql(text, text, text, text, text, jsonb);
CREATE OR REPLACE FUNCTION audit_chain_collect_sql(
  src text, tbl text, obj_col text, row_col text, when_col text, when_val text, cols jsonb
) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  types jsonb := audit_chain_types(tbl::regclass);
BEGIN
  RETURN format(
    'SELECT array_agg(o ORDER BY o COLLATE "C", r), array_agg(r ORDER BY o COLLATE "C", r), '
    'array_agg(c ORDER BY o COLLATE "C", r) FROM (SELECT %s AS o, (%s)::bigint AS r, '
    'audit_chain_hash(%s) AS c FROM %s x WHERE %s) z',
    audit_chain_text_sql('x', obj_col, coalesce(types ->> obj_col, 'missing')),
    audit_chain_text_sql('x', row_col, coalesce(types ->> row_col, 'missing')),
    audit_chain_canonical_expr(cols, 'x', types), src,
    CASE WHEN coalesce(when_col, '') = '' THEN 'true'
         ELSE format('%s = %L',
                     audit_chain_text_sql('x', when_col, coalesce(types ->> when_col, 'missing')),
                     when_val) END);
END;
$$;

{EXTEND}
-- AFTER UPDATE (per statement) of a history table, which only a retention transaction can
-- reach: a tombstone per changed row, hashed over the layout the row was chained with.
CREATE OR REPLACE FUNCTION audit_chain_on_rewrite() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {_STABLE} AS $$
DECLARE
  cur integer := audit_chain_layout(TG_TABLE_NAME, TG_ARGV[4]::jsonb);
  lays integer[]; oids text[]; rids bigint[]; rem text[]; nws text[];
BEGIN
  EXECUTE format($q$
    SELECT array_agg(lay ORDER BY o COLLATE "C", r), array_agg(o ORDER BY o COLLATE "C", r),
           array_agg(r ORDER BY o COLLATE "C", r), array_agg(rm ORDER BY o COLLATE "C", r),
           array_agg(nw ORDER BY o COLLATE "C", r)
    FROM (
      SELECT o, r, lay, audit_chain_hash(%5$s) AS rm, audit_chain_hash(%6$s) AS nw
      FROM (
        SELECT od ->> %1$L AS o, (od ->> %2$L)::bigint AS r, od, nd, coalesce(
          (SELECT l.layout_id FROM common_chainlink l WHERE l.table_name = %3$L
              AND l.object_id = o.od ->> %1$L
              AND l.row_id = (o.od ->> %2$L)::bigint AND l.kind = 'row' LIMIT 1), %4$s) AS lay
        FROM (SELECT audit_chain_jsonb(x) AS od FROM old_rows x OFFSET 0) o
        JOIN (SELECT audit_chain_jsonb(y) AS nd FROM new_rows y OFFSET 0) n
          ON (o.od ->> %2$L) = (n.nd ->> %2$L)
        OFFSET 0
      ) w
    ) z WHERE rm <> nw$q$, TG_ARGV[0], TG_ARGV[1], TG_TABLE_NAME, cur,
    audit_chain_canonical_by_layout_sql(TG_TABLE_NAME, 'lay', 'od'),
    audit_chain_canonical_by_layout_sql(TG_TABLE_NAME, 'lay', 'nd'))
    INTO lays, oids, rids, rem, nws;
  IF oids IS NOT NULL THEN
    PERFORM audit_chain_extend(TG_TABLE_NAME, lays, oids, rids, NULL, rem, nws);
  END IF;
  RETURN NULL;
END;
$$;

-- Chain the rows of a table being chained for the first time (the backfill): every row that
-- has no link yet.
CREATE OR REPLACE FUNCTION audit_chain_adopt(
  tbl text, obj_col text, row_col text, when_col text, when_val text, cols jsonb
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER {_STABLE} AS $$
DECLARE
  lay integer := audit_chain_layout(tbl, cols);
  oids text[]; rids bigint[]; pays text[];
BEGIN
  EXECUTE audit_chain_collect_sql(
    format('(SELECT * FROM %I s WHERE NOT EXISTS (SELECT 1 FROM common_chainlink l '
           'WHERE l.table_name = %L AND l.object_id = s.%I::text AND l.kind = ''row'' '
           'AND l.row_id = s.%I))',
           tbl, tbl, obj_col, row_col),
    quote_ident(tbl), obj_col, row_col, when_col, when_val, cols) INTO oids, rids, pays;
  PERFORM audit_chain_extend(tbl, array_fill(lay, ARRAY[coalesce(array_length(oids, 1), 0)]),
                             oids, rids, pays, NULL, NULL);
END;
$$;

-- BEFORE UPDATE OR DELETE (per row) of common_chainlayout: links name their layout by id, with
-- no foreign key (issue 18: its check at COMMIT cost more than hashing the link), so a recorded
-- layout is fixed: never changed, never removed.
CREATE OR REPLACE FUNCTION audit_refuse_layout_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'chain layout % is fixed: links are hashed over it', OLD.id
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'TRUNCATE of % refused: it holds audit evidence', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- BEFORE DELETE (per row): refuse deleting a row whose TG_ARGV[0] column is TG_ARGV[1].
CREATE OR REPLACE FUNCTION audit_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF to_jsonb(OLD) ->> TG_ARGV[0] = TG_ARGV[1] THEN
    RAISE EXCEPTION '% row % is % and cannot be deleted', TG_TABLE_NAME,
      to_jsonb(OLD) ->> 'id', TG_ARGV[1] USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN OLD;
END;
$$;

REVOKE ALL ON FUNCTION audit_chain_extend(text, integer[], text[], bigint[], text[], text[], text[])
  FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_chain_adopt(text, text, text, text, text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_chain_layout(text, jsonb) FROM PUBLIC;
"""


@dataclass(frozen=True)
class ChainedTable:
    """A table whose rows are chained: per ``object_column``, identified by ``row_column``;
    only rows whose ``when`` column has that value (a sent letter) when ``when`` is set, and
    then such rows cannot be deleted either."""

    table: str
    object_column: str
    row_column: str
    when: tuple[str, str] | None = None


_REGISTERED: dict[str, ChainedTable] = {}


def apply_stable_settings(cursor) -> None:
    """Give this transaction the settings rows are turned into text with (the verifier)."""
    for name, value in STABLE_SETTINGS.items():
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def register_chained_table(table: ChainedTable) -> None:
    """Chain a table that is not a history table (the letters app's sent letters)."""
    _REGISTERED[table.table] = table


def chained_tables(using: str = DEFAULT_DB_ALIAS) -> list[ChainedTable]:
    """Every chained table that exists in the database: history tables, then registered ones."""
    from .history_guard import historical_models

    existing = set(connections[using].introspection.table_names())
    tables = {
        m._meta.db_table: ChainedTable(m._meta.db_table, _object_column(m), "history_id")
        for m in historical_models()
        if m._meta.db_table in existing
    }
    tables.update({t: c for t, c in _REGISTERED.items() if t in existing})
    return [tables[t] for t in sorted(tables)]


def _object_column(history_model: Any) -> str:
    """The column of a history table that holds the tracked record's primary key."""
    pk_name = history_model.instance_type._meta.pk.name
    return str(history_model._meta.get_field(pk_name).column)


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s ORDER BY column_name",
        [table],
    )
    return [r[0] for r in cursor.fetchall()]


def _has_trigger(cursor, table: str, name: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s", [table, name]
    )
    return cursor.fetchone() is not None


def _keys_bytewise(cursor, connection) -> None:
    """The links' and heads' keys (table, object) compare bytewise, collation "C", the order the
    append locks heads in and names in its head lookups (common.chain_extend): a linguistic
    collation cost every index entry of every link and head a locale comparison (issue 18). Set
    here, before any chain is extended, so every path that installs the chain has it; changing
    it rebuilds the two tables' text indexes, once. Each column keeps its model field's type."""
    from .models import ChainHead, ChainLink

    for model in (ChainLink, ChainHead):
        table = model._meta.db_table
        cursor.execute(
            "SELECT count(*) FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation "
            "WHERE a.attrelid = %s::regclass AND a.attname IN ('table_name', 'object_id') "
            "AND c.collname <> 'C'",
            [table],
        )
        if cursor.fetchone()[0]:
            columns = ", ".join(
                f"ALTER COLUMN {name} TYPE "
                f'{model._meta.get_field(name).db_type(connection)} COLLATE "C"'
                for name in ("table_name", "object_id")
            )
            cursor.execute(f"ALTER TABLE {table} {columns}")


def install_chains(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Install (idempotently) the chain, TRUNCATE and DELETE triggers. A table chained for the
    first time has its existing rows chained first (the backfill); after that, a missing link is
    evidence, never healed here. Returns the chained tables."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    qn = connection.ops.quote_name
    tables = chained_tables(using)
    with connection.cursor() as cursor:
        if not set(CHAIN_TABLES) <= set(connection.introspection.table_names(cursor)):
            return []
        _keys_bytewise(cursor, connection)
        cursor.execute(FUNCTIONS)
        for name in CHAIN_TABLES:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {NO_TRUNCATE} BEFORE TRUNCATE ON {qn(name)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()"
            )
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER {LAYOUT_FIXED} BEFORE UPDATE OR DELETE ON "
            "common_chainlayout FOR EACH ROW EXECUTE FUNCTION audit_refuse_layout_change()"
        )
        for t in tables:
            columns = json.dumps(_columns(cursor, t.table))
            when = t.when or ("", "")
            args = ", ".join(_literal(a) for a in (t.object_column, t.row_column, *when, columns))
            if not _has_trigger(cursor, t.table, INSERT_TRIGGER):
                cursor.execute(
                    "SELECT audit_chain_adopt(%s, %s, %s, %s, %s, %s::jsonb)",
                    [t.table, t.object_column, t.row_column, *when, columns],
                )
            on_insert = install_insert_function(
                cursor, t.table, t.object_column, t.row_column, when, columns
            )
            table = qn(t.table)
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {INSERT_TRIGGER} AFTER INSERT ON {table} "
                "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {on_insert}({args})"
            )
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {NO_TRUNCATE} BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()"
            )
            if t.when:
                # A row becomes chained by an UPDATE too (a draft sent); it cannot be updated
                # again once it is (letters' own immutability trigger).
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {UPDATE_TRIGGER} AFTER UPDATE ON {table} "
                    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION {on_insert}({args})"
                )
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {NO_DELETE} BEFORE DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION "
                    f"audit_refuse_delete({', '.join(_literal(a) for a in t.when)})"
                )
            else:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {UPDATE_TRIGGER} AFTER UPDATE ON {table} "
                    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION audit_chain_on_rewrite({args})"
                )
        # The generic insert trigger of databases chained before (every trigger now names its
        # table's own function: common.chain_insert).
        cursor.execute(
            "SELECT 1 FROM pg_proc p WHERE p.proname = 'audit_chain_on_insert' AND NOT EXISTS "
            "(SELECT 1 FROM pg_trigger t WHERE t.tgfoid = p.oid)"
        )
        if cursor.fetchone():
            cursor.execute("DROP FUNCTION audit_chain_on_insert()")
    return [t.table for t in tables]


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    install_chains(using)


def truncate_guarded_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Tables whose TRUNCATE the database refuses (for flush, checks and tests)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [NO_TRUNCATE],
        )
        return sorted(r[0] for r in cursor.fetchall())
