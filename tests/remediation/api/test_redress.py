"""API: the outcome read and the redress ledger, the common.api error shape and firm scoping."""

from datetime import timedelta

import pytest

from complaints.choices import Outcome
from remediation.models import RedressItem
from remediation.services.redress import RedressData, redress_accept, redress_offer
from tests.factories import FirmFactory, make_complaint

from ..conftest import RECEIVED, final

pytestmark = pytest.mark.django_db


def test_redress_lifecycle_through_the_api(api, complaint):
    created = api.post(
        f"/api/remediation/complaints/{complaint.pk}/redress/",
        {
            "kind": "financial_loss",
            "amount_gbp": "3412.50",
            "asset": "BTC",
            "quantity": "0.05",
            "valuation_date": "2026-03-14",
            "unit_price_gbp": "68250",
            "price_source": "Order book mid",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    item = created.json()
    assert item["status"] == "offered" and item["amount_gbp"] == "3412.50"
    accepted = api.post(f"/api/remediation/redress/{item['id']}/accept/", {}, format="json")
    assert accepted.json()["status"] == "accepted" and accepted.json()["payment_due_on"]
    paid = api.post(
        f"/api/remediation/redress/{item['id']}/pay/", {"payment_reference": "FPS-1"}, format="json"
    )
    assert paid.json()["status"] == "paid"
    again = api.post(
        f"/api/remediation/redress/{item['id']}/pay/", {"payment_reference": "x"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    listed = api.get(f"/api/remediation/complaints/{complaint.pk}/redress/").json()
    assert [i["id"] for i in listed] == [item["id"]]


def test_bad_redress_input_is_a_400_naming_the_field(api, complaint):
    response = api.post(
        f"/api/remediation/complaints/{complaint.pk}/redress/",
        {"kind": "interest", "amount_gbp": "10.00"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and "interest_basis" in body["fields"]
    assert not RedressItem.objects.exists()


def test_other_firms_objects_are_404(api):
    other = make_complaint(firm=FirmFactory(), received_at=RECEIVED)
    assert api.get(f"/api/remediation/complaints/{other.pk}/outcome/").status_code == 404
    r = api.post(
        f"/api/remediation/complaints/{other.pk}/redress/",
        {"kind": "goodwill", "amount_gbp": "5"},
        format="json",
    )
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_outcome_read_with_history_and_gap(api, complaint, handler):
    final(complaint, handler, Outcome.UPHELD)
    body = api.get(f"/api/remediation/complaints/{complaint.pk}/outcome/").json()
    assert body["outcome"] == "upheld" and body["counted_as_upheld"] is True
    assert "redress" in body["redress_decision_outstanding"]
    assert [h["outcome"] for h in body["history"]] == ["upheld"]


def test_overdue_ledger_list_is_constant_queries(api, firm, handler, django_assert_max_num_queries):
    for i in range(3):
        c = make_complaint(firm=firm, received_at=RECEIVED + timedelta(hours=i), actor=handler)
        item = redress_offer(
            complaint_id=c.pk,
            actor=handler,
            now=RECEIVED + timedelta(days=1),
            data=RedressData(kind="goodwill", amount_gbp=10),
        )
        redress_accept(item_id=item.pk, actor=handler, now=RECEIVED + timedelta(days=1))
    with django_assert_max_num_queries(4):
        body = api.get("/api/remediation/redress/?overdue=1").json()
    assert body["count"] == 3 and all(i["is_overdue"] for i in body["results"])
