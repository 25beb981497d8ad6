"""The audit chain's insert trigger: one function per chained table, its hashing SQL written
once (issue 18).

The trigger's work per statement was to write the SQL that hashes the new rows (the canonical
expression over the table's columns and their types: ``audit_chain_collect_sql``, about 0.8 ms
for a complaint's history) and to have PostgreSQL parse and plan that 6 kB statement by
``EXECUTE`` (about 1.6 ms), then 0.2 ms to run it: one history row at a time (every save in the
product, the API create's two) paid that ten times over. ``install_chains`` now writes, per
table, a trigger function holding the same SQL as a static statement, which PL/pgSQL plans once
per session. The SQL is ``audit_chain_collect_sql``'s for the table's columns and types at
install time, so the text hashed and the hashes are those of the generic path, byte for byte.
Should the table's column types differ from those when the trigger fires (a migration changed
a column and wrote rows before ``post_migrate`` reinstalled the chains), the function writes
the SQL afresh as before (``EXECUTE``), so a row is never read by a stale type.
"""

from __future__ import annotations

import hashlib
import json

# Settings every function that turns a row into text runs with, whatever the session has set.
STABLE_SETTINGS = {
    "TimeZone": "UTC",
    "IntervalStyle": "iso_8601",
    "extra_float_digits": "1",
}
STABLE_CLAUSE = (
    "SET search_path = pg_catalog, public SET TimeZone = 'UTC' "
    "SET IntervalStyle = 'iso_8601' SET extra_float_digits = 1"
)
PREFIX = "audit_chain_insert_"
_DELIMITER = "$chain$"

# TG_ARGV: object column, row column, the column and value that make a row chained ('' '' for
# every row; status, sent), the columns (the layout).
_FUNCTION = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {stable} AS {delimiter}
DECLARE
  cols jsonb := TG_ARGV[4]::jsonb;
  lay integer := audit_chain_layout(TG_TABLE_NAME, cols);
  oids text[]; rids bigint[]; pays text[];
BEGIN
  IF audit_chain_types(TG_RELID) = {types}::jsonb THEN
    {collect} INTO oids, rids, pays;
  ELSE
    EXECUTE audit_chain_collect_sql(
      'new_rows', quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME),
      TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_ARGV[3], cols) INTO oids, rids, pays;
  END IF;
  PERFORM audit_chain_extend(
    TG_TABLE_NAME, array_fill(lay, ARRAY[coalesce(array_length(oids, 1), 0)]),
    oids, rids, pays, NULL, NULL);
  RETURN NULL;
END;
{delimiter}
"""


def function_name(table: str) -> str:
    """``audit_chain_insert_<table>``, or, beyond PostgreSQL's 63 bytes, the table's name cut
    and told apart by a digest of it."""
    name = PREFIX + table
    if len(name) <= 63:
        return name
    return f"{name[:54]}_{hashlib.sha256(table.encode()).hexdigest()[:8]}"


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def install_insert_function(
    cursor, table: str, object_column: str, row_column: str, when: tuple[str, str], columns: str
) -> str:
    """Write ``table``'s insert trigger function (``columns``: the layout, as JSON) for its
    columns' types now, and answer its name."""
    cursor.execute(
        "SELECT audit_chain_collect_sql('new_rows', %s, %s, %s, %s, %s, %s::jsonb), "
        "audit_chain_types(%s::regclass)::text",
        [quoted := '"' + table.replace('"', '""') + '"', object_column, row_column, *when]
        + [columns, quoted],
    )
    collect, types = cursor.fetchone()
    assert _DELIMITER not in collect and json.loads(types) is not None
    name = function_name(table)
    cursor.execute(
        _FUNCTION.format(
            name=name,
            stable=STABLE_CLAUSE,
            delimiter=_DELIMITER,
            types=sql_literal(types),
            collect=collect,
        )
    )
    return name
