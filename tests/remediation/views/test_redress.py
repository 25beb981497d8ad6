"""Redress from the complaint panel, and the ledger page with its overdue flag."""

import pytest
import time_machine

from remediation.models import RedressItem
from remediation.services.redress import redress_accept
from tests.factories import london

from ..conftest import ACCEPTED, investigating

pytestmark = pytest.mark.django_db


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


def test_overdue_flag_is_visible_on_the_ledger_page(item, handler, supervisor, client):
    redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    client.force_login(supervisor)
    with time_machine.travel(london(2026, 5, 12, 12), tick=False):
        page = client.get("/remediation/redress/?overdue=1").content.decode()
        assert "Nothing here." in page
    with time_machine.travel(london(2026, 5, 13, 9), tick=False):
        page = client.get("/remediation/redress/?overdue=1").content.decode()
        assert "rem-flag--overdue" in page and item.complaint.reference in page
        panel = client.get(f"/remediation/complaints/{item.complaint_id}/").content.decode()
        assert "Payment overdue" in panel
