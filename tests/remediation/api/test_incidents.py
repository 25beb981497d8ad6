"""API: incidents, linking and bulk actions; who may manage them."""

import pytest
from rest_framework.test import APIClient

from complaints import services as cs
from remediation.models import IncidentLink
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db


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
    assert created.json()["linked"] == 0  # the schema's Incident: ``linked`` is always there
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
