"""The deadline watch's cost follows the due complaints, not the table (issue 18).

A sweep over a firm whose complaints are mostly answered, not yet near their DISP 1.6.2R date,
or waiting on the final response a holding response promised for later (DISP 1.6.2R(2)(a))
issues the same queries as over the due complaints alone, and each of its complaint queries
reads only the due rows from its index, whatever the number of rows that are not due.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Complaint
from notifications.services import deadline_watch_run
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 9, 10)


def _copies(complaint: Complaint, n: int, **columns) -> None:
    """``n`` copies of ``complaint`` as a bulk load writes them, with ``columns`` changed."""
    names = [f.column for f in Complaint._meta.concrete_fields if f.column != "id"]
    tag = columns["status"][:4] + columns.get("regime", "")[:3]
    values = [
        "%s"
        if name in columns
        else (f"reference || '-{tag}' || g" if name == "reference" else name)
        for name in names
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO complaints_complaint ({', '.join(names)}) "
            f"SELECT {', '.join(values)} FROM complaints_complaint, generate_series(1, %s) g "
            "WHERE id = %s",
            [*(columns[name] for name in names if name in columns), n, complaint.pk],
        )


def _not_due(firm, owner, n: int) -> None:
    """``n`` complaints of each kind the watch must pass over without reading them."""
    recent = make_complaint(firm=firm, received_at=london(2026, 6, 1, 10), owner_id=owner.pk)
    _copies(recent, n, status="closed", regime="standard", response_deadline=None)  # answered
    _copies(recent, n, status="investigating", regime="standard")  # 8-week date weeks away
    _copies(  # a holding response promised the final response for August
        recent,
        n,
        status="holding_response_sent",
        expected_final_response_on=london(2026, 8, 28).date(),
        response_deadline=london(2026, 8, 28).date(),
    )
    _copies(  # a PSD/EMD holding response: the 35-business-day date is weeks away
        recent,
        n,
        status="holding_response_sent",
        regime="psd_emd",
        extended_final_response_due=london(2026, 7, 20).date(),
        response_deadline=london(2026, 7, 20).date(),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint")


def _sweep():
    with CaptureQueriesContext(connection) as ctx:
        result = deadline_watch_run(now=NOW, send_emails=False)
    return result, ctx.captured_queries


def _rows_read(sql: str) -> int:
    """Rows the plan of ``sql`` took from the complaints table (returned or filtered out)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def walk(node) -> int:
        own = 0
        if node.get("Relation Name") == "complaints_complaint":
            own = node["Actual Rows"] * node["Actual Loops"]
            own += node.get("Rows Removed by Filter", 0) + node.get(
                "Rows Removed by Index Recheck", 0
            )
        return own + sum(walk(child) for child in node.get("Plans", []))

    return walk(plan[0]["Plan"])


def test_disp_1_6_2r_watch_queries_do_not_grow_with_complaints_not_due(firm, owner, supervisor):
    for day in (2, 7):  # 8-week dates passed: due (missed), with their acknowledgements
        make_complaint(firm=firm, received_at=london(2026, 4, day, 10), owner_id=owner.pk)
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT before_sweep")
    _, few = _sweep()
    with connection.cursor() as cursor:
        cursor.execute("ROLLBACK TO SAVEPOINT before_sweep")
    _not_due(firm, owner, 150)

    result, many = _sweep()

    # The two due complaints' final response and acknowledgement, and the acknowledgement the
    # copies' original (received 1 June, not acknowledged) owes.
    assert result.notices == 5
    assert len(many) == len(few)


def test_disp_1_6_2r_watch_reads_only_the_due_rows_from_the_complaints_index(firm, owner):
    if connection.vendor != "postgresql":
        pytest.fail("query plans are checked on PostgreSQL")
    for day in (2, 7):
        make_complaint(firm=firm, received_at=london(2026, 4, day, 10), owner_id=owner.pk)
    _not_due(firm, owner, 150)  # 600 complaints not due, and the one they were copied from
    _, queries = _sweep()
    scans = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and 'FROM "complaints_complaint"' in q["sql"]
    ]
    assert len(scans) == 5  # one per DISP source
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # as at a million rows: an index or nothing
        try:
            read = {sql.split("WHERE", 1)[1]: _rows_read(sql) for sql in scans}
        finally:
            cursor.execute("RESET enable_seqscan")
    # Two complaints are due (final response, acknowledgement); no query reads the 450 others.
    assert all(rows <= 4 for rows in read.values()), read
