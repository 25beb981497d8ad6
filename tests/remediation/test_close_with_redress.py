"""DISP 1.4.1R(5): comply promptly with redress the complainant accepts. Closing a complaint
while accepted redress is unpaid, or while an offer still waits for the complainant's answer,
needs a recorded reason, in the services, on the complaint page and in the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from common.errors import ValidationFailed
from complaints import guards
from complaints import services as cs
from complaints.choices import Outcome, Status
from complaints.errors import ErrorCode
from complaints.models import Complaint, Note
from remediation.services import redress as services

from .conftest import RECEIVED, final, investigating
from .test_outcome_rules import offer

pytestmark = pytest.mark.django_db

AT = RECEIVED + timedelta(days=12)


def _responded_with_offer(firm, handler, *, accepted: bool):
    c = investigating(firm, handler)
    item = offer(c, handler)
    final(c, handler, Outcome.UPHELD)
    if accepted:
        services.redress_accept(item_id=item.pk, actor=handler, now=RECEIVED + timedelta(days=11))
    return c, item


@pytest.mark.parametrize(
    ("accepted", "code"),
    [(True, ErrorCode.ACCEPTED_REDRESS_UNPAID), (False, ErrorCode.REDRESS_OFFER_OPEN)],
)
def test_disp_1_4_1r_5_close_with_redress_outstanding_needs_a_reason(firm, handler, accepted, code):
    c, _ = _responded_with_offer(firm, handler, accepted=accepted)
    with pytest.raises(ValidationFailed) as exc:
        cs.complaint_close(complaint_id=c.pk, actor=handler, now=AT, reason="  ")
    assert exc.value.code == code
    assert exc.value.rule == "DISP 1.4.1R(5)"
    assert list(exc.value.fields) == ["reason"]
    assert Complaint.objects.get(pk=c.pk).status == Status.FINAL_RESPONSE_SENT
    assert not Note.objects.filter(complaint=c).exists()


@pytest.mark.parametrize("accepted", [True, False])
def test_disp_1_4_1r_5_close_with_a_reason_records_it(firm, handler, accepted):
    c, _ = _responded_with_offer(firm, handler, accepted=accepted)
    reason = "Payment goes out in the custodian's Friday batch; the ledger tracks it."
    closed = cs.complaint_close(complaint_id=c.pk, actor=handler, now=AT, reason=reason)
    assert closed.status == Status.CLOSED
    note = Note.objects.get(complaint=c)
    assert reason in note.body and note.author == handler
    assert "DISP 1.4.1R(5)" in note.body


def test_disp_1_4_1r_5_close_needs_no_reason_once_redress_is_settled(firm, handler):
    c, item = _responded_with_offer(firm, handler, accepted=True)
    services.redress_pay(item_id=item.pk, actor=handler, now=AT, payment_reference="FPS-1")
    declined = offer(c, handler, now=AT)
    services.redress_decline(item_id=declined.pk, actor=handler, now=AT)
    cs.complaint_close(complaint_id=c.pk, actor=handler, now=AT + timedelta(hours=1))
    assert Complaint.objects.get(pk=c.pk).status == Status.CLOSED


def test_disp_1_4_1r_5_close_is_offered_with_what_it_needs(firm, handler):
    c, _ = _responded_with_offer(firm, handler, accepted=False)
    close = {a.name: a for a in guards.available_actions(Complaint.objects.get(pk=c.pk), AT)}[
        "close"
    ]
    assert close.allowed
    assert "offer" in close.needs and close.rule == "DISP 1.4.1R(5)"


def test_disp_1_4_1r_5_close_page_asks_for_the_reason(client, firm, handler):
    c, _ = _responded_with_offer(firm, handler, accepted=True)
    client.force_login(handler)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert 'name="reason"' in page.split('id="action-close"')[1].split("</form>")[0]
    fresh = Complaint.objects.get(pk=c.pk)
    response = client.post(
        reverse("complaints:act", args=[c.pk, "close"]), {"expected_version": fresh.version}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "DISP 1.4.1R(5)" in html and "still to be paid" in html
    assert Complaint.objects.get(pk=c.pk).status == Status.FINAL_RESPONSE_SENT
    response = client.post(
        reverse("complaints:act", args=[c.pk, "close"]),
        {"expected_version": fresh.version, "reason": "Paid by the custodian on Monday."},
    )
    assert response.status_code == 302
    assert Complaint.objects.get(pk=c.pk).status == Status.CLOSED


def test_disp_1_4_1r_5_close_api_refuses_without_a_reason_naming_the_field(firm, handler):
    c, _ = _responded_with_offer(firm, handler, accepted=False)
    api = APIClient()
    api.force_authenticate(handler)
    detail = api.get(reverse("api-complaint-detail", args=[c.pk])).json()
    close = next(a for a in detail["available_actions"] if a["name"] == "close")
    assert close["allowed"] and "offer" in close["needs"]
    response = api.post(reverse("api-complaint-close", args=[c.pk]), {}, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "redress_offer_open" and body["rule"] == "DISP 1.4.1R(5)"
    assert "reason" in body["fields"]
    response = api.post(
        reverse("api-complaint-close", args=[c.pk]),
        {"reason": "The complainant stopped replying; offer stays open on the ledger."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"
