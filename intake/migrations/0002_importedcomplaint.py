"""An imported complaint's provenance as a record of its own (issue 18), instead of a note.

PostgreSQL refuses an UPDATE or DELETE of a provenance row, as the history tables refuse theirs
(common.history_guard): written once with its complaint, it stays as the complaint's record
does. Created by SQL guarded by the connection's vendor (the SQLite demo has no such trigger), as
complaints 0018's index. An INSERT or COPY fires nothing.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "intake_importedcomplaint"
FUNCTION = "intake_imported_complaint_fixed"


def create_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION USING MESSAGE = 'An imported complaint''s provenance is fixed: ' "
        "|| TG_OP || ' on ' || TG_TABLE_NAME || ' refused'; END; $$"
    )
    schema_editor.execute(
        f'CREATE OR REPLACE TRIGGER "{FUNCTION}" BEFORE UPDATE OR DELETE ON "{TABLE}" '
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP TRIGGER IF EXISTS "{FUNCTION}" ON "{TABLE}"')
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0019_src_queue_indexes"),
        ("intake", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportedComplaint",
            fields=[
                (
                    "complaint",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="imported",
                        serialize=False,
                        to="complaints.complaint",
                    ),
                ),
                (
                    "row",
                    models.PositiveIntegerField(
                        help_text="The spreadsheet row's number (the header is row 1)."
                    ),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="intake.importbatch",
                    ),
                ),
            ],
        ),
        migrations.RunPython(create_guard, drop_guard),
    ]
