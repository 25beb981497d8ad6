# A database flushed with its sequences reset (a test suite's transactional tests, a restored
# test copy) numbers snapshots again and keeps the old, empty partitions, since a snapshot's
# deletion leaves its (empty) partitions: the attach of the new snapshot's table would overlap
# one. The seal now drops such a partition first if it holds no row, and refuses if it does.

from django.db import migrations

SEAL = """
CREATE OR REPLACE FUNCTION reporting_snapshot_table_seal(parent regclass, part text, snapshot bigint)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    key text := CASE parent
        WHEN 'reporting_clientpositionrow'::regclass THEN 'snapshot_id, client_id, row_number'
        WHEN 'reporting_activeclient'::regclass THEN 'snapshot_id, client_id' END;
    left_over regclass;
    has_rows boolean;
BEGIN
    IF key IS NULL OR part !~ ('^' || parent::text || '_' || snapshot || '_[0-9a-f]{8}$')
       OR (SELECT relispartition FROM pg_class WHERE oid = part::regclass) THEN
        RAISE EXCEPTION 'not a snapshot''s own table: %', part;
    END IF;
    SELECT c.oid INTO left_over FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = parent
       AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (''%s'')', snapshot);
    IF left_over IS NOT NULL THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', left_over) INTO has_rows;
        IF has_rows THEN
            RAISE EXCEPTION 'snapshot % already has rows in %', snapshot, left_over;
        END IF;
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, left_over);
        EXECUTE format('DROP TABLE %s', left_over);
    END IF;
    EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (%s)', part, key);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES IN (%s)', parent, part, snapshot);
END $$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEAL, None)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0006_snapshot_rows_partitioned"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
