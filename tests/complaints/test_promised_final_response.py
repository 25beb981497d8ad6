"""The date a holding response promises is a deadline (DISP 1.6.2R(2)(a): the holding response
"indicates when it expects to be able to provide" the final response). It is stored, shown on
the queue and the complaint page, watched and escalated. Worked example E16: received Mon 13 Apr
2026, FOS from Tue 9 Jun 2026; the holding response promises Tue 30 Jun 2026."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse

from complaints import services
from complaints.choices import Regime
from complaints.models import Complaint
from notifications.models import Level, Notice, Notification
from notifications.services import deadline_watch_run
from tests.api.conftest import client_for
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

E16_RECEIVED = london(2026, 4, 13, 10)
HOLDING_SENT = london(2026, 6, 9, 9)
PROMISED = date(2026, 6, 30)


def _held(firm, handler, *, expected=PROMISED, regime=Regime.STANDARD, sent=HOLDING_SENT):
    c = make_complaint(
        firm=firm, received_at=E16_RECEIVED, actor=handler, owner_id=handler.pk, regime=regime
    )
    at = london(2026, 4, 14, 9)
    # The letters' e-mails go once each send commits, as they would outside a test transaction.
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=at)
        services.complaint_start_investigation(complaint_id=c.pk, actor=handler, now=at)
        return services.complaint_send_holding_response(
            complaint_id=c.pk,
            actor=handler,
            now=sent,
            reasons="We are waiting for the custodian's transaction report.",
            expected_final_response_on=expected,
        )


def test_disp_1_6_2R_2_a_promised_date_is_the_next_deadline_after_a_holding_response(firm, handler):
    """Today the complaint drops out of deadline tracking after a holding response: the queue's
    next deadline is the promised date, and it is breached once passed."""
    c = _held(firm, handler)
    assert c.expected_final_response_on == PROMISED
    row = Complaint.objects.with_next_deadline(date(2026, 6, 10)).get(pk=c.pk)
    assert (row.next_deadline, row.next_deadline_kind) == (PROMISED, "promised_final_response")


def test_disp_1_6_2R_2_a_promised_date_without_a_handler_date_is_the_firm_default(
    firm, handler, settings
):
    settings.LETTERS_HOLDING_EXPECTED_DAYS = 28
    c = _held(firm, handler, expected=None)
    assert c.expected_final_response_on == date(2026, 7, 7)  # sent Tue 9 Jun + 28 days
    row = Complaint.objects.with_next_deadline(date(2026, 6, 10)).get(pk=c.pk)
    assert row.next_deadline == date(2026, 7, 7)


def test_disp_1_6_2R_2_a_queue_shows_the_promised_date(client, firm, handler):
    c = _held(firm, handler)
    client.force_login(handler)
    with time_machine.travel(london(2026, 7, 1, 9), tick=False):
        response = client.get("/?tab=mine")
        html = response.content.decode()
        overdue = client.get("/?tab=mine&window=overdue")
    assert "Promised final response overdue since Tue 30 Jun 2026" in html
    assert c.reference in [row.complaint.reference for row in overdue.context["rows"]]


def test_disp_1_6_2R_2_a_complaint_page_and_api_show_the_promised_date(client, firm, handler):
    c = _held(firm, handler)
    client.force_login(handler)
    with time_machine.travel(london(2026, 6, 22, 9), tick=False):
        html = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
        body = client_for(handler).get(reverse("api-complaint-detail", args=[c.pk])).json()
        listed = client_for(handler).get(reverse("api-complaints")).json()
    assert "Final response promised in the holding response" in html
    assert "Tue 30 Jun 2026" in html
    promised = {d["key"]: d for d in body["deadlines"]}["promised_final_response"]
    assert promised["date"] == "2026-06-30"
    assert promised["rule"] == "DISP 1.6.2R(2)(a)"
    (item,) = [r for r in listed["results"] if r["id"] == c.pk]
    assert (item["next_deadline"], item["next_deadline_kind"]) == (
        "2026-06-30",
        "promised_final_response",
    )


def test_disp_1_6_2R_2_a_promised_date_is_watched_and_escalated(firm, handler):
    """Near: a notice to the owner; missed: to the owner and the firm's supervisors, once."""
    supervisor = MembershipFactory(firm=firm, role="supervisor").user
    c = _held(firm, handler)
    deadline_watch_run(now=london(2026, 6, 26, 10))  # Fri: Tue 30 Jun is 2 business days away
    near = Notice.objects.get(kind="promised_final_response")
    assert (near.level, near.due_date, near.complaint_id) == (Level.NEAR, PROMISED, c.pk)
    assert not Notification.objects.filter(recipient=supervisor).exists()
    deadline_watch_run(now=london(2026, 7, 1, 9))
    breach = Notice.objects.get(kind="promised_final_response", level=Level.BREACH)
    to_supervisor = Notification.objects.get(recipient=supervisor, notice=breach)
    assert "DISP 1.6.2R(2)(a)" in to_supervisor.body + to_supervisor.title
    assert Notification.objects.filter(recipient=handler, notice=breach).exists()
    deadline_watch_run(now=london(2026, 7, 2, 9))
    assert Notice.objects.filter(kind="promised_final_response").count() == 2


def test_disp_1_6_2R_2_a_promised_date_stops_with_the_final_response(firm, handler):
    from complaints.choices import Outcome

    c = _held(firm, handler)
    services.complaint_send_final_response(
        complaint_id=c.pk, actor=handler, now=london(2026, 6, 25, 9), outcome=Outcome.NOT_UPHELD
    )
    row = Complaint.objects.with_next_deadline(date(2026, 7, 1)).get(pk=c.pk)
    assert row.next_deadline is None
    deadline_watch_run(now=london(2026, 7, 1, 9))
    assert not Notice.objects.filter(kind="promised_final_response").exists()
