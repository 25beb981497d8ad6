"""The reporting reads that had no query-count guard issue the same queries at 2 rows and at 6
(issue 18: query-count tests guard every page and API list): a firm's reporting dashboard (its
snapshots and returns), a snapshot's page (its positions), a return's page (its versions) and
the API's periods, snapshots and returns lists. (The return's drill-downs:
tests/reporting/test_return_scale.py; ``/reporting/`` itself only redirects to the dashboard.)"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from reporting.models import Sup16Return
from reporting.services import return_compute
from tests.factories import london
from tests.query_counts import count_get, same_at_2_and_6
from tests.reporting.helpers import load_snapshot, position

pytestmark = pytest.mark.django_db

# Six closed quarters of the factory firm's calendar, oldest first.
QUARTERS = [
    date(2027, 3, 31),
    date(2027, 6, 30),
    date(2027, 9, 30),
    date(2027, 12, 31),
    date(2028, 3, 31),
    date(2028, 6, 30),
]


@pytest.fixture(autouse=True)
def in_july_2028():
    with time_machine.travel(london(2028, 7, 3, 9), tick=True):
        yield


def _quarters(firm, officer):
    """``add`` for the firm's snapshots and returns: one of each per quarter."""
    made = []

    def add(start, stop):
        for i in range(start, stop):
            load_snapshot(firm, QUARTERS[i], [position(f"C{i}", f"A{i}")])
            made.append(
                return_compute(
                    firm=firm, period_end=QUARTERS[i], actor=officer, now=london(2028, 7, 2, 9)
                )
            )

    return add, made


def test_dashboard_same_queries_at_2_and_6_snapshots_and_returns(client, firm, officer):
    add, made = _quarters(firm, officer)

    def shown(response, n):
        body = response.content.decode()
        for v in made[:n]:
            assert reverse("reporting:return_detail", args=[v.sup16_return_id]) in body
            assert reverse("reporting:snapshot_detail", args=[v.snapshot_id]) in body

    client.force_login(officer)
    same_at_2_and_6(client, reverse("reporting:dashboard", args=[firm.pk]), add, shown)


def test_snapshot_page_same_queries_at_2_and_6_positions(client, firm, officer):
    client.force_login(officer)
    counts = []
    for n in (2, 6):
        snap = load_snapshot(firm, QUARTERS[-1], [position(f"C{i}", f"A{i}") for i in range(n)])
        url = reverse("reporting:snapshot_detail", args=[snap.pk])
        client.get(url)  # warm the session and user caches
        queries, response = count_get(client, url)
        assert [row.client_id for row in response.context["page"]] == [f"C{i}" for i in range(n)]
        counts.append(queries)
    assert counts[0] == counts[1]


def test_return_page_same_queries_at_2_and_6_versions(client, firm, officer):
    load_snapshot(firm, QUARTERS[0], [position("C", "A")])

    def add(start, stop):
        for i in range(start, stop):
            return_compute(
                firm=firm, period_end=QUARTERS[0], actor=officer, now=london(2028, 7, 2, 9 + i)
            )

    add(0, 1)
    filing = Sup16Return.objects.get(firm=firm)

    def shown(response, n):
        assert [v.number for v in response.context["versions"]] == list(range(n, 0, -1))
        assert f"Version {n}" in response.content.decode()

    client.force_login(officer)
    same_at_2_and_6(
        client,
        reverse("reporting:return_detail", args=[filing.pk]),
        lambda a, b: add(max(a, 1), b),
        shown,
    )


@pytest.fixture
def api(client, officer):
    client.force_login(officer)
    return client


def test_api_snapshots_same_queries_at_2_and_6(api, firm, officer):
    add, _ = _quarters(firm, officer)

    def shown(response, n):
        assert len(response.json()["results"]) == n

    same_at_2_and_6(api, f"/api/reporting/firms/{firm.pk}/snapshots/", add, shown)


def test_api_returns_same_queries_at_2_and_6(api, firm, officer):
    add, _ = _quarters(firm, officer)

    def shown(response, n):
        assert len(response.json()["results"]) == n

    same_at_2_and_6(api, f"/api/reporting/firms/{firm.pk}/returns/", add, shown)


def test_api_periods_same_queries_at_2_and_6_returns(api, firm, officer):
    add, _ = _quarters(firm, officer)

    def shown(response, n):
        assert sum(p["return_id"] is not None for p in response.json()) == n

    params = {"from": "2027-01-01", "to": "2028-06-30"}
    same_at_2_and_6(api, f"/api/reporting/firms/{firm.pk}/periods/", add, shown, params)
