"""Issue 18: the return and the snapshot import at a large exchange's volumes.

The snapshot's active clients are computed once, by its import, and read by metrics 3 and 4 and
the active-clients drill-down (paged by key); the complaints behind the figures are stored by
one INSERT reading the complaints once; no per-row foreign key checks; the drill-down pages and
API lists run a constant number of queries.
"""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.choices import Metric
from reporting.models import ActiveClient, ClientPositionRow, ReturnItem
from reporting.services import return_compute
from tests.factories import london, make_complaint
from tests.reporting.helpers import load_snapshot, position, uphold

pytestmark = pytest.mark.django_db

Q1 = date(2028, 3, 31)
NOW = london(2028, 4, 20, 9)


def compute(firm, actor=None):
    return return_compute(firm=firm, period_end=Q1, actor=actor, now=NOW)


def test_annex_6_metrics_3_4_active_clients_are_computed_once_by_the_import(firm):
    """Annex 6 metric 3 (E48: each client once) and metric 4: the import stores one row per
    active client with its retail and ledger-vulnerable facts; the return reads that table and
    never groups the snapshot's rows again."""
    snapshot = load_snapshot(
        firm,
        Q1,
        [
            position("A", "A1"),
            position("A", "A2", retail=False, vulnerable=True),  # retail on A1, flagged on A2
            position("B", "B1", retail=False),
            position("T", "T1", test=True, vulnerable=True),  # a test account: never active
            position("P", "P1", status="pending_closure"),
            position("Z", "Z1", balance="0"),
            position("N", "N1", activity="other"),
        ],
    )
    facts = ActiveClient.objects.filter(snapshot=snapshot).order_by("client_id")
    assert list(facts.values_list("client_id", "retail", "vulnerable")) == [
        ("A", True, True),
        ("B", False, False),
    ]
    with CaptureQueriesContext(connection) as ctx:
        v = compute(firm)
    assert (v.active_clients, v.vulnerable_active_retail_customers) == (2, 1)
    assert not any(ClientPositionRow._meta.db_table in q["sql"] for q in ctx.captured_queries)


def test_sup_16_34_6r_deleting_a_snapshot_deletes_its_rows_and_active_clients(firm):
    """No database foreign key on the rows (no per-row checks at COMMIT, below), but deleting
    the snapshot still takes its rows and active clients with it."""
    snapshot = load_snapshot(firm, Q1, [position("A", "A1"), position("B", "B1")])
    snapshot.delete()
    assert not ClientPositionRow.objects.exists() and not ActiveClient.objects.exists()


def test_bulk_tables_have_no_per_row_foreign_key_checks():
    """Issue 18: a deferred foreign key queues one check per row for COMMIT (5M for a large
    snapshot); the rows, active clients and items are written with their header in one
    transaction by the services, so their tables carry none."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL catalogue")
    tables = [
        ClientPositionRow._meta.db_table,
        ActiveClient._meta.db_table,
        ReturnItem._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        assert cursor.fetchall() == []


def test_sup_16_34_6r_1_2_items_are_stored_reading_the_complaints_once(firm):
    """The complaints behind every complaint metric (received, upheld both ways, each
    exclusion, each flag) are written by one INSERT whose plan reads the complaints table once,
    not once per metric."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL plan")
    a = make_complaint(firm=firm, received_at=london(2028, 2, 1, 10))
    make_complaint(  # feedback, not a Glossary complaint (E47)
        firm=firm,
        received_at=london(2028, 2, 2, 10),
        alleged_financial_loss=False,
        description="Just letting you know the app layout changed.",
    )
    uphold(a, london(2028, 3, 1, 10))
    with CaptureQueriesContext(connection) as ctx:
        v = compute(firm)
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("WITH c AS")]
    assert len(inserts) == 1
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {inserts[0]}")
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert len(re.findall(r"Scan (?:using \S+ )?on complaints_complaint\b", plan)) == 1, plan
    stored = set(ReturnItem.objects.filter(version=v).values_list("metric", "complaint_id"))
    assert stored >= {(Metric.RECEIVED, a.pk), (Metric.UPHELD, a.pk)}
    assert any(m == Metric.EXCLUDED_FEEDBACK for m, _ in stored)


def test_sup_16_34_6r_3_a_recompute_on_a_new_snapshot_lists_the_clients_that_came_and_went(
    firm,
):
    load_snapshot(firm, Q1, [position("A", "A1"), position("B", "B1")])
    compute(firm)
    load_snapshot(firm, Q1, [position("B", "B1"), position("C", "C1")], now=london(2028, 7, 3))
    v2 = compute(firm)
    assert v2.changes["items"][Metric.ACTIVE_CLIENTS] == {
        "added": ["C"],
        "removed": ["A"],
        "added_count": 1,
        "removed_count": 1,
    }
    v3 = compute(firm)  # the same snapshot: the same active clients, nothing listed
    assert Metric.ACTIVE_CLIENTS not in v3.changes["items"]


def _clients(firm, n: int, start: int = 0):
    return [position(f"K{i:04d}", f"K{i:04d}-1") for i in range(start, start + n)]


@pytest.mark.parametrize("n", [5, 120])
def test_active_clients_drilldown_pages_by_key_in_constant_queries(
    client, firm, officer, n, django_assert_num_queries
):
    """The active-clients drill-down (page and API) reads a page by key after the last client
    shown, counts nothing (the total is the figure) and runs the same queries at 5 clients as
    at 120, on the first page and on a late one."""
    load_snapshot(firm, Q1, _clients(firm, n))
    v = compute(firm)
    pk = v.sup16_return_id
    client.force_login(officer)
    url = reverse("reporting:return_items", args=[pk, 1, "active_clients"])
    with django_assert_num_queries(9):
        first = client.get(url)
    body = first.content.decode()
    assert "K0000" in body
    if n > 50:
        assert f"({n} in all)" in body and 'href="?after=K0049"' in body and "K0050" not in body
        with django_assert_num_queries(9):
            late = client.get(url, {"after": "K0049"}).content.decode()
        assert "K0050" in late and "K0049<" not in late and "First page" in late
    api = f"/api/reporting/returns/{pk}/versions/1/items/"
    with django_assert_num_queries(6):
        page = client.get(api, {"metric": "active_clients", "page_size": 50}).json()
    assert page["count"] == n and page["previous"] is None
    assert page["results"][0] == {
        "metric": "active_clients",
        "complaint_id": None,
        "complaint_reference": "",
        "client_id": "K0000",
    }
    if n > 50:
        assert "after=K0049" in page["next"]
        with django_assert_num_queries(6):
            second = client.get(page["next"]).json()
        assert [r["client_id"] for r in second["results"]][:1] == ["K0050"]
        assert second["previous"] is not None
    else:
        assert page["next"] is None


def test_active_clients_api_refuses_a_bad_page_size_or_cursor(client, firm, officer):
    load_snapshot(firm, Q1, _clients(firm, 3))
    pk = compute(firm).sup16_return_id
    client.force_login(officer)
    api = f"/api/reporting/returns/{pk}/versions/1/items/"
    bad = client.get(api, {"metric": "active_clients", "page_size": "0"})
    assert bad.status_code == 400 and "page_size" in bad.json()["fields"]
    long = client.get(api, {"metric": "active_clients", "after": "x" * 65})
    assert long.status_code == 400 and "after" in long.json()["fields"]
    for bad in ({"page_size": "²"}, {"after": "a\x00"}):
        response = client.get(api, {"metric": "active_clients", **bad})
        assert response.status_code == 400 and set(bad) <= set(response.json()["fields"])
    page = reverse("reporting:return_items", args=[pk, 1, "active_clients"])
    assert client.get(page, {"after": "K\x00"}).status_code == 400  # refused, never a 500


@pytest.mark.parametrize("n", [3, 60])
def test_complaint_drilldown_runs_constant_queries(
    client, firm, officer, n, django_assert_num_queries
):
    for i in range(n):
        make_complaint(firm=firm, received_at=london(2028, 2, 1 + i % 27, 10))
    load_snapshot(firm, Q1, _clients(firm, 2))
    pk = compute(firm).sup16_return_id
    client.force_login(officer)
    with django_assert_num_queries(9):
        page = client.get(reverse("reporting:return_items", args=[pk, 1, "received"]))
    assert f"({n} in all)" in page.content.decode() or n <= 50
    with django_assert_num_queries(7):
        listed = client.get(
            f"/api/reporting/returns/{pk}/versions/1/items/", {"metric": "received"}
        ).json()
    assert listed["count"] == n
    refs = [r["complaint_reference"] for r in listed["results"]]
    assert refs == sorted(refs)  # the drill-down's order: by reference


def test_the_compute_runs_with_memory_lent_and_no_jit_then_hands_them_back(firm):
    """The compute's bulk statements (the figures' aggregate, the items INSERTs, metric 4's
    clients, the comparison of two versions' items: a hash join of hundreds of thousands of
    items at a large firm) run with at least 64MB of ``work_mem``, so PostgreSQL does not split
    the join into batches on disk, and without JIT compilation, which took longer than the
    statements ran; the transaction's own values are back afterwards, and a larger ``work_mem``
    is never lowered."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL settings")
    make_complaint(firm=firm, received_at=london(2028, 2, 1, 10))
    load_snapshot(firm, Q1, _clients(firm, 2))
    compute(firm)
    for mine in ("4MB", "256MB"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [mine])
            cursor.execute("SELECT set_config('jit', 'on', true)")
            with CaptureQueriesContext(connection) as ctx:
                compute(firm)
            cursor.execute("SELECT current_setting('work_mem'), current_setting('jit')")
            assert cursor.fetchone() == (mine, "on")
        sql = [q["sql"] for q in ctx.captured_queries]
        lent = next(i for i, q in enumerate(sql) if "set_config('jit', 'off', true)" in q)
        assert "set_config('work_mem'" in sql[lent]
        back = next(i for i, q in enumerate(sql) if i > lent and "set_config('work_mem'" in q)
        inside = sql[lent + 1 : back]
        assert any("FULL JOIN" in q for q in inside)  # the comparison
        # The complaint items (a materialised CTE, then the INSERT) and metric 4's clients.
        assert sum("INSERT INTO reporting_returnitem" in q for q in inside) == 2
        assert any("COUNT(" in q and "complaints_complaint" in q for q in inside)  # figures
        assert not any("set_config" in q for q in inside)
