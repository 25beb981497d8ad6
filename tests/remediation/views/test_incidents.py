"""The incident pages: record, search and link, bulk actions and their report; linking one
complaint from its panel."""

from datetime import timedelta

import pytest

from complaints import services as cs
from remediation.models import Incident, IncidentLink
from remediation.services.incidents import incident_create, incident_link
from tests.factories import london

from ..conftest import OUTAGE_NOW, RECEIVED, investigating

pytestmark = pytest.mark.django_db


def test_link_one_complaint_to_an_incident_from_the_panel(client, firm, handler, supervisor):
    c = investigating(firm, handler)
    incident = incident_create(
        firm=firm,
        actor=supervisor,
        now=RECEIVED,
        name="Outage",
        started_at=RECEIVED - timedelta(hours=1),
    )
    client.force_login(handler)
    client.post(f"/remediation/complaints/{c.pk}/incident/", {"incident": incident.pk})
    assert incident.links.filter(complaint=c).exists()


def test_incident_pages_and_form_errors(client, firm, supervisor):
    client.force_login(supervisor)
    bad = client.post("/remediation/incidents/", {"name": "", "started_at": ""})
    assert bad.status_code == 400 and not Incident.objects.exists()
    ok = client.post(
        "/remediation/incidents/",
        {"name": "GBPN de-peg", "started_at": "2026-03-14T06:00", "ended_at": "2026-03-14T05:00"},
    )
    assert ok.status_code == 400 and "Cannot be before the start" in ok.content.decode()
    good = client.post(
        "/remediation/incidents/", {"name": "GBPN de-peg", "started_at": "2026-03-14T06:00"}
    )
    incident = Incident.objects.get()
    assert good["Location"] == f"/remediation/incidents/{incident.pk}/"
    assert incident.started_at == london(2026, 3, 14, 6)
    assert "ongoing" in client.get(good["Location"]).content.decode()


def test_bulk_pages_report_each_complaint(client, incident, outage_complaints, handler, supervisor):
    ids = [c.pk for c in outage_complaints]
    incident_link(incident_id=incident.pk, complaint_ids=ids, actor=supervisor, now=OUTAGE_NOW)
    cs.complaint_acknowledge(complaint_id=ids[0], actor=handler, now=OUTAGE_NOW)
    client.force_login(supervisor)
    response = client.post(f"/remediation/incidents/{incident.pk}/bulk/", {"action": "acknowledge"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "3 succeeded, 1 failed" in page and outage_complaints[0].reference in page


def test_handler_cannot_run_bulk_actions(client, incident, handler):
    client.force_login(handler)
    assert (
        client.post(
            f"/remediation/incidents/{incident.pk}/bulk/", {"action": "acknowledge"}
        ).status_code
        == 403
    )


def test_link_all_search_results_from_the_page(client, incident, outage_complaints, supervisor):
    client.force_login(supervisor)
    page = client.get(f"/remediation/incidents/{incident.pk}/", {"text": "outage"})
    assert all(c.reference in page.content.decode() for c in outage_complaints)
    client.post(
        f"/remediation/incidents/{incident.pk}/link/",
        {"all_results": "1", "text": "outage", "received_from": "2026-03-14"},
    )
    assert IncidentLink.objects.filter(incident=incident).count() == 4
