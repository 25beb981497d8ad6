"""The API create's likely-duplicate check served by an index (issue 18).

A new complaint is checked for an earlier one with the same description (any case) from the
same complainant within a day (``complaints.services.intake._likely_duplicate_of``), after the
firm's reference counter is locked. Without an index on the description that check read every
complaint the firm received in the window (tens of thousands a day in a crisis) while the lock
held the firm's other creates. ``description__iexact`` compiles to ``UPPER("description"::text)
= UPPER(%s)``: a hash index on that expression (equality only, any length: a B-tree refuses
entries over ~2.7 kB) finds the few complaints with that description. PostgreSQL only, created
by SQL guarded by the connection's vendor outside the model state, as 0007's trigram indexes.
"""

from django.db import migrations

NAME = "complaint_description_hash"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "complaints_complaint" '
        'USING hash ((UPPER("description"::text)))'
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("complaints", "0017_watch_psd_extended_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
