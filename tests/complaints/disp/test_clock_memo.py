"""The DISP clock remembers its answers once the receipt date is known (issue 18: a register
import asks the same questions for thousands of complaints received on the same days). A
remembered answer is the answer: identical to computing it afresh, for every regime, receipt
hour, event and response input; and calendars of different content never share one."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from complaints.disp import clock
from complaints.disp.calendar import ENGLAND_CALENDAR, BusinessCalendar, Nation
from complaints.disp.clock import Regime, compute_deadlines

LONDON = ZoneInfo("Europe/London")
D = dt.date


def fresh(**inputs):
    """compute_deadlines with nothing remembered."""
    clock._deadlines_from.cache_clear()
    return compute_deadlines(**inputs)


def test_disp_clock_remembered_answers_equal_fresh_ones():
    received = [
        dt.datetime(2026, 4, 2, 16, 59, tzinfo=LONDON),
        dt.datetime(2026, 4, 2, 17, 30, tzinfo=LONDON),  # after close of business
        dt.datetime(2026, 4, 4, 10, 0, tzinfo=LONDON),  # a Saturday
        dt.datetime(2026, 12, 24, 18, 0, tzinfo=LONDON),
    ]
    grid = itertools.product(
        received,
        (Regime.STANDARD, Regime.PSD_EMD),
        (False, True),  # defer_after_hours (legacy DISP 1.5.3G)
        ((None, None), (D(2020, 1, 5), None), (D(2020, 1, 5), D(2024, 3, 1))),
        (None, D(2026, 4, 3), D(2026, 7, 1)),  # final response or SRC sent
        (False, True),  # six-month wording
        (False, True),  # holding response sent
    )
    clock._deadlines_from.cache_clear()
    for at, regime, defer, (event, aware), sent, six, holding in grid:
        inputs = {
            "received_at": at,
            "calendar": ENGLAND_CALENDAR,
            "regime": regime,
            "defer_after_hours": defer,
            "event_date": event,
            "awareness_date": aware,
            "final_response_sent": sent,
            "six_month_wording": six,
            "holding_response_sent": holding,
        }
        remembered = compute_deadlines(**inputs)
        assert compute_deadlines(**inputs) is remembered  # asked again: remembered
        assert remembered == fresh(**inputs)


def test_disp_clock_same_receipt_day_is_remembered_across_receipt_times():
    clock._deadlines_from.cache_clear()
    for minute in range(30):
        compute_deadlines(
            received_at=dt.datetime(2026, 4, 2, 9, minute, tzinfo=LONDON),
            calendar=ENGLAND_CALENDAR,
        )
    info = clock._deadlines_from.cache_info()
    assert (info.misses, info.hits) == (1, 29)


def test_disp_clock_calendars_of_different_content_do_not_share_answers():
    """An administrator's proclaimed bank holiday moves the SRC deadline (DISP 1.5.1R)."""
    at = dt.datetime(2026, 6, 1, 10, tzinfo=LONDON)  # Monday
    plain = BusinessCalendar.for_nation(Nation.ENGLAND)
    proclaimed = BusinessCalendar.for_nation(Nation.ENGLAND, extra_holidays=[D(2026, 6, 2)])
    first = compute_deadlines(received_at=at, calendar=plain)
    second = compute_deadlines(received_at=at, calendar=proclaimed)
    assert first.summary_resolution.date == D(2026, 6, 4)
    assert second.summary_resolution.date == D(2026, 6, 5)
    assert first.calendar_version != second.calendar_version
