"""API: the common.api error shape, firm scoping (404), and the service behind each endpoint."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from complaints import services as cs
from complaints.choices import Outcome
from remediation import services
from remediation.models import IncidentLink, RedressItem
from tests.factories import FirmFactory, london, make_complaint

from .conftest import RECEIVED, final, investigating

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(handler):
    client = APIClient()
    client.force_authenticate(handler)
    return client


@pytest.fixture
def complaint(firm, handler):
    return investigating(firm, handler)


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


def test_root_cause_taxonomy_and_assignment(api, complaint, firm, supervisor):
    parent = services.root_cause_create(firm=firm, actor=supervisor, name="Platform")
    child = services.root_cause_create(
        firm=firm, actor=supervisor, name="Outage", parent_id=parent.pk
    )
    tree = api.get("/api/remediation/root-causes/").json()
    assert [(n["path"], n["depth"]) for n in tree] == [("Platform", 0), ("Platform › Outage", 1)]
    r = api.post(
        f"/api/remediation/complaints/{complaint.pk}/root-causes/",
        {"root_cause": child.pk},
        format="json",
    )
    assert r.status_code == 201 and r.json()["path"] == "Platform › Outage"
    dup = api.post(
        f"/api/remediation/complaints/{complaint.pk}/root-causes/",
        {"root_cause": child.pk},
        format="json",
    )
    assert dup.status_code == 400 and dup.json()["code"] == "duplicate"
    assert (
        api.delete(
            f"/api/remediation/complaints/{complaint.pk}/root-causes/{child.pk}/"
        ).status_code
        == 204
    )


def test_incident_crud_link_and_bulk_acknowledge(firm, supervisor, handler):
    api = APIClient()
    api.force_authenticate(supervisor)
    created = api.post(
        "/api/remediation/incidents/",
        {
            "name": "GBPN de-peg",
            "started_at": "2026-03-14T06:00:00Z",
            "ended_at": "2026-03-15T18:00:00Z",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    complaints = [
        make_complaint(
            firm=firm,
            received_at=london(2026, 3, 14, 9 + i),
            actor=handler,
            description="GBPN redemption refused",
        )
        for i in range(3)
    ]
    cs.complaint_acknowledge(
        complaint_id=complaints[0].pk, actor=handler, now=london(2026, 3, 15, 9)
    )
    linked = api.post(
        f"/api/remediation/incidents/{pk}/link/", {"search": {"text": "GBPN"}}, format="json"
    )
    assert linked.json() == {"linked": 3, "already_linked": 0}
    run = api.post(f"/api/remediation/incidents/{pk}/bulk-acknowledge/", {}, format="json").json()
    assert (run["succeeded"], run["failed"]) == (2, 1)
    failed = [r for r in run["results"] if not r["ok"]]
    assert failed[0]["complaint_id"] == complaints[0].pk and failed[0]["reason"]
    detail = api.get(f"/api/remediation/incidents/{pk}/").json()
    assert detail["linked"] == 3
    assert api.delete(f"/api/remediation/incidents/{pk}/").status_code == 409
    api.post(
        f"/api/remediation/incidents/{pk}/unlink/",
        {"complaint_ids": [c.pk for c in complaints]},
        format="json",
    )
    assert not IncidentLink.objects.exists()
    assert api.delete(f"/api/remediation/incidents/{pk}/").status_code == 204


def test_handlers_cannot_manage_incidents(api):
    r = api.post(
        "/api/remediation/incidents/",
        {"name": "x", "started_at": "2026-03-14T06:00:00Z"},
        format="json",
    )
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"


def test_overdue_ledger_list_is_constant_queries(api, firm, handler, django_assert_max_num_queries):
    for i in range(3):
        c = make_complaint(firm=firm, received_at=RECEIVED + timedelta(hours=i), actor=handler)
        item = services.redress_offer(
            complaint_id=c.pk,
            actor=handler,
            now=RECEIVED + timedelta(days=1),
            data=services.RedressData(kind="goodwill", amount_gbp=10),
        )
        services.redress_accept(item_id=item.pk, actor=handler, now=RECEIVED + timedelta(days=1))
    with django_assert_max_num_queries(4):
        body = api.get("/api/remediation/redress/?overdue=1").json()
    assert body["count"] == 3 and all(i["is_overdue"] for i in body["results"])


def test_openapi_schema_documents_the_remediation_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "/api/remediation/incidents/{id}/bulk-acknowledge/" in paths
    responses = paths["/api/remediation/redress/{id}/pay/"]["post"]["responses"]
    assert {"200", "400", "404", "409"} <= set(responses)
