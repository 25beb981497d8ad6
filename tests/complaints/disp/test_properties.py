"""Invariants of the DISP clocks, checked over many dates with hypothesis."""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.disp.calendar import BusinessCalendar, Nation
from complaints.disp.clock import (
    Regime,
    add_months_corresponding,
    final_response_due,
    fos_referral_open_from,
    fos_six_month_deadline,
    psd_extended_final_response_due,
    psd_final_response_due,
    receipt_date,
    src_deadline,
    time_bar_date,
)

# No example database: the test run must not write .hypothesis/ into the working tree.
settings.register_profile("disp", database=None, deadline=None, max_examples=300)
settings.load_profile("disp")

NATION_CALENDARS = [BusinessCalendar.for_nation(n) for n in Nation]
CALENDARS = [*NATION_CALENDARS, BusinessCalendar.conservative()]

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31))
calendars = st.sampled_from(CALENDARS)
moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),
    max_value=dt.datetime(2040, 12, 31),
    timezones=st.just(dt.UTC),
)

BusinessDayDeadline = Callable[[dt.date, BusinessCalendar], dt.date]
BUSINESS_DAY_DEADLINES: list[BusinessDayDeadline] = [
    src_deadline,  # DISP 1.5.1R
    psd_final_response_due,  # DISP 1.6.2AR(1)
    psd_extended_final_response_due,  # DISP 1.6.2AR(2)
]
deadline_fns = st.sampled_from(BUSINESS_DAY_DEADLINES)


@given(dates, calendars, deadline_fns)
def test_business_day_deadlines_land_on_a_business_day(
    receipt: dt.date, cal: BusinessCalendar, fn: BusinessDayDeadline
) -> None:
    """DISP 1.5.1R / 1.6.2AR: an SRC or PSD deadline is always a business day in that part."""
    assert cal.is_business_day(fn(receipt, cal))


@given(dates, dates, calendars, deadline_fns)
def test_business_day_deadlines_are_monotonic(
    a: dt.date, b: dt.date, cal: BusinessCalendar, fn: BusinessDayDeadline
) -> None:
    """A later receipt never gives an earlier business-day deadline."""
    early, late = sorted((a, b))
    assert fn(early, cal) <= fn(late, cal)


@given(dates, dates, calendars, st.sampled_from(Regime), st.booleans())
def test_calendar_deadlines_are_monotonic(
    a: dt.date, b: dt.date, cal: BusinessCalendar, regime: Regime, holding: bool
) -> None:
    """DISP 1.6.2R, 2.8.1R, 2.8.2R: later start dates never give earlier limits."""
    early, late = sorted((a, b))
    assert final_response_due(early) <= final_response_due(late)
    assert fos_referral_open_from(
        early, regime=regime, calendar=cal, holding_response_sent=holding
    ) <= fos_referral_open_from(late, regime=regime, calendar=cal, holding_response_sent=holding)
    assert fos_six_month_deadline(early, included_six_month_wording=True) <= fos_six_month_deadline(
        late, included_six_month_wording=True
    )
    assert time_bar_date(early, None) <= time_bar_date(late, None)


@given(moments, moments, calendars, st.booleans())
def test_receipt_date_is_monotonic(
    a: dt.datetime, b: dt.datetime, cal: BusinessCalendar, defer: bool
) -> None:
    """§2.7: a later receipt timestamp never gives an earlier receipt date, with or without A1."""
    early, late = sorted((a, b))
    assert receipt_date(early, calendar=cal, defer_after_hours=defer) <= receipt_date(
        late, calendar=cal, defer_after_hours=defer
    )


@given(moments, calendars)
def test_deferred_receipt_is_a_business_day_not_before_the_london_date(
    moment: dt.datetime, cal: BusinessCalendar
) -> None:
    """Legacy DISP 1.5.3G: the deferred receipt date is a business day on or after the real one."""
    deferred = receipt_date(moment, calendar=cal, defer_after_hours=True)
    assert cal.is_business_day(deferred)
    assert deferred >= moment.astimezone(ZoneInfo("Europe/London")).date()


@given(dates, calendars)
def test_src_deadline_is_3_to_10_calendar_days_after_receipt(
    receipt: dt.date, cal: BusinessCalendar
) -> None:
    """DISP 1.5.1R: three business days is never less than 3 nor (without extras) over 10 days."""
    assert 3 <= (src_deadline(receipt, cal) - receipt).days <= 10


@given(dates)
def test_final_response_is_exactly_56_days_after_receipt(receipt: dt.date) -> None:
    """DISP 1.6.2R (A4): eight calendar weeks, no roll."""
    assert (final_response_due(receipt) - receipt).days == 56


@given(dates, calendars, st.integers(min_value=0, max_value=60))
def test_business_days_between_inverts_nth_business_day_after(
    start: dt.date, cal: BusinessCalendar, n: int
) -> None:
    end = cal.nth_business_day_after(start, n)
    assert cal.business_days_between(start, end) == n
    assert cal.business_days_between(end, start) == -n


@given(dates, st.none() | dates)
def test_time_bar_is_at_least_six_years_after_event(
    event: dt.date, awareness: dt.date | None
) -> None:
    """DISP 2.8.2R(2): the later of event + 6 years and awareness + 3 years."""
    limit = time_bar_date(event, awareness)
    assert limit is not None
    assert limit >= add_months_corresponding(event, 72)
    assert limit >= add_months_corresponding(awareness or event, 36)


@given(dates)
def test_six_month_deadline_is_181_to_184_days_after_sending(sent: dt.date) -> None:
    """DISP 2.8.2R(1): six calendar months after the date sent, corresponding-date rule."""
    limit = fos_six_month_deadline(sent, included_six_month_wording=True)
    assert limit is not None
    assert 181 <= (limit - sent).days <= 184


@given(dates, deadline_fns)
def test_conservative_calendar_is_never_later_than_any_nation(
    receipt: dt.date, fn: BusinessDayDeadline
) -> None:
    """A3 conservative mode: fewest holidays, so the earliest business-day deadline."""
    conservative = fn(receipt, BusinessCalendar.conservative())
    assert all(conservative <= fn(receipt, cal) for cal in NATION_CALENDARS)


@given(dates, st.sets(dates, max_size=5), st.sampled_from(Nation), deadline_fns)
def test_extra_holidays_never_bring_a_deadline_forward(
    receipt: dt.date, extra: set[dt.date], nation: Nation, fn: BusinessDayDeadline
) -> None:
    """Administrator-added proclaimed days only remove business days."""
    plain = BusinessCalendar.for_nation(nation)
    with_extra = BusinessCalendar.for_nation(nation, extra)
    assert fn(receipt, plain) <= fn(receipt, with_extra)
