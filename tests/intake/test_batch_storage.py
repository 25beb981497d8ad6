"""A register batch's file and results are stored as given, compressed by LZ4 where the server
has it (intake 0003, issue 18: pglz cost the preview's INSERT twice the server's CPU)."""

from __future__ import annotations

import pytest
from django.db import connection

from intake.models import ImportBatch
from intake.services import import_commit, import_preview

from .test_register_import import NOW
from .test_register_query_counts import register

pytestmark = pytest.mark.django_db


def _lz4() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_a_batchs_file_and_results_are_kept_as_given_compressed_by_lz4(firm, handler, settings):
    if connection.vendor != "postgresql" or not _lz4():
        pytest.skip("PostgreSQL built with LZ4")
    settings.INTAKE_IMPORT_MAX_ROWS = 400
    content = register(400, "Z")
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="z.csv", content=content)
    import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(content), pg_column_compression(results) "
            "FROM intake_importbatch WHERE id = %s",
            [batch.pk],
        )
        assert cursor.fetchone() == ("lz4", "lz4")
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert bytes(stored.content) == content
    assert len(stored.results) == 400
    assert {r["outcome"] for r in stored.results} == {"created"}
