"""A register batch's file and results compressed by LZ4 instead of PostgreSQL's default pglz
(issue 18).

Each is a few megabytes at 10,000 rows, TOASTed: the preview writes both (the file, 2 MB, and
the results, 1.7 MB of JSON), the commit reads the file back and writes its results. pglz took
the preview's INSERT 46 ms of the server's CPU against 24 ms by LZ4, the commit's UPDATE 26
against 16 ms, reading the file 5.6 against 4.7 ms (median of 7, alternated, on a 10,000-row
batch); the values stored are the same bytes and JSON, about a fifth larger on disk. Values
written before keep pglz (each value records its method). PostgreSQL 14 or later built with
LZ4 only (checked, else nothing is changed); the SQLite demo has no TOAST.
"""

from django.db import migrations

TABLE = "intake_importbatch"
COLUMNS = ("content", "results")


def _lz4(schema_editor) -> bool:
    if schema_editor.connection.vendor != "postgresql":
        return False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _compress(method: str):
    def run(apps, schema_editor):
        if _lz4(schema_editor):
            alters = ", ".join(f'ALTER COLUMN "{c}" SET COMPRESSION {method}' for c in COLUMNS)
            schema_editor.execute(f'ALTER TABLE "{TABLE}" {alters}')

    return run


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_importedcomplaint")]

    operations = [migrations.RunPython(_compress("lz4"), _compress("default"))]
