"""The complaint-page panel (stands alone) and its page of its own."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from complaints.panels import complaint_panels
from tests.factories import FirmFactory, make_complaint

from ..conftest import RECEIVED, investigating

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


def test_other_firms_complaint_page_is_404(client, handler):
    other = make_complaint(firm=FirmFactory(), received_at=RECEIVED)
    client.force_login(handler)
    assert client.get(f"/remediation/complaints/{other.pk}/").status_code == 404
    assert client.post(f"/remediation/complaints/{other.pk}/redress/", {}).status_code == 404
