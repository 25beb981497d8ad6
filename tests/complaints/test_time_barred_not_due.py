"""DISP 1.8 / DISP 2.8.2R(2): the time bar is a fact about when a complaint arrived, not a date
to meet. A complaint received after it is never "Due soon" because of it, and once the
time-barred rejection (a final response, DISP 1.8.1R) is sent nothing is due on the queue, in
the deadline watch, on the complaint page or in the API's deadlines."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from complaints import selectors, services
from complaints.deadlines import calendar_for_firm
from complaints.models import Complaint
from complaints.selectors.deadlines import SOON
from notifications.models import Notice
from notifications.services import deadline_watch_run
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 2, 16, 0)  # Thu 2 Apr 2026 16:00 (disp-rules E1)
# Event and awareness 1 Mar 2020: limit 1 Mar 2026, so received out of time.
BARRED = {"event_date": date(2020, 3, 1), "awareness_date": date(2020, 3, 1)}
# Tue 26 May 2026: two business days before the eight weeks end (Thu 28 May).
NEAR_EIGHT_WEEKS = london(2026, 5, 26, 9, 0)


@pytest.fixture
def barred(firm, handler):
    return make_complaint(
        firm=firm, received_at=RECEIVED, actor=handler, owner_id=handler.pk, **BARRED
    )


def _rows(c, now):
    fresh = Complaint.objects.get(pk=c.pk)
    return {
        row.key: row.state
        for row in selectors.complaint_deadlines(fresh, now=now, calendar=calendar_for_firm(c.firm))
    }


def test_disp_1_8_time_bar_row_is_never_due_soon(barred):
    rows = _rows(barred, london(2026, 4, 3, 9, 0))
    assert rows["time_bar"].urgency != SOON
    assert rows["time_bar"].text == "Received after the limit: may be rejected under DISP 1.8"


def test_disp_1_8_rejected_complaint_shows_nothing_due_soon_anywhere(
    barred, handler, client, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the letter is e-mailed
        services.complaint_reject_time_barred(
            complaint_id=barred.pk, actor=handler, now=london(2026, 4, 3, 10, 0)
        )
    time_machine.move_to(NEAR_EIGHT_WEEKS, tick=False)
    # The complaint page's deadlines.
    rows = _rows(barred, NEAR_EIGHT_WEEKS)
    assert all(state.urgency != SOON for state in rows.values()), rows
    assert rows["time_bar"].text == (
        "Received after the limit: rejected under DISP 1.8 on Fri 3 Apr 2026"
    )
    client.force_login(handler)
    page = client.get(reverse("complaints:detail", args=[barred.pk])).content.decode()
    deadlines = page.split('id="deadlines-h"')[1].split("</table>")[0]
    assert "Due soon" not in deadlines
    # The queue.
    calendar = calendar_for_firm(barred.firm)
    queued = Complaint.objects.filter(pk=barred.pk).with_next_deadline(NEAR_EIGHT_WEEKS.date())
    [row] = selectors.queue_rows(list(queued), now=NEAR_EIGHT_WEEKS, calendar=calendar)
    assert row.deadline.urgency != SOON and row.deadline.due is None
    # The deadline watch.
    deadline_watch_run(now=NEAR_EIGHT_WEEKS, send_emails=False)
    assert not Notice.objects.filter(complaint_id=barred.pk).exists()
    # The API's deadlines say what the page says.
    api = APIClient()
    api.force_authenticate(handler)
    body = api.get(reverse("api-complaint-detail", args=[barred.pk])).json()
    deadlines = {d["key"]: d for d in body["deadlines"]}
    assert all(d["urgency"] != "soon" for d in deadlines.values()), deadlines
    assert deadlines["time_bar"]["urgency"] == "none"
    assert "rejected under DISP 1.8" in deadlines["time_bar"]["state"]


def test_disp_1_8_1r_unrejected_time_barred_complaint_still_owes_its_final_response(barred):
    """DISP 1.8.1R: the rejection is explained in a final response under DISP 1.6.2R, so until
    it is sent the eight-week date is the one the handler meets (and it may be due soon)."""
    rows = _rows(barred, NEAR_EIGHT_WEEKS)
    assert rows["final_response"].urgency == SOON
    assert rows["time_bar"].urgency != SOON
