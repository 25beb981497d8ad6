"""The complaint-page panel (stands alone) and the remediation pages."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from complaints.panels import complaint_panels
from remediation import services
from remediation.models import Incident, RedressItem
from tests.factories import FirmFactory, london, make_complaint

from .conftest import RECEIVED, investigating

pytestmark = pytest.mark.django_db


def test_panel_is_registered_and_renders_on_its_own(firm, handler):
    c = investigating(firm, handler)
    request = RequestFactory().get(f"/complaints/{c.pk}/")
    request.user = handler
    request.session = {}
    panels = dict((p.key, (p, ctx)) for p, ctx in complaint_panels(request, c))
    panel, ctx = panels["remediation"]
    html = render_to_string(panel.template, ctx, request=request)
    assert "Redress ledger" in html and "Offer redress or remedial action" in html
    assert f'action="/remediation/complaints/{c.pk}/redress/"' in html


def test_offer_redress_from_the_panel_and_see_errors(client, firm, handler):
    c = investigating(firm, handler)
    client.force_login(handler)
    url = f"/remediation/complaints/{c.pk}/"
    bad = client.post(
        f"{url}redress/", {"redress-kind": "financial_loss", "next": url}, follow=True
    )
    assert "Required for a payment" in bad.content.decode()
    assert not RedressItem.objects.exists()
    ok = client.post(
        f"{url}redress/",
        {"redress-kind": "distress_inconvenience", "redress-amount_gbp": "150.00", "next": url},
        follow=True,
    )
    assert "Redress offer recorded." in ok.content.decode()
    item = RedressItem.objects.get()
    client.post(
        f"/remediation/redress/{item.pk}/step/", {"op": "accept", "version": 1, "next": url}
    )
    assert RedressItem.objects.get().status == "accepted"


def test_link_one_complaint_to_an_incident_from_the_panel(client, firm, handler, supervisor):
    c = investigating(firm, handler)
    incident = services.incident_create(
        firm=firm,
        actor=supervisor,
        now=RECEIVED,
        name="Outage",
        started_at=RECEIVED - timedelta(hours=1),
    )
    client.force_login(handler)
    client.post(f"/remediation/complaints/{c.pk}/incident/", {"incident": incident.pk})
    assert incident.links.filter(complaint=c).exists()


def test_other_firms_complaint_page_is_404(client, handler):
    other = make_complaint(firm=FirmFactory(), received_at=RECEIVED)
    client.force_login(handler)
    assert client.get(f"/remediation/complaints/{other.pk}/").status_code == 404
    assert client.post(f"/remediation/complaints/{other.pk}/redress/", {}).status_code == 404


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


def test_pages_render_for_a_supervisor(client, firm, supervisor):
    client.force_login(supervisor)
    for url in (
        "/remediation/incidents/",
        "/remediation/actions/",
        "/remediation/redress/",
        "/remediation/root-causes/",
        "/remediation/",
    ):
        assert client.get(url).status_code == 200, url
