"""The register import's pages issue the same queries at 2 rows and at 6 (issue 18: query-count
tests guard every page): the upload page (its recent imports) and an import's preview (its rows,
read from the batch's stored results). The job page shows one job's progress and lists nothing;
the preview and commit themselves: tests/intake/test_register_query_counts.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.services import import_preview

from .test_register_import import GOOD, NOW, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def _preview(firm, handler, name: str, count: int):
    rows = [
        {
            **GOOD[i % len(GOOD)],
            "firm_reference": f"{name}-{i}",
            "complainant_name": f"Person {name} {i}",
            "complainant_email": f"p{i}@{name.lower()}.example",
        }
        for i in range(count)
    ]
    return import_preview(
        firm=firm, actor=handler, now=NOW, filename=f"{name}.csv", content=to_csv(rows)
    )


def _count(client, url: str):
    client.get(url)  # warm the session and user caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_upload_page_same_queries_at_2_and_6_recent_imports(client, firm, handler):
    client.force_login(handler)
    url = reverse("intake:import")
    counts = []
    for start, stop in ((0, 2), (2, 6)):
        for i in range(start, stop):
            _preview(firm, handler, f"Register{i}", 1)
        queries, body = _count(client, url)
        assert all(f"Register{i}.csv" in body for i in range(stop))
        counts.append(queries)
    assert counts[0] == counts[1]


def test_preview_page_same_queries_at_2_and_6_rows(client, firm, handler):
    client.force_login(handler)
    counts = []
    for name, rows in (("Small", 2), ("Large", 6)):
        batch = _preview(firm, handler, name, rows)
        assert batch.rows_ok == rows, batch.results
        queries, body = _count(client, reverse("intake:detail", args=[batch.pk]))
        assert all(f"{name}-{i}" in body for i in range(rows))
        counts.append(queries)
    assert counts[0] == counts[1]
