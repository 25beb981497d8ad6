"""The complaint page's reads are compiled once per process and bind each page's complaint
(issue 18): two complaints' pages, one after the other in one process, each show their own rows
(tasks, notes, root causes, incidents, outcome) and none of the other's, in the same queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.services import complaint_add_note, task_create
from remediation.selectors import complaint_remediation
from remediation.services.incidents import incident_create, incident_link
from remediation.services.root_causes import complaint_root_cause_assign, root_cause_create
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 3, 9)
TODAY = date(2026, 6, 3)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def _rich(firm, handler, name: str):
    c = make_complaint(
        firm=firm, received_at=london(2026, 5, 28, 10), reference=name, owner_id=handler.pk
    )
    task_create(c, user=handler, kind="chase", due_on=TODAY, note=f"Chase {name}", now=NOW)
    complaint_add_note(complaint_id=c.pk, actor=handler, now=NOW, body=f"Noted on {name}")
    cause = root_cause_create(firm=firm, actor=handler, name=f"Cause of {name}")
    complaint_root_cause_assign(complaint_id=c.pk, root_cause_id=cause.pk, actor=handler, now=NOW)
    incident = incident_create(
        firm=firm, actor=handler, now=NOW, name=f"Outage {name}", started_at=london(2026, 5, 1, 9)
    )
    incident_link(incident_id=incident.pk, complaint_ids=[c.pk], actor=handler, now=NOW)
    return c


def test_each_page_shows_its_own_rows_through_the_compiled_reads(client, firm, handler):
    client.force_login(handler)
    a, b = _rich(firm, handler, "PAGE-A"), _rich(firm, handler, "PAGE-B")
    client.get(f"/complaints/{a.pk}/")  # warm the session
    counts = []
    for this, other in ((a, b), (b, a), (a, b), (b, a)):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(f"/complaints/{this.pk}/").content.decode()
        counts.append(len(ctx.captured_queries))
        assert f"Chase {this.reference}" in html and f"Noted on {this.reference}" in html
        assert f"Chase {other.reference}" not in html
        assert f"Noted on {other.reference}" not in html
        rem = complaint_remediation(this, TODAY)
        assert [link.root_cause.name for link in rem.root_causes] == [f"Cause of {this.reference}"]
        assert [link.incident.name for link in rem.incident_links] == [f"Outage {this.reference}"]
        assert all(link.complaint_id == this.pk for link in rem.root_causes)
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


def _prepared_reads() -> dict[str, int]:
    """The server's prepared statements on this connection that read each table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [s for (s,) in cursor.fetchall()]
    marks = {
        "complaint": 'SELECT "complaints_complaint"."id"',
        "letters": 'SELECT "letters_letter"."id"',
        "tasks": 'SELECT "complaints_task"."id"',
        "root causes": 'SELECT "remediation_complaintrootcause"."id"',
    }
    return {name: sum(s.startswith(mark) for s in prepared) for name, mark in marks.items()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_the_pages_widest_reads_are_planned_once_per_connection(client, firm, handler):
    """The complaint, its letters, its tasks and its root causes (the page's reads whose plans
    cost the server most: 0.2-0.9 ms each) are prepared statements: planned on the first page,
    the next complaint's page runs the same ones with its own id."""
    client.force_login(handler)
    a, b = _rich(firm, handler, "PREP-A"), _rich(firm, handler, "PREP-B")
    assert client.get(f"/complaints/{a.pk}/").status_code == 200
    first = _prepared_reads()
    assert all(first.values()), first
    html = client.get(f"/complaints/{b.pk}/").content.decode()
    assert "Chase PREP-B" in html and "Chase PREP-A" not in html
    assert _prepared_reads() == first
