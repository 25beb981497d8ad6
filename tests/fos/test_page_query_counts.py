"""The FOS reads that had no query-count guard issue the same queries at 2 rows and at 6 (issue
18: query-count tests guard every page and API list): a referral's page and its deadlines in
the API, the open FOS deadlines across the user's firms and the fee ledger in the API. (The
referrals list, its MI and the fee-ledger page: tests/fos/test_views.py; the API referrals
list: tests/fos/test_api.py.)"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fos.services import fos_deadline_add
from tests.factories import london
from tests.fos.helpers import at, log, responded_complaint
from tests.fos.test_fees import _chargeable
from tests.query_counts import same_at_2_and_6

pytestmark = pytest.mark.django_db

REFERRED = date(2026, 1, 10)


@pytest.fixture
def referral(firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 1, 10))
    return log(c, handler, referred_on=REFERRED, fos_reference="PNX-1")


def _add_deadlines(referral, handler, start: int, stop: int) -> None:
    for i in range(start, stop):
        fos_deadline_add(
            referral_id=referral.pk,
            actor=handler,
            now=at(REFERRED),
            description=f"Send item {i}",
            due_on=REFERRED + timedelta(days=30 + i),
        )


@pytest.fixture
def api(handler):
    client = APIClient()
    client.force_authenticate(handler)
    return client


def _deadline_labels_shown(response, n):
    body = response.content.decode()
    assert all(f"Send item {i}" in body for i in range(n))


def test_referral_page_same_queries_at_2_and_6_deadlines(client, handler, referral):
    client.force_login(handler)
    same_at_2_and_6(
        client,
        reverse("fos:detail", args=[referral.pk]),
        lambda a, b: _add_deadlines(referral, handler, a, b),
        _deadline_labels_shown,
    )


def test_api_referral_deadlines_same_queries_at_2_and_6(api, handler, referral):
    same_at_2_and_6(
        api,
        f"/api/fos/referrals/{referral.pk}/deadlines/",
        lambda a, b: _add_deadlines(referral, handler, a, b),
        _deadline_labels_shown,
    )


def test_api_open_fos_deadlines_same_queries_at_2_and_6(api, handler, referral):
    same_at_2_and_6(
        api,
        "/api/fos/deadlines/",
        lambda a, b: _add_deadlines(referral, handler, a, b),
        _deadline_labels_shown,
    )


def test_api_fee_ledger_same_queries_at_2_and_6_cases(api, handler, firm):
    def add(start, stop):
        for month in range(5 + start, 5 + stop):
            _chargeable(firm, handler, date(2025, month, 1))

    def shown(response, n):
        assert sum(len(year["lines"]) for year in response.json()) == n

    same_at_2_and_6(api, "/api/fos/fees/ledger/", add, shown, {"firm": firm.pk})
