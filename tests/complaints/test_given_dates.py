"""Dates a handler gives for a lifecycle step (issue #14 item 9). DISP counts every response
from the complaint's receipt (DISP 1.5.1R, 1.6.1R, 1.6.2R: "after its receipt"), so a letter,
an acceptance or a withdrawal dated before the complaint arrived, or in year 10, is a typing
mistake that would corrupt the record: it is refused on the field, in the services, the API
and the page alike, and nothing is saved."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from common.errors import ValidationFailed
from complaints import services
from complaints.choices import Outcome, Status
from complaints.models import Communication, Complaint
from tests.api.conftest import client_for
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 2, 16, 0)  # Thu 2 Apr 2026 16:00 (disp-rules E1)
NOW = london(2026, 4, 3, 10, 0)
BEFORE = RECEIVED - timedelta(minutes=1)  # Thu 2 Apr 2026 15:59: a minute too early
YEAR_10 = london(10, 4, 2, 16, 0)


def _investigating(c, actor):
    services.complaint_acknowledge(complaint_id=c.pk, actor=actor, now=RECEIVED)
    services.complaint_start_investigation(complaint_id=c.pk, actor=actor, now=RECEIVED)


# action, the date field, how to get there, the service's other inputs
STEPS = {
    "acknowledge": ("sent_at", None, services.complaint_acknowledge, {}),
    "src_sent": (
        "sent_at",
        None,
        services.complaint_resolve_summary,
        {"outcome": Outcome.UPHELD},
    ),
    "src_accepted": (
        "accepted_at",
        None,
        services.complaint_resolve_summary,
        {"outcome": Outcome.UPHELD, "sent_at": NOW},
    ),
    "holding": (
        "sent_at",
        _investigating,
        services.complaint_send_holding_response,
        {"reasons": "Awaiting the custodian's reconciliation."},
    ),
    "final_response": (
        "sent_at",
        _investigating,
        services.complaint_send_final_response,
        {"outcome": Outcome.NOT_UPHELD},
    ),
    "time_barred": ("sent_at", None, services.complaint_reject_time_barred, {}),
    "forward": (
        "sent_at",
        None,
        services.complaint_forward,
        {"to_firm": "Other Ltd", "to_contact": "c@other.test", "reason": "Theirs."},
    ),
    "withdraw": ("withdrawn_at", None, services.complaint_withdraw, {}),
}


@pytest.mark.parametrize("when", [BEFORE, YEAR_10], ids=["a_minute_before", "year_10"])
@pytest.mark.parametrize("step", list(STEPS))
def test_disp_1_6_2r_no_lifecycle_date_before_receipt(firm, handler, step, when):
    """DISP 1.6.1R, 1.6.2R, 1.5.1R, 1.7, 1.8: acknowledgement, SRC (sent and accepted),
    holding and final responses, forwarding, time-barred rejections and withdrawals (and so the
    outcome date they record) cannot predate the complaint's receipt."""
    field, prepare, service, inputs = STEPS[step]
    c = make_complaint(
        firm=firm,
        received_at=RECEIVED,
        actor=handler,
        event_date=datetime(2019, 1, 1).date(),  # time-barred, so DISP 1.8 may reject it
    )
    if prepare:
        prepare(c, handler)
    before = Complaint.objects.get(pk=c.pk)
    comms = Communication.objects.filter(complaint=c).count()
    with pytest.raises(ValidationFailed) as exc:
        service(complaint_id=c.pk, actor=handler, now=NOW, **{**inputs, field: when})
    assert exc.value.fields == {
        field: ["Must not be before the complaint was received (Thu 2 Apr 2026, 16:00)."]
    }
    after = Complaint.objects.get(pk=c.pk)
    assert (after.status, after.version, after.outcome_at) == (
        before.status,
        before.version,
        before.outcome_at,
    )
    assert Communication.objects.filter(complaint=c).count() == comms


def test_disp_1_6_1r_acknowledgement_at_the_moment_of_receipt_is_allowed(firm, handler):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    c = services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW, sent_at=RECEIVED)
    assert c.acknowledged_at == RECEIVED


def test_a_date_without_a_time_zone_is_refused_on_its_own_field(firm, handler):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_withdraw(
            complaint_id=c.pk, actor=handler, now=NOW, withdrawn_at=datetime(2026, 4, 3, 9)
        )
    assert exc.value.fields == {"withdrawn_at": ["Must include a time zone."]}


def test_a_withdrawal_in_the_future_is_refused_on_its_own_field(firm, handler):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_withdraw(
            complaint_id=c.pk, actor=handler, now=NOW, withdrawn_at=NOW + timedelta(hours=1)
        )
    assert exc.value.fields == {"withdrawn_at": ["Must not be later than now."]}


# --- the API: a 400 naming the field -------------------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("endpoint", "payload", "field"),
    [
        ("acknowledge", {"sent_at": "2026-04-02T15:59:00+01:00"}, "sent_at"),
        (
            "resolve-summary",
            {"outcome": "upheld", "accepted_at": "2026-04-01T09:00:00+01:00"},
            "accepted_at",
        ),
        ("withdraw", {"withdrawn_at": "2026-04-02T14:59:00Z"}, "withdrawn_at"),
    ],
)
def test_disp_1_6_2r_api_date_before_receipt_is_a_400_naming_the_field(
    firm, handler, endpoint, payload, field
):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    response = client_for(handler).post(
        reverse(f"api-complaint-{endpoint}", args=[c.pk]), payload, format="json"
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["fields"] == {
        field: ["Must not be before the complaint was received (Thu 2 Apr 2026, 16:00)."]
    }
    c.refresh_from_db()
    assert c.status == Status.RECEIVED and c.version == 1


# --- the page: the error on the form's field -----------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("acknowledge", {"method": "email", "sent_at": "2026-04-01T09:00"}, "sent_at"),
        ("withdraw", {"withdrawn_at": "2026-04-02T15:59", "confirmed": "yes"}, "withdrawn_at"),
    ],
)
def test_disp_1_6_2r_page_shows_a_date_before_receipt_on_the_field(
    client, firm, handler, action, data, field
):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    client.force_login(handler)
    response = client.post(
        reverse("complaints:act", args=[c.pk, action]), {"expected_version": c.version, **data}
    )
    assert response.status_code == 200
    form = next(a for a in response.context["actions"] if a.spec.name == action).form
    assert form.errors[field] == [
        "Must not be before the complaint was received (Thu 2 Apr 2026, 16:00)."
    ]
    c.refresh_from_db()
    assert c.status == Status.RECEIVED and c.version == 1


def test_disp_1_6_1r_receipt_cannot_be_corrected_to_after_a_letter_already_sent(firm, handler):
    """Correcting the clock inputs must not put receipt after the acknowledgement: the record
    would show a reply to a complaint not yet received. Moving it earlier stays allowed."""
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW)
    later = NOW + timedelta(hours=1)
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_update_clock_inputs(
            complaint_id=c.pk, actor=handler, now=later, reason="Typo", received_at=later
        )
    assert "received_at" in refused.value.fields
    assert "Fri 3 Apr 2026" in refused.value.fields["received_at"][0]
    assert Complaint.objects.get(pk=c.pk).received_at == RECEIVED
    earlier = RECEIVED - timedelta(hours=2)
    services.complaint_update_clock_inputs(
        complaint_id=c.pk, actor=handler, now=later, reason="Arrived earlier", received_at=earlier
    )
    assert Complaint.objects.get(pk=c.pk).received_at == earlier
