"""The register import costs no query per row (issue 18): the preview issues the same queries for
100 rows as for 1,000, and the commit at most more INSERTs, one per table per ``MAX_PARAMETERS``
values (the rows themselves are one COPY per table and chunk: ``common.bulk.copy_prepare``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.bulk import MAX_PARAMETERS
from complaints.models import Complaint
from intake.services import import_commit, import_preview

from .test_register_import import GOOD, NOW, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def register(count: int, prefix: str) -> bytes:
    """``count`` rows cycling through every status of the worked examples; every tenth row
    repeats the complainant before it (a likely duplicate)."""
    rows = []
    for i in range(count):
        person = i - 1 if i % 10 == 9 else i
        rows.append(
            {
                **GOOD[i % len(GOOD)],
                "firm_reference": f"{prefix}-{i}",
                "complainant_name": f"Person {prefix} {person}",
                "complainant_email": f"p{person}@{prefix.lower()}.example",
            }
        )
    return to_csv(rows)


def statements(run, copies: list[str] | None = None) -> list[str]:
    """The first word of each statement ``run`` sends; the tables it COPYs into, in ``copies``."""
    with CaptureQueriesContext(connection) as ctx:
        run()
    if copies is not None:
        copies.extend(
            q["sql"].split()[1].strip('"')
            for q in ctx.captured_queries
            if q["sql"].startswith("COPY")
        )
    return [q["sql"].split(None, 1)[0].upper() for q in ctx.captured_queries]


def test_preview_and_commit_queries_do_not_grow_per_row(firm, handler, settings):
    settings.INTAKE_IMPORT_MAX_ROWS = 2000
    # One chunk each (the first chunks are smaller, ``first_chunk_rows``): rows, not chunks.
    settings.INTAKE_IMPORT_FIRST_CHUNK_ROWS = 2000
    found: dict[int, dict[str, list[str]]] = {}
    for count, prefix in ((100, "S"), (1000, "L")):
        content = register(count, prefix)
        batch = None

        def preview(content=content, prefix=prefix):
            nonlocal batch
            batch = import_preview(
                firm=firm, actor=handler, now=NOW, filename=f"{prefix}.csv", content=content
            )

        previewed = statements(preview)
        assert batch is not None and batch.rows_ok == count, batch.results[:3]
        committed = statements(
            lambda pk=batch.pk: import_commit(
                batch_id=pk, actor=handler, now=NOW, all_or_nothing=True
            )
        )
        found[count] = {"preview": previewed, "commit": committed}
    assert Complaint.objects.count() == 1100
    assert Complaint.objects.exclude(likely_duplicate_of=None).count() == 110
    small, large = found[100], found[1000]
    assert large["preview"] == small["preview"]
    assert [s for s in large["commit"] if s != "INSERT"] == [
        s for s in small["commit"] if s != "INSERT"
    ]
    # One more INSERT per table per MAX_PARAMETERS values: complaints, their history (a row
    # a step),
    # communications and their history, notes, announcements.
    extra = large["commit"].count("INSERT") - small["commit"].count("INSERT")
    assert 0 <= extra <= 12, (extra, MAX_PARAMETERS)
    assert len(small["commit"]) < 40


def test_each_chunk_records_where_its_complaints_came_from_in_one_copy(firm, handler, settings):
    """The provenance is one COPY a chunk into its own table (no ids to take first, no history
    to write), where a note per row took a sequence read, a COPY and a history COPY."""
    settings.INTAKE_IMPORT_CHUNK_ROWS = 50
    batch = import_preview(
        firm=firm, actor=handler, now=NOW, filename="p.csv", content=register(120, "P")
    )
    copies: list[str] = []
    statements(
        lambda: import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True),
        copies,
    )
    assert copies.count("intake_importedcomplaint") == 3
    assert not [table for table in copies if "note" in table]
