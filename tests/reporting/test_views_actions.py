"""The return pages' actions as a browser posts them: compute, approve and record the
submission, each with its flash and where it lands (common.pageactions runs them)."""

from datetime import date

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from reporting.models import ReturnVersion
from tests.factories import london, make_complaint
from tests.reporting.helpers import load_snapshot, position

pytestmark = pytest.mark.django_db
Q1 = date(2028, 3, 31)


@pytest.fixture(autouse=True)
def in_july_2028():
    with time_machine.travel(london(2028, 7, 3, 9), tick=True):
        yield


def _flashes(response) -> list[str]:
    """The messages the response flashed (read, so the next request starts with none)."""
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return shown


def test_compute_approve_and_submit_from_the_pages(client, firm, officer, approver):
    make_complaint(firm=firm, received_at=london(2028, 2, 1, 10))
    load_snapshot(firm, Q1, [position("A", "A1")])
    client.force_login(officer)
    compute = reverse("reporting:compute", args=[firm.pk])
    dashboard = reverse("reporting:dashboard", args=[firm.pk])
    missing = client.post(compute, {})
    assert missing.status_code == 302 and missing["Location"] == dashboard
    assert _flashes(missing) == ["Choose the period end to compute."]
    future = client.post(compute, {"period_end": "2028-09-30"})
    assert future.status_code == 302 and future["Location"] == dashboard
    assert _flashes(future) == ["The period ending 2028-09-30 has not ended yet."]
    ok = client.post(compute, {"period_end": Q1.isoformat()})
    version = ReturnVersion.objects.get()
    detail = reverse("reporting:return_detail", args=[version.sup16_return_id])
    assert ok.status_code == 302 and ok["Location"] == detail
    assert _flashes(ok) == ["Computed version 1."]

    own = client.post(reverse("reporting:return_approve", args=[version.sup16_return_id, 1]))
    assert own.status_code == 302 and own["Location"] == f"{detail}?version=1"
    assert _flashes(own) == ["The person who prepared a return cannot also approve it."]
    client.force_login(approver)
    approved = client.post(reverse("reporting:return_approve", args=[version.sup16_return_id, 1]))
    assert approved["Location"] == f"{detail}?version=1"
    assert _flashes(approved) == ["Version 1 approved and frozen."]
    submit = reverse("reporting:return_submit", args=[version.sup16_return_id, 1])
    submitted = client.post(submit, {"submission_reference": "GAB-1"})
    assert submitted.status_code == 302 and submitted["Location"] == f"{detail}?version=1"
    assert _flashes(submitted) == ["Version 1 recorded as submitted to the FCA."]
    assert ReturnVersion.objects.get().submission_reference == "GAB-1"
    again = client.post(submit, {"submission_reference": "x" * 101})
    assert again.status_code == 302 and len(_flashes(again)) == 1
    assert ReturnVersion.objects.get().submission_reference == "GAB-1"


def test_sup_16_34_6r_3_4_nil_declaration_page_then_approve_from_the_return_page(
    client, firm, officer, approver
):
    """SUP 16.34.6R(3)-(4) in the pages: the nil declaration form refuses without the
    confirmation (on the form, nothing saved), records it with a flash, and the return computed
    from it shows the declaration and can be approved."""
    from reporting.models import ClientPositionSnapshot

    client.force_login(officer)
    dashboard = client.get(reverse("reporting:dashboard", args=[firm.pk])).content.decode()
    url = reverse("reporting:snapshot_nil", args=[firm.pk])
    assert url in dashboard
    assert client.get(url).status_code == 200
    refused = client.post(url, {"as_at": Q1.isoformat()})
    assert refused.status_code == 400
    assert "Confirm that the firm had no client arrangements" in refused.content.decode()
    assert not ClientPositionSnapshot.objects.exists()
    made = client.post(url, {"as_at": Q1.isoformat(), "confirm": "on", "note": "Ledger empty."})
    nil = ClientPositionSnapshot.objects.get()
    assert made["Location"] == reverse("reporting:snapshot_detail", args=[nil.pk])
    assert _flashes(made) == ["Nil declaration recorded."]
    detail = client.get(made["Location"]).content.decode()
    assert "Nil declaration" in detail and "Ledger empty." in detail
    assert "snapshot.declare_nil" in detail

    client.post(reverse("reporting:compute", args=[firm.pk]), {"period_end": Q1.isoformat()})
    version = ReturnVersion.objects.get()
    client.force_login(approver)
    page = client.get(reverse("reporting:return_detail", args=[version.sup16_return_id]))
    assert "Nil declaration</a> by" in page.content.decode()
    approved = client.post(reverse("reporting:return_approve", args=[version.sup16_return_id, 1]))
    assert _flashes(approved) == ["Version 1 approved and frozen."]
    assert ReturnVersion.objects.get().status == "approved"
