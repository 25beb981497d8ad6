"""DISP 2.8.2R(2): the 6-year/3-year limit is met if the complainant "referred the complaint to
the respondent ... within that period" with a record of it having been received. The firm's
legacy after-hours option (old DISP 1.5.3G, disp-rules.md §2.7) only moves day 0 of the DISP
1.5/1.6 clocks; whether the complaint was made in time is judged on the London date it actually
arrived (issue #14 item 10)."""

from __future__ import annotations

from datetime import date

import pytest

from common.errors import TransitionRefused
from complaints import services
from complaints.deadlines import calendar_for_firm
from complaints.errors import ErrorCode
from complaints.selectors.deadlines import complaint_deadlines
from tests.factories import FirmFactory, london, make_complaint
from tests.fos.helpers import log

pytestmark = pytest.mark.django_db

# Event Fri 6 Mar 2020, aware the same day: the limit is Fri 6 Mar 2026 (six years).
EVENT = date(2020, 3, 6)
LIMIT = date(2026, 3, 6)
# Arrived Fri 6 Mar 2026 at 18:00, after close of business: deferred to Mon 9 Mar 2026.
ON_THE_LAST_DAY_AFTER_HOURS = london(2026, 3, 6, 18, 0)
# Arrived Sat 7 Mar 2026: deferred to Mon 9 Mar as well, but a day late.
THE_DAY_AFTER = london(2026, 3, 7, 10, 0)


@pytest.fixture
def deferring_firm(db):
    return FirmFactory(name="Legacy Hours Ltd", defer_after_hours_receipt=True)


def _complaint(firm, received_at):
    return make_complaint(
        firm=firm, received_at=received_at, event_date=EVENT, awareness_date=EVENT
    )


def test_disp_2_8_2r_2_after_hours_arrival_on_the_last_day_is_in_time(deferring_firm):
    c = _complaint(deferring_firm, ON_THE_LAST_DAY_AFTER_HOURS)
    assert c.receipt_date == date(2026, 3, 9)  # day 0 deferred (legacy DISP 1.5.3G)
    assert c.time_bar_date == LIMIT
    assert not c.received_out_of_time
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_reject_time_barred(
            complaint_id=c.pk, actor=None, now=london(2026, 3, 9, 10)
        )
    assert exc.value.code == ErrorCode.NOT_TIME_BARRED


def test_disp_2_8_2r_2_arrival_after_the_limit_stays_time_barred(deferring_firm):
    c = _complaint(deferring_firm, THE_DAY_AFTER)
    assert c.receipt_date == date(2026, 3, 9)
    assert c.received_out_of_time
    c = services.complaint_reject_time_barred(
        complaint_id=c.pk, actor=None, now=london(2026, 3, 9, 10)
    )
    assert c.outcome == "time_barred"


def test_disp_2_8_2r_2_complaint_page_judges_the_limit_on_arrival(deferring_firm):
    c = _complaint(deferring_firm, ON_THE_LAST_DAY_AFTER_HOURS)
    rows = complaint_deadlines(
        c, now=london(2026, 3, 9, 10), calendar=calendar_for_firm(deferring_firm)
    )
    time_bar = next(r for r in rows if r.key == "time_bar")
    assert time_bar.state.text == "Received within the limit"


def test_disp_2_8_2r_2_fos_checklist_uses_the_arrival_date(deferring_firm):
    c = _complaint(deferring_firm, ON_THE_LAST_DAY_AFTER_HOURS)
    referral = log(c, referred_on=date(2026, 6, 1))
    line = next(x for x in referral.checklist if x["key"] == "six_or_three_years")
    assert line["result"] == "pass"
    assert "Fri 6 Mar 2026" in line["explanation"]

    late = _complaint(deferring_firm, THE_DAY_AFTER)
    referral = log(late, referred_on=date(2026, 6, 1))
    line = next(x for x in referral.checklist if x["key"] == "six_or_three_years")
    assert line["result"] == "fail"
    assert "Sat 7 Mar 2026" in line["explanation"]
