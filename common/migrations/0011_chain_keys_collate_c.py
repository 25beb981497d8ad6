from django.db import migrations

TABLES = (("common_chainlink", ("table_name", 63), ("object_id", 64)),)
TABLES += (("common_chainhead", ("table_name", 63), ("object_id", 64)),)


def _collate(schema_editor, collation: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (the demo) keeps no chain
    for table, *columns in TABLES:
        changes = ", ".join(
            f'ALTER COLUMN {name} TYPE varchar({size}) COLLATE "{collation}"'
            for name, size in columns
        )
        schema_editor.execute(f"ALTER TABLE {table} {changes}")


def keys_bytewise(apps, schema_editor):
    """The chain's keys compared bytewise (collation "C"), as the heads are locked: a linguistic
    collation cost every index entry of every link and head a locale comparison (issue 18). The
    indexes are rebuilt; the append's head lookups name "C" (common.chain_extend)."""
    from common.chain_sql import install_chains

    _collate(schema_editor, "C")
    install_chains(schema_editor.connection.alias)


def keys_by_default(apps, schema_editor):
    _collate(schema_editor, "default")


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0010_audit_chain_hash_inlined"),
    ]

    operations = [
        migrations.RunPython(keys_bytewise, keys_by_default),
    ]
