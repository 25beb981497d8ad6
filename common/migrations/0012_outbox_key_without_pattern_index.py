"""The outbox's ``dedupe_key`` unique by a named constraint, without the LIKE index that
``unique=True`` added on PostgreSQL (issue 18).

No read of the outbox matches a key by prefix (writes and re-arms look a key up by equality,
``ON CONFLICT (dedupe_key)`` and ``SELECT ... FOR UPDATE``, through the unique index; the
admin's search is ``icontains``, which no B-tree serves), while every message written is an
entry in it: a register import writes one per complaint, 10,000 entries costing the server
about 8 ms. The unique constraint keeps its name and its index; only the state says it the
other way (``Meta.constraints``). The SQLite demo has no such index.
"""

from django.db import migrations, models

LIKE_INDEX = "common_outboxmessage_dedupe_key_0dd38fce_like"


def drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{LIKE_INDEX}"')


def create_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{LIKE_INDEX}" ON "common_outboxmessage" '
            '("dedupe_key" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("common", "0011_audit_chain_canonical_tree")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="outboxmessage",
                    name="dedupe_key",
                    field=models.CharField(max_length=200),
                ),
                migrations.AddConstraint(
                    model_name="outboxmessage",
                    constraint=models.UniqueConstraint(
                        fields=["dedupe_key"], name="common_outboxmessage_dedupe_key_key"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_like_index, create_like_index),
            ],
        ),
    ]
