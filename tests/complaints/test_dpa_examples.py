"""The data-protection clocks against the worked examples DPA1–DPA12 of docs/data-protection.md.

Expected dates are worked by hand from the sources (DPA 2018 s.164A(3); UK GDPR Art 12(3) as
amended by the Data (Use and Access) Act 2025; the ICO's "Time limits for responding to data
protection rights requests"), never recomputed with the code under test.
"""

import datetime as dt

import pytest

from complaints.disp.calendar import ENGLAND_CALENDAR, BusinessCalendar, Nation
from complaints.dpa.clock import Pause, acknowledgement_due, sar_clock

D = dt.date
ENGLAND = ENGLAND_CALENDAR
SCOTLAND = BusinessCalendar.for_nation(Nation.SCOTLAND)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # DPA1: the first day of the duty; day 30 counting the day of receipt is Sat 18 July.
        # The ICO's count would give Mon 20 July; the earlier date stands (never moved forward).
        pytest.param(D(2026, 6, 19), D(2026, 7, 18), id="DPA1-commencement-saturday-kept"),
        # DPA2: across a month end: 3 July + 29 days is Sat 1 August.
        pytest.param(D(2026, 7, 3), D(2026, 8, 1), id="DPA2-month-end"),
        # DPA3: across Christmas: calendar days, holidays not skipped.
        pytest.param(D(2026, 12, 1), D(2026, 12, 30), id="DPA3-christmas-calendar-days"),
    ],
)
def test_dpa_s164a_acknowledge_within_30_days(received, due):
    """DPA 2018 s.164A(3): acknowledge within 30 days beginning when the complaint is received
    (conservative reading: the day of receipt is day one, a weekend deadline is not moved)."""
    assert acknowledgement_due(received) == due


SAR_EXAMPLES = [
    # DPA4: the ICO's example: 3 September to 3 October (a Saturday in 2026: Mon 5 October).
    pytest.param(dict(received=D(2026, 9, 3)), ENGLAND, D(2026, 10, 5), id="DPA4-weekend"),
    # DPA5: 31 January + 1 month: no 31 February, so 28 February 2027, a Sunday: Mon 1 March.
    pytest.param(dict(received=D(2027, 1, 31)), ENGLAND, D(2027, 3, 1), id="DPA5-31-jan"),
    # DPA6: in a leap year the last day of February is the 29th (a Tuesday in 2028).
    pytest.param(dict(received=D(2028, 1, 31)), ENGLAND, D(2028, 2, 29), id="DPA6-leap-year"),
    # DPA7: the ICO's bank-holiday example in 2026: 25 December (Christmas Day), 26 and 27 a
    # weekend, 28 December Boxing Day (substitute): Tuesday 29 December.
    pytest.param(dict(received=D(2026, 11, 25)), ENGLAND, D(2026, 12, 29), id="DPA7-christmas"),
    # DPA8: 1 January 2027 is New Year's Day; England works on Mon 4 January, Scotland keeps
    # 4 January as its 2 January holiday (substitute) and works on Tue 5 January.
    pytest.param(dict(received=D(2026, 12, 1)), ENGLAND, D(2027, 1, 4), id="DPA8-england"),
    pytest.param(dict(received=D(2026, 12, 1)), SCOTLAND, D(2027, 1, 5), id="DPA8-scotland"),
]


@pytest.mark.parametrize(("inputs", "calendar", "due"), SAR_EXAMPLES)
def test_uk_gdpr_art_12_3_sar_one_calendar_month(inputs, calendar, due):
    """UK GDPR Art 12(3): one month from receipt, to the corresponding date (the last day of a
    shorter month), the next working day when it falls on a weekend or bank holiday (ICO)."""
    clock = sar_clock(inputs["received"], calendar)
    assert clock.response_due == due


def test_uk_gdpr_art_12_3_sar_month_starts_when_identity_arrives():
    """DPA9: received Mon 10 August 2026, identity asked for on the 11th, received on the
    20th: the month runs from 20 August to 20 September (a Sunday): Mon 21 September. Until the
    identity arrives there is no due date."""
    waiting = sar_clock(D(2026, 8, 10), ENGLAND, identity_requested=D(2026, 8, 11))
    assert (waiting.starts_on, waiting.response_due) == (None, None)
    clock = sar_clock(
        D(2026, 8, 10),
        ENGLAND,
        identity_requested=D(2026, 8, 11),
        identity_received=D(2026, 8, 20),
    )
    assert (clock.starts_on, clock.response_due) == (D(2026, 8, 20), D(2026, 9, 21))


def test_uk_gdpr_art_12_3_sar_stop_the_clock_while_scope_clarified():
    """DPA10: received Tue 2 March 2027 (due 2 April, Good Friday 2027 is 26 March so 2 April
    is a working Friday). Scope clarification asked Fri 5 March, answered Sun 14 March: the
    ten days 5–14 March do not count, so the answer is due Mon 12 April. While the question
    is open the clock is stopped: no due date."""
    open_pause = sar_clock(D(2027, 3, 2), ENGLAND, pauses=(Pause(D(2027, 3, 5)),))
    assert open_pause.stopped and open_pause.response_due is None
    clock = sar_clock(D(2027, 3, 2), ENGLAND, pauses=(Pause(D(2027, 3, 5), D(2027, 3, 14)),))
    assert (clock.paused_days, clock.response_due) == (10, D(2027, 4, 12))
    assert clock.extension_notice_due == D(2027, 4, 12)


def test_uk_gdpr_art_12_3_sar_extension_by_two_further_months():
    """DPA11: received Thu 15 October 2026, extended for complexity: due 15 January 2027 (a
    Friday); the notice was due by Sun 15 November 2026, not moved to the Monday."""
    clock = sar_clock(D(2026, 10, 15), ENGLAND, extended=True)
    assert clock.response_due == D(2027, 1, 15)
    assert clock.extension_notice_due == D(2026, 11, 15)


def test_uk_gdpr_art_12_3_sar_overdue():
    """DPA12: the DPA4 request unanswered on Tue 6 October 2026 is overdue; answered on
    Mon 5 October it was in time."""
    clock = sar_clock(D(2026, 9, 3), ENGLAND)
    assert clock.is_overdue(D(2026, 10, 6))
    assert not clock.is_overdue(D(2026, 10, 6), answered_on=D(2026, 10, 5))
    assert not clock.is_overdue(D(2026, 10, 5))
