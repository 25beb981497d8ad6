"""The work queue served by indexes (issue 18).

``response_deadline`` is the DISP response date a complaint owes once any SRC window has closed
(``Complaint.current_response_deadline``, kept by ``Complaint.save`` and ``apply_deadlines``);
it is filled here set-based for existing rows, and two partial indexes over the open states
order the queue by it ("mine" and team-wide). Queue search (``icontains`` on the reference,
description and complainant name) is served by pg_trgm GIN indexes on PostgreSQL only: they are
created by SQL guarded by the connection's vendor, outside the model state, so SQLite
(``make demo``) migrates without them.
"""

from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models import Case, F, Q, When

OPEN = ["received", "acknowledged", "investigating", "holding_response_sent"]
EARLY = ["received", "acknowledged", "investigating"]

# icontains compiles to UPPER("column"::text) LIKE UPPER(%s): the indexes are on that expression.
TRIGRAM_INDEXES = [
    ("complaint_reference_trgm", "complaints_complaint", "reference"),
    ("complaint_description_trgm", "complaints_complaint", "description"),
    ("complainant_name_trgm", "complaints_complainant", "name"),
]


def fill_response_deadline(apps, schema_editor):
    """What ``Complaint.current_response_deadline`` gives, for every existing row at once."""
    Complaint = apps.get_model("complaints", "Complaint")
    Complaint.objects.update(
        response_deadline=Case(
            When(Q(status__in=EARLY, is_complaint=True), then=F("final_response_due")),
            When(
                Q(status="holding_response_sent", regime="psd_emd"),
                then=F("extended_final_response_due"),
            ),
            When(
                Q(status="holding_response_sent", regime="standard"),
                then=F("expected_final_response_on"),
            ),
            default=None,
            output_field=models.DateField(),
        )
    )


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_likely_duplicate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="response_deadline",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="The DISP response date to meet once any SRC window has closed: the "
                "final response date (DISP 1.6.2R), the extended PSD/EMD date after a holding "
                "response (DISP 1.6.2AR(2)) or the date the holding response promised (DISP "
                "1.6.2R(2)(a)); empty once answered or when no response is owed.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalcomplaint",
            name="response_deadline",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="The DISP response date to meet once any SRC window has closed: the "
                "final response date (DISP 1.6.2R), the extended PSD/EMD date after a holding "
                "response (DISP 1.6.2AR(2)) or the date the holding response promised (DISP "
                "1.6.2R(2)(a)); empty once answered or when no response is owed.",
                null=True,
            ),
        ),
        migrations.RunPython(fill_response_deadline, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)),
                fields=["firm", "owner", "response_deadline", "received_at", "id"],
                name="complaint_queue_owner_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)),
                fields=["firm", "response_deadline", "received_at", "id"],
                name="complaint_queue_firm_idx",
            ),
        ),
        TrigramExtension(),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
