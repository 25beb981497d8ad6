# Issue 18: on PostgreSQL a snapshot's rows and its active clients are each a partition (by
# snapshot) of their table, so an import loads them into tables with no index and builds each
# key's index once, after the load (reporting.services.snapshot_rows). The models do not change;
# SQLite keeps one table each.
#
# Each snapshot already loaded gets its own partitions, its rows copied in key order.

from django.db import migrations

TABLES = {
    "reporting_clientpositionrow": "snapshot_id, client_id, row_number",
    "reporting_activeclient": "snapshot_id, client_id",
}


def _forwards_sql(table: str, key: str) -> str:
    old = f"{table}_unpartitioned"
    return f"""
ALTER TABLE {table} RENAME TO {old};
ALTER TABLE {old} RENAME CONSTRAINT {table}_pkey TO {old}_pkey;
CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY LIST (snapshot_id);
ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({key});
DO $$
DECLARE
    snap bigint;
    part text;
BEGIN
    FOR snap IN SELECT DISTINCT snapshot_id FROM {old} ORDER BY 1 LOOP
        part := '{table}_' || snap;
        EXECUTE format(
            'CREATE TABLE %I (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, '
            'CONSTRAINT %I CHECK (snapshot_id = %s))', part, part || '_snapshot', snap);
        EXECUTE format(
            'INSERT INTO %I SELECT * FROM {old} WHERE snapshot_id = %s ORDER BY {key}',
            part, snap);
        EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY ({key})', part);
        EXECUTE format('ALTER TABLE {table} ATTACH PARTITION %I FOR VALUES IN (%s)', part, snap);
    END LOOP;
END $$;
DROP TABLE {old};
"""


# The import runs as the web role (docs/security.md "Database roles"), which may not create or
# alter tables: these two functions, owned by the migrating owner, make a snapshot's own table
# of one of the two and attach it, and nothing else.
FUNCTIONS = """
CREATE FUNCTION reporting_snapshot_table_open(parent regclass, snapshot bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    part text := parent::text || '_' || snapshot || '_' || substr(md5(random()::text), 1, 8);
BEGIN
    IF parent NOT IN ('reporting_clientpositionrow'::regclass, 'reporting_activeclient'::regclass)
    THEN
        RAISE EXCEPTION 'not a snapshot table: %', parent;
    END IF;
    EXECUTE format(
        'CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS, '
        'CONSTRAINT snapshot_only CHECK (snapshot_id = %s))', part, parent, snapshot);
    RETURN part;
END $$;
CREATE FUNCTION reporting_snapshot_table_seal(parent regclass, part text, snapshot bigint)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    key text := CASE parent
        WHEN 'reporting_clientpositionrow'::regclass THEN 'snapshot_id, client_id, row_number'
        WHEN 'reporting_activeclient'::regclass THEN 'snapshot_id, client_id' END;
BEGIN
    IF key IS NULL OR part !~ ('^' || parent::text || '_' || snapshot || '_[0-9a-f]{8}$')
       OR (SELECT relispartition FROM pg_class WHERE oid = part::regclass) THEN
        RAISE EXCEPTION 'not a snapshot''s own table: %', part;
    END IF;
    EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (%s)', part, key);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES IN (%s)', parent, part, snapshot);
END $$;
"""


def _backwards_sql(table: str, key: str) -> str:
    old = f"{table}_unpartitioned"
    return f"""
CREATE TABLE {old} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
INSERT INTO {old} SELECT * FROM {table} ORDER BY {key};
DROP TABLE {table};
ALTER TABLE {old} RENAME TO {table};
ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({key});
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, key in TABLES.items():
            schema_editor.execute(_forwards_sql(table, key), None)
        schema_editor.execute(FUNCTIONS, None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS reporting_snapshot_table_open(regclass, bigint); "
            "DROP FUNCTION IF EXISTS reporting_snapshot_table_seal(regclass, text, bigint)",
            None,
        )
        for table, key in TABLES.items():
            schema_editor.execute(_backwards_sql(table, key), None)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_snapshot_row_key"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
