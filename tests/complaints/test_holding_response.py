"""The 8-week holding response (DISP 1.6.2R(2)) is sent only once the Ombudsman may consider the
complaint (DISP 2.8.1R(2)), in the service, the API and the complaint page. Worked example E16:
received Mon 13 Apr 2026 10:00; final or holding response due by the end of Mon 8 Jun 2026; the
FOS may consider it once eight weeks have elapsed, read to the minute (disp-rules.md A5): from
10:00 that day (on the date basis alone, from Tue 9 Jun 2026)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from common.errors import TransitionRefused
from complaints import guards, services
from complaints.choices import Regime, Status
from complaints.errors import ErrorCode
from complaints.models import Complaint
from tests.api.conftest import client_for
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

E16_RECEIVED = london(2026, 4, 13, 10)
# DISP 2.8.1R(2) read to the minute (disp-rules.md A5): eight weeks have elapsed at 10:00 on the
# 56th day, the day the response is due by (end of Mon 8 Jun), so it can be true and on time.
E16_LAST_DAY = london(2026, 6, 8, 9, 59)  # a minute before eight weeks have elapsed
E16_FOS_OPEN = london(2026, 6, 8, 10, 0)  # eight weeks after arrival: the FOS may consider it
REASONS = "We are waiting for the custodian's transaction report."


def _investigating(firm, handler, *, regime=Regime.STANDARD, received_at=E16_RECEIVED):
    c = make_complaint(firm=firm, received_at=received_at, actor=handler, regime=regime)
    at = london(2026, 4, 14, 9)
    services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=at)
    return services.complaint_start_investigation(complaint_id=c.pk, actor=handler, now=at)


def _holding(c, handler, now):
    return services.complaint_send_holding_response(
        complaint_id=c.pk,
        actor=handler,
        now=now,
        reasons=REASONS,
        expected_final_response_on=date(2026, 6, 30),
    )


def test_disp_1_6_2R_2_b_holding_response_refused_before_eight_weeks_e16(firm, handler):
    """DISP 1.6.2R(2)(b) / DISP 2.8.1R(2): the holding response says the complainant "may now
    refer" the complaint, so it is refused on day 1 and until eight weeks after arrival, and
    allowed from then, on the day it is due (E16: due by the end of Mon 8 Jun 2026)."""
    c = _investigating(firm, handler)
    assert c.fos_referral_open_from == date(2026, 6, 9)
    for when in (london(2026, 4, 14, 11), E16_LAST_DAY):
        with pytest.raises(TransitionRefused) as exc:
            _holding(c, handler, when)
        assert exc.value.code == ErrorCode.HOLDING_TOO_EARLY
        assert exc.value.rule == "DISP 1.6.2R(2)(b); DISP 2.8.1R(2)"
        assert "from Mon 8 Jun 2026, 10:00" in exc.value.message
        assert "progress update" in exc.value.message
    after = Complaint.objects.get(pk=c.pk)
    assert after.status == Status.INVESTIGATING
    assert after.version == c.version
    assert not after.communications.filter(kind="holding_response").exists()
    sent = _holding(c, handler, E16_FOS_OPEN)
    assert sent.status == Status.HOLDING_RESPONSE_SENT


def test_disp_1_6_2AR_2_psd_holding_response_is_not_held_to_eight_weeks_e23(firm, handler):
    """DISP 1.6.2AR(2)(a): the PSD/EMD holding response is sent within 15 business days, with
    no referral wording: the eight-week rule does not hold it back (E23: 15 BD end Tue 5 May)."""
    c = _investigating(firm, handler, regime=Regime.PSD_EMD)
    sent = services.complaint_send_holding_response(
        complaint_id=c.pk, actor=handler, now=london(2026, 4, 20, 10), reasons="Awaiting the bank."
    )
    assert sent.status == Status.HOLDING_RESPONSE_SENT


def test_disp_1_6_2R_2_b_holding_action_shown_disabled_with_the_reason(firm, handler):
    """The action list (page and API) shows the holding response disabled until eight weeks
    have passed."""
    c = _investigating(firm, handler)
    early = {a.name: a for a in guards.available_actions(c, E16_LAST_DAY)}
    assert not early["send_holding_response"].allowed
    assert early["send_holding_response"].rule == "DISP 1.6.2R(2)(b); DISP 2.8.1R(2)"
    late = {a.name: a for a in guards.available_actions(c, E16_FOS_OPEN)}
    assert late["send_holding_response"].allowed


def test_disp_1_6_2R_2_b_api_refuses_an_early_holding_response_with_409(firm, handler):
    c = _investigating(firm, handler)
    api = client_for(handler)
    with time_machine.travel(E16_LAST_DAY, tick=False):
        response = api.post(
            reverse("api-complaint-holding-response", args=[c.pk]),
            {"reasons": REASONS, "expected_final_response_on": "2026-06-30"},
            format="json",
        )
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "holding_response_too_early"
    assert "from Mon 8 Jun 2026, 10:00" in body["message"]
    assert body["rule"] == "DISP 1.6.2R(2)(b); DISP 2.8.1R(2)"
    assert Complaint.objects.get(pk=c.pk).status == Status.INVESTIGATING


def test_disp_1_6_2R_2_b_page_says_why_the_holding_response_must_wait(client, firm, handler):
    c = _investigating(firm, handler)
    client.force_login(handler)
    with time_machine.travel(E16_LAST_DAY, tick=False):
        response = client.get(reverse("complaints:detail", args=[c.pk]))
        html = response.content.decode()
        holding = next(
            a for a in response.context["actions"] if a.spec.name == "send_holding_response"
        )
        assert not holding.enabled
        assert 'disabled aria-describedby="why-send_holding_response"' in html
        assert "eight weeks have passed since it arrived, from Mon 8 Jun 2026, 10:00" in html
        posted = client.post(
            reverse("complaints:act", args=[c.pk, "send_holding_response"]),
            {
                "expected_version": c.version,
                "method": "email",
                "reasons": REASONS,
                "expected_final_response_on": "2026-06-30",
                "confirmed": "yes",
            },
        )
    assert posted.status_code == 200
    assert "only once eight weeks have passed" in posted.content.decode()
    assert Complaint.objects.get(pk=c.pk).status == Status.INVESTIGATING
