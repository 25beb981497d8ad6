"""Complying with an accepted award (DISP 3.7, FSMA s.229): paying less than the award needs a
recorded reason; and the deadlines the FOS set the firm close when the referral closes."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework.test import APIClient

from common.errors import ValidationFailed
from complaints.selectors import other_deadlines
from fos import services
from fos.choices import Stage
from fos.errors import FosErrorCode
from fos.models import FosDeadline, Referral
from fos.selectors import open_fos_deadlines
from notifications.models import Notice
from notifications.services import deadline_watch_run
from tests.factories import london
from tests.fos.helpers import act, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_award(upheld_view, handler):
    services.referral_record_award(
        referral_id=upheld_view.pk, actor=handler, now=at(date(2028, 1, 20)), amount="900"
    )
    return act(upheld_view, "accept_view", on=date(2028, 2, 1), actor=handler)


# --- DISP 3.7 / FSMA s.229: complying with less than the award ---------------------------


@pytest.mark.parametrize("paid", [Decimal("600"), None])
def test_disp_3_7_fsma_s229_complied_with_less_than_the_award_needs_a_reason(
    accepted_award, handler, paid
):
    with pytest.raises(ValidationFailed) as exc:
        act(
            accepted_award,
            "record_compliance",
            on=date(2028, 2, 10),
            actor=handler,
            amount_paid=paid,
        )
    assert exc.value.code == FosErrorCode.SHORTFALL_REASON_REQUIRED
    assert exc.value.rule == "DISP 3.7 / FSMA s.229"
    assert list(exc.value.fields) == ["shortfall_reason"]
    assert Referral.objects.get(pk=accepted_award.pk).stage == Stage.ACCEPTED


@pytest.mark.parametrize(
    ("paid", "reason"),
    [
        ("600", "£300 was set off against the fee the complainant owed, as directed."),
        ("900", ""),
    ],
)
def test_disp_3_7_fsma_s229_complied_records_the_shortfall_reason(
    accepted_award, handler, paid, reason
):
    complied = act(
        accepted_award,
        "record_compliance",
        on=date(2028, 2, 10),
        actor=handler,
        amount_paid=Decimal(paid),
        shortfall_reason=reason,
    )
    assert complied.stage == Stage.COMPLIED
    assert complied.shortfall_reason == reason


def test_disp_3_7_fsma_s229_shortfall_on_the_page_and_in_the_api(
    client, accepted_award, handler, time_machine
):
    time_machine.move_to(at(date(2028, 2, 10), 15), tick=False)
    client.force_login(handler)
    page = reverse("fos:detail", args=[accepted_award.pk])
    html = client.get(page).content.decode()
    assert 'name="shortfall_reason"' in html
    response = client.post(
        reverse("fos:action", args=[accepted_award.pk, "record_compliance"]),
        {"on": "2028-02-10", "amount_paid": "600"},
    )
    [flash] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "£300.00 less than the award of £900.00" in flash and "FSMA s.229" in flash
    assert Referral.objects.get(pk=accepted_award.pk).stage == Stage.ACCEPTED
    api = APIClient()
    api.force_authenticate(handler)
    url = f"/api/fos/referrals/{accepted_award.pk}/record-compliance/"
    refused = api.post(url, {"on": "2028-02-10", "amount_paid": "600.00"}, format="json")
    assert refused.status_code == 400, refused.json()
    assert refused.json()["code"] == "shortfall_reason_required"
    assert "shortfall_reason" in refused.json()["fields"]
    done = api.post(
        url,
        {"on": "2028-02-10", "amount_paid": "600.00", "shortfall_reason": "Set off, as directed."},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert done.json()["shortfall_reason"] == "Set off, as directed."


# --- FOS deadlines close with the referral -------------------------------------------------


@pytest.mark.parametrize(
    ("action", "params"), [("accept_view", {}), ("end", {"kind": "withdrawn"})]
)
def test_fos_deadlines_close_when_the_referral_closes(upheld_view, handler, firm, action, params):
    """The investigator's view set a response date (added to the FOS deadlines); once the case
    closes at the FOS, that date no longer shows on the queue or in the deadline watch."""
    [deadline] = FosDeadline.objects.filter(referral=upheld_view)
    assert deadline.done_at is None
    closed = act(upheld_view, action, on=date(2028, 1, 18), actor=handler, **params)
    deadline.refresh_from_db()
    assert deadline.done_at is not None
    assert deadline.closed_note.startswith("Closed with the referral")
    assert deadline.history.first().history_change_reason == "fos.deadline_closed"
    assert closed.stage in Stage.closed()
    today = deadline.due_on
    assert open_fos_deadlines([firm.pk], today) == []
    assert other_deadlines([firm.pk], today) == []
    deadline_watch_run(now=london(today.year, today.month, today.day, 9), send_emails=False)
    assert not Notice.objects.filter(kind="fos_response").exists()


def test_fos_deadline_stays_open_while_the_referral_is_open(upheld_view, handler, firm):
    act(upheld_view, "dispute_view", on=date(2028, 1, 18), actor=handler)
    assert FosDeadline.objects.get(referral=upheld_view).done_at is None
