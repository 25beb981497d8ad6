"""The MI dashboard's tiles drill down to the complaints behind them (issue 16), and money
reads as money ("£1,510.05"), on the page, in the charts and in the CSV (as a number)."""

import re
from decimal import Decimal

import pytest
import time_machine

from common.display import gbp
from complaints.models import Complaint
from remediation import charts, mi
from tests.factories import make_complaint
from tests.remediation.test_mi import PERIOD, TODAY_DT, fixture  # noqa: F401

pytestmark = pytest.mark.django_db

QUERY = "date_from=2026-04-01&date_to=2026-05-31"


def _listed(page: str) -> list[str]:
    body = page.split('<table id="mi-complaints">')[1].split("</table>")[0]
    return re.findall(r'href="/complaints/(\d+)/"', body)


def test_each_tile_lists_exactly_the_complaints_its_figure_counts(client, fixture, supervisor):  # noqa: F811
    client.force_login(supervisor)
    with time_machine.travel(TODAY_DT, tick=False):
        page = client.get(f"/remediation/?{QUERY}").content.decode()
        data = mi.dashboard(Complaint.objects.filter(firm=fixture), **PERIOD)
        figures = {
            "received": data.total.received,
            "decided": data.total.decided,
            "upheld": data.total.upheld,
            "breached": data.total.breached,
        }
        assert figures == {"received": 5, "decided": 3, "upheld": 2, "breached": 2}
        for tile, figure in figures.items():
            link = f"/remediation/mi/complaints/{tile}/?{QUERY}".replace("&", "&amp;")
            assert f'id="tile-{tile}" href="{link}"' in page
            listing = client.get(f"/remediation/mi/complaints/{tile}/?{QUERY}")
            assert listing.status_code == 200
            assert len(_listed(listing.content.decode())) == figure, tile
        paid = client.get(f"/remediation/mi/complaints/redress_paid/?{QUERY}")
    rows = paid.context["page"].object_list
    assert sum(c.f_paid for c in rows) == data.total.redress_paid == Decimal("150.00")
    assert "£100.00" in paid.content.decode() and "£50.00" in paid.content.decode()
    assert client.get("/remediation/mi/complaints/nonsense/").status_code == 404


def test_tile_list_is_for_mi_viewers_only(client, handler):
    client.force_login(handler)
    assert client.get("/remediation/mi/complaints/received/").status_code == 403


def test_tile_list_query_count_is_constant_and_paginated(
    client, firm, handler, supervisor, django_assert_max_num_queries
):
    client.force_login(supervisor)
    url = f"/remediation/mi/complaints/received/?{QUERY}"
    for day in range(2, 5):
        make_complaint(firm=firm, received_at=TODAY_DT.replace(month=4, day=day), actor=handler)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for day in range(6, 30):
        make_complaint(firm=firm, received_at=TODAY_DT.replace(month=4, day=day), actor=handler)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 27


def test_money_is_shown_as_money_and_exported_as_a_number():
    """A database sum comes back as Decimal("1510.05000000000"): people read £1,510.05."""
    raw = Decimal("1510.05000000000")
    assert gbp(raw) == "£1,510.05"
    assert gbp(None) == "—"
    row = mi._row(
        "x",
        "Apr 2026",
        {"received": 1, "decided": 1, "upheld": 1, "breached": 0, "redress_paid": raw},
    )
    assert str(row.redress_paid) == "1510.05"
    assert list(mi.csv_table("month", [row]).rows)[0][-1] == Decimal("1510.05")
    chart = charts.column_chart(
        chart_id="c",
        title="t",
        desc="d",
        rows=[row],
        series=(charts.Series("redress_paid", "Redress paid (GBP)", "#1e5b36"),),
    )
    assert "£1,510.05" in chart and "1510.05000" not in chart
