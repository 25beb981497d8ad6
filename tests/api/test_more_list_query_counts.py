"""More API lists issue the same queries at 2 rows and at 6 (issue 18: query-count tests
guard every API list): the proclaimed bank holidays and a complaint's redress. (The other lists:
tests/api/test_list_query_counts.py and the apps' own query-count tests.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from complaints.services import bank_holiday_proclaim
from remediation.models import RedressKind
from remediation.services.redress import RedressData, redress_offer
from tests.api.conftest import NOW, client_for
from tests.api.test_list_query_counts import _rows
from tests.query_counts import same_at_2_and_6

pytestmark = pytest.mark.django_db

# Weekdays far from the complaints under test: no deadline moves.
FIRST_MONDAY = date(2030, 6, 3)


def _add_bank_holiday(complaint, supervisor, i: int) -> None:
    bank_holiday_proclaim(
        region="england-and-wales",
        day=FIRST_MONDAY + timedelta(days=7 * i),
        name=f"Proclaimed holiday {i}",
        actor=supervisor,
        now=NOW,
    )


def _add_redress(complaint, supervisor, i: int) -> None:
    redress_offer(
        complaint_id=complaint.pk,
        actor=supervisor,
        now=NOW,
        data=RedressData(kind=RedressKind.FINANCIAL_LOSS, amount_gbp=Decimal(100 + i)),
    )


LISTS: dict[str, tuple[str, Callable]] = {
    "bank holidays": ("/api/bank-holidays/", _add_bank_holiday),
    "complaint redress": ("/api/remediation/complaints/{pk}/redress/", _add_redress),
}


@pytest.mark.parametrize("name", LISTS)
def test_api_list_issues_the_same_queries_at_2_and_6_rows(complaint, supervisor, name):
    path, add = LISTS[name]

    def add_rows(start, stop):
        for i in range(start, stop):
            add(complaint, supervisor, i)

    def shown(response, rows):
        assert _rows(response.json()) == rows

    same_at_2_and_6(client_for(supervisor), path.format(pk=complaint.pk), add_rows, shown)
