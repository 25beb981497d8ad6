"""DISP 1.7 forwarding: a complaint, or the relevant part of it, forwarded to the firm solely or
jointly responsible, the complainant told in a final response (DISP 1.7.1R(2)).

Forwarding part keeps the rest with the firm, open with its DISP 1.6 clock and answered by its
own final response; only a whole forward ends the firm's handling, and its notice is the final
response the six-month FOS limit runs from (DISP 2.8.2R(1)). Complaints about acts after the
regime starts (event Thu 28 Oct 2027, received Mon 1 Nov 2027), so the FOS may consider them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.errors import ConflictError, TransitionRefused
from complaints import services
from complaints.choices import ForwardPart, Outcome, Status
from complaints.models import Complaint
from fos import services as fos_services
from letters.choices import LetterType
from letters.models import Letter
from tests.api.conftest import client_for
from tests.confirming import confirm_letters
from tests.factories import london, make_complaint
from tests.fos.helpers import log

pytestmark = pytest.mark.django_db

RECEIVED = london(2027, 11, 1, 10)  # Mon 1 Nov 2027; 8 weeks end Mon 27 Dec 2027
DAY_2 = london(2027, 11, 2, 11)
DAY_9 = london(2027, 11, 9, 15)
DAY_20 = london(2027, 11, 21, 12)
CUSTODIAN = {
    "to_firm": "Example Custody Ltd",
    "to_contact": "complaints@custody.example",
    "reason": "The custodian held the assets and froze the withdrawal you complain about.",
}
BROKER = {
    "to_firm": "Meridian Crypto Brokers Ltd",
    "to_contact": "complaints@meridian.example\n2 Dock Street, Leith EH6 6AA",
    "reason": "Meridian executed the trade whose price you dispute.",
}


@pytest.fixture
def investigating(firm, handler):
    c = make_complaint(
        firm=firm,
        received_at=RECEIVED,
        actor=handler,
        event_date=date(2027, 10, 28),
        awareness_date=date(2027, 10, 28),
    )
    services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=RECEIVED)
    return services.complaint_start_investigation(complaint_id=c.pk, actor=handler, now=DAY_2)


def forward(c, actor, now, part, **details):
    return services.complaint_forward(
        complaint_id=c.pk, actor=actor, now=now, part=part, **(details or CUSTODIAN)
    )


def notice_html(c) -> str:
    return (
        Letter.objects.filter(complaint=c, letter_type=LetterType.FORWARDING_NOTICE)
        .latest("id")
        .html
    )


# --- forwarding part keeps the rest --------------------------------------------------------


def test_disp_1_7_1r_partial_forward_keeps_the_retained_part_open_with_its_clock(
    investigating, handler
):
    """DISP 1.7.1R: "the relevant part" goes to the other firm; the rest stays a complaint of
    this firm, in its state, with its DISP 1.6.2R eight-week date, on the deadline watch."""
    due = investigating.final_response_due
    c = forward(investigating, handler, DAY_9, ForwardPart.PART)
    assert c.status == Status.INVESTIGATING
    assert c.final_response_due == due == date(2027, 12, 27)
    assert c.final_response_sent_at is None and c.fos_six_month_deadline is None
    # The deadline watch (queue, sweeps) reads the annotated next deadline.
    row: Any = Complaint.objects.with_next_deadline(DAY_9.date()).get(pk=c.pk)
    watched = (row.next_deadline_kind, row.next_deadline)
    assert watched == ("final_response", due)
    [part] = c.forwarded_parts.all()
    assert (part.to_firm, part.to_contact) == (CUSTODIAN["to_firm"], CUSTODIAN["to_contact"])
    assert part.reason == CUSTODIAN["reason"]
    assert part.sent_at == DAY_9 and part.sent_by == handler
    assert part.notice.kind == "forwarding_notice"


def test_disp_1_7_1r_retained_part_is_answered_by_its_own_final_response(investigating, handler):
    """The notice is the final response on the forwarded part (DISP 1.7.1R(2)): its six-month
    date is the forward's own. The complaint's six-month date comes from the later final
    response on the part the firm kept (DISP 1.6.2R(1); DISP 2.8.2R(1))."""
    c = forward(investigating, handler, DAY_9, ForwardPart.PART)
    part = c.forwarded_parts.get()
    assert part.six_month_wording_included is True
    assert part.fos_six_month_deadline == date(2028, 5, 9)
    final = services.complaint_send_final_response(
        complaint_id=c.pk, actor=handler, now=DAY_20, outcome=Outcome.NOT_UPHELD
    )
    assert final.status == Status.FINAL_RESPONSE_SENT
    assert final.final_response_sent_at == DAY_20
    assert final.fos_six_month_deadline == date(2028, 5, 21)
    assert final.forwarded_parts.get().fos_six_month_deadline == date(2028, 5, 9)


def test_disp_1_7_1r_partial_forward_notice_says_what_happens_to_each_part(investigating, handler):
    """The notice is a final response on the forwarded part only: it says so, says the firm
    keeps the rest and will answer it by the eight-week date, and that the referral right it
    gives now is about the forwarded part."""
    c = forward(investigating, handler, DAY_9, ForwardPart.PART)
    html = notice_html(c)
    assert "We have therefore forwarded part of your complaint to them today." in html
    assert "We will continue to deal with the rest of your complaint ourselves" in html
    assert "This letter is not our final response on the rest of your complaint" in html
    assert "by Mon 27 Dec 2027" in html
    assert "about the part of your complaint we have forwarded" in html
    assert "within six months of the date of this letter" in html


def test_disp_1_7_1r_part_forwarded_after_a_holding_response_gives_the_promised_date(
    investigating, handler
):
    """After the 8-week holding response (DISP 1.6.2R(2)(a)) the rest is answered by the date it
    gave, not the passed eight-week date; the promised date stays on the deadline watch."""
    day_57 = RECEIVED + timedelta(days=57)
    services.complaint_send_holding_response(
        complaint_id=investigating.pk,
        actor=handler,
        now=day_57,
        reasons="We are waiting for the custodian's records.",
        expected_final_response_on=date(2028, 1, 21),
    )
    c = forward(investigating, handler, day_57 + timedelta(days=1), ForwardPart.PART)
    assert c.status == Status.HOLDING_RESPONSE_SENT
    assert c.expected_final_response_on == date(2028, 1, 21)
    assert "we will send you our final response on it by Fri 21 Jan 2028" in notice_html(c)


# --- a whole forward is the final response ---------------------------------------------------


def test_disp_1_7_1r_2_whole_forward_notice_is_the_final_response_for_the_six_month_clock(
    investigating, handler
):
    """DISP 1.7.1R(2) with DISP 2.8.2R(1): the forwarding notice is a final response, so its
    send date is the complaint's final response date and the FOS six-month limit runs from it
    (it carried the DISP 1 Annex 3R wording, DISP 2.8.3G); the FOS checklist reads it."""
    c = forward(investigating, handler, DAY_9, ForwardPart.WHOLE)
    assert c.status == Status.FORWARDED
    assert c.final_response_sent_at == DAY_9
    assert c.six_month_wording_included is True
    assert c.fos_six_month_deadline == date(2028, 5, 9)
    assert not c.forwarded_parts.exists()
    in_time = log(c, handler, referred_on=date(2028, 5, 9))
    six = {line["key"]: line for line in in_time.checklist}["six_months"]
    assert six["result"] == "pass"
    fos_services.STAGE_SERVICES["end"](
        referral_id=in_time.pk,
        actor=handler,
        now=london(2028, 5, 9, 15),
        on=date(2028, 5, 9),
        kind="withdrawn",
    )
    late = log(c, handler, referred_on=date(2028, 5, 10))
    assert {line["key"]: line for line in late.checklist}["six_months"]["result"] == "fail"


# --- forwarding in parts, and after the final response --------------------------------------


def test_disp_1_7_complaint_may_be_forwarded_in_parts_then_the_rest(investigating, handler):
    """DISP 1.7.1R forwards "the complaint, or the relevant part of it": a second part may go
    to another firm, each recorded; forwarding the whole of what is left then ends the firm's
    handling, and that notice says it is the rest of the complaint that is forwarded."""
    forward(investigating, handler, DAY_9, ForwardPart.PART)
    c = forward(investigating, handler, DAY_9 + timedelta(hours=1), ForwardPart.PART, **BROKER)
    assert c.status == Status.INVESTIGATING
    assert [p.to_firm for p in c.forwarded_parts.order_by("id")] == [
        CUSTODIAN["to_firm"],
        BROKER["to_firm"],
    ]
    rest = forward(c, handler, DAY_20, ForwardPart.WHOLE, **BROKER)
    assert rest.status == Status.FORWARDED
    assert rest.final_response_sent_at == DAY_20
    assert rest.forwarded_parts.count() == 2
    assert "We have therefore forwarded the rest of your complaint to them today." in (
        notice_html(rest)
    )


@pytest.mark.parametrize("part", [ForwardPart.PART, ForwardPart.WHOLE])
def test_disp_1_7_no_forward_after_the_final_response(investigating, handler, part):
    """The final response settles what the firm kept: nothing is left to forward, and a forward
    then could not be prompt (DISP 1.7.1R). Refused; nothing recorded."""
    forward(investigating, handler, DAY_9, ForwardPart.PART)
    c = services.complaint_send_final_response(
        complaint_id=investigating.pk, actor=handler, now=DAY_20, outcome=Outcome.UPHELD
    )
    with pytest.raises((ConflictError, TransitionRefused)):
        forward(c, handler, DAY_20 + timedelta(hours=1), part, **BROKER)
    assert c.forwarded_parts.count() == 1


def test_disp_1_7_no_forward_after_the_whole_complaint_is_forwarded(investigating, handler):
    c = forward(investigating, handler, DAY_9, ForwardPart.WHOLE)
    with pytest.raises((ConflictError, TransitionRefused)):
        forward(c, handler, DAY_20, ForwardPart.PART, **BROKER)
    assert not c.forwarded_parts.exists()


# --- the API and the page ----------------------------------------------------------------------


def test_disp_1_7_api_forward_shows_the_state_and_the_forwarded_parts(investigating, handler):
    api = client_for(handler)
    path = reverse("api-complaint-forward", args=[investigating.pk])
    with time_machine.travel(DAY_9, tick=False):
        body = api.post(path, {**CUSTODIAN, "part": "part"}, format="json").json()
    assert body["status"] == "investigating"
    assert body["final_response_sent_at"] is None
    [part] = body["forwarded_parts"]
    assert part["to_firm"] == CUSTODIAN["to_firm"]
    assert part["sent_at"] == "2027-11-09T15:00:00Z"
    assert part["fos_six_month_deadline"] == "2028-05-09"
    assert "send_final_response" in {a["name"] for a in body["available_actions"] if a["allowed"]}
    with time_machine.travel(DAY_20, tick=False):
        body = api.post(path, {**BROKER, "part": "whole"}, format="json").json()
    assert body["status"] == "forwarded"
    assert body["final_response_sent_at"] == "2027-11-21T12:00:00Z"
    # Forwarded whole after a part: the part is still listed.
    assert [p["to_firm"] for p in body["forwarded_parts"]] == [CUSTODIAN["to_firm"]]
    assert {d["key"]: d["date"] for d in body["deadlines"]}["fos_six_month"] == "2028-05-21"


def test_disp_1_7_page_offers_both_forwards_and_shows_the_forwarded_part(
    client, investigating, handler
):
    page_url = reverse("complaints:detail", args=[investigating.pk])
    with time_machine.travel(DAY_9, tick=False):
        client.force_login(handler)
        page = client.get(page_url)
        assert page.status_code == 200, page
        html = page.content.decode()
        assert "The whole complaint (we stop handling it)" in html
        assert "Part of the complaint (we keep and answer the rest)" in html
        response = confirm_letters(
            client,
            reverse("complaints:act", args=[investigating.pk, "forward"]),
            {
                "expected_version": investigating.version,
                "method": "email",
                "part": "part",
                **CUSTODIAN,
            },
        )
        assert response.status_code == 302
        html = client.get(page_url).content.decode()
    assert Complaint.objects.get(pk=investigating.pk).status == Status.INVESTIGATING
    assert "Part forwarded to Example Custody Ltd" in html
    assert "Forwarded part of the complaint to Example Custody Ltd (DISP 1.7)" in html


def test_disp_1_7_a_complaint_never_forwarded_lists_no_parts_without_asking(investigating, handler):
    """Parts exist only once part of the complaint was forwarded (``forward_part`` set): the
    detail of a complaint never forwarded issues no query for them."""
    api = client_for(handler)
    url = f"/api/complaints/{investigating.pk}/"
    api.get(url)  # the token's last_used_at is written at most once a minute
    with CaptureQueriesContext(connection) as queries:
        body = api.get(url).json()
    assert body["forwarded_parts"] == []
    reads = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in reads if q.startswith('SELECT "complaints_forwardedpart"')]
