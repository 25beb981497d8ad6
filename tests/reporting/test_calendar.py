"""SUP 16.34.4R / 16.34.5R reporting calendar: disp-rules.md §5.3 and worked examples E33–E39."""

from datetime import date

import pytest

from complaints.disp.calendar import BusinessCalendar
from reporting.calendar import (
    LITERAL,
    MONTH_END,
    FirmReportingCalendar,
    ard_in_year,
    due_date,
    reference_dates_between,
)

ENGLAND = BusinessCalendar.for_nation("england")
NI = BusinessCalendar.for_nation("northern-ireland")
GO_LIVE = date(2027, 10, 25)


def calendar(month: int, day: int, *, convention=MONTH_END, starts=GO_LIVE, business=ENGLAND):
    return FirmReportingCalendar(
        ard_month=month,
        ard_day=day,
        reporting_starts=starts,
        business_calendar=business,
        convention=convention,
    )


def test_sup_16_34_5r_e33_ard_31_march_first_stub_quarter_due_31_january_2028():
    """E33: the quarter ending Fri 31 Dec 2027 is the first after go-live: a stub from 25 Oct,
    due Mon 31 Jan 2028 (Mon 3 Jan 2028, the New Year substitute, is not a business day)."""
    period = calendar(3, 31).period_ending(date(2027, 12, 31))
    assert (period.start, period.end, period.due) == (
        date(2027, 10, 25),
        date(2027, 12, 31),
        date(2028, 1, 31),
    )
    assert period.is_stub and period.required
    assert reference_dates_between(date(2027, 4, 1), date(2028, 3, 31), month=3, day=31) == [
        date(2027, 6, 30),
        date(2027, 9, 30),
        date(2027, 12, 31),
        date(2028, 3, 31),
    ]


def test_sup_16_34_5r_e34_reference_date_31_march_2028_due_3_may():
    """E34: Good Friday 14 Apr, Easter Monday 17 Apr and 1 May 2028 are excluded."""
    period = calendar(3, 31).period_ending(date(2028, 3, 31))
    assert period.due == date(2028, 5, 3)
    assert period.start == date(2028, 1, 1) and not period.is_stub


@pytest.mark.parametrize(
    ("ref", "due"),
    [(date(2028, 6, 30), date(2028, 7, 28)), (date(2028, 9, 30), date(2028, 10, 27))],
)
def test_sup_16_34_5r_e35_june_and_september_2028(ref, due):
    assert calendar(3, 31).period_ending(ref).due == due


@pytest.mark.parametrize(
    ("ref", "due"),
    [
        (date(2027, 12, 31), date(2028, 1, 31)),
        (date(2028, 3, 31), date(2028, 5, 3)),
        (date(2028, 6, 30), date(2028, 7, 28)),
        (date(2028, 9, 30), date(2028, 10, 27)),
    ],
)
def test_sup_16_34_5r_e36_ard_31_december_gives_the_same_quarter_ends(ref, due):
    cal = calendar(12, 31)
    assert cal.is_reference_date(ref)
    assert cal.period_ending(ref).due == due


@pytest.mark.parametrize(
    ("ref", "due"),
    [(date(2028, 12, 31), date(2029, 1, 29)), (date(2029, 3, 31), date(2029, 4, 30))],
)
def test_sup_16_34_5r_e37_weekend_reference_dates(ref, due):
    """E37: Sun 31 Dec 2028 and Sat 31 Mar 2029 are still day 0."""
    assert calendar(12, 31).period_ending(ref).due == due


def test_sup_16_34_5r2_e38_ard_30_september_month_end_by_default_literal_as_setting():
    """A7/E38: "3 months after" 30 Sep is 31 Dec under the month-end convention (default) and
    Thu 30 Dec 2027 under the literal reading."""
    month_end = calendar(9, 30)
    assert month_end.is_reference_date(date(2027, 12, 31))
    assert not month_end.is_reference_date(date(2027, 12, 30))
    assert month_end.period_ending(date(2027, 12, 31)).due == date(2028, 1, 31)

    literal = calendar(9, 30, convention=LITERAL)
    assert literal.is_reference_date(date(2027, 12, 30))
    assert literal.period_ending(date(2027, 12, 30)).due == date(2028, 1, 28)
    assert reference_dates_between(
        date(2027, 9, 1), date(2028, 9, 30), month=9, day=30, convention=LITERAL
    ) == [
        date(2027, 9, 30),
        date(2027, 12, 30),
        date(2028, 3, 30),
        date(2028, 6, 30),
        date(2028, 9, 30),
    ]


def test_sup_16_34_5r_e39_calendar_choice_matters_england_by_default():
    """E39/A3: 30 Jun 2028 is due Fri 28 Jul on England's calendar, Mon 31 Jul on NI's."""
    assert due_date(date(2028, 6, 30), ENGLAND) == date(2028, 7, 28)
    assert due_date(date(2028, 6, 30), NI) == date(2028, 7, 31)
    assert calendar(3, 31, business=NI).period_ending(date(2028, 6, 30)).due == date(2028, 7, 31)


def test_a8_stub_period_starts_on_a_later_authorisation_date():
    cal = calendar(3, 31, starts=date(2028, 2, 14))
    stub = cal.first_required_period()
    assert (stub.start, stub.end, stub.is_stub) == (date(2028, 2, 14), date(2028, 3, 31), True)
    before = cal.period_ending(date(2027, 12, 31))
    assert before.is_trial and not before.required and not before.is_stub
    assert before.start == date(2027, 10, 1)


def test_periods_are_contiguous_from_the_previous_reference_date_exclusive():
    cal = calendar(12, 31)
    periods = list(cal.periods_between(date(2028, 1, 1), date(2029, 12, 31)))
    assert [p.end for p in periods][:3] == [date(2028, 3, 31), date(2028, 6, 30), date(2028, 9, 30)]
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert (later.start - earlier.end).days == 1


def test_a_date_that_is_not_a_reference_date_is_refused_with_the_nearest_ones():
    with pytest.raises(ValueError, match="2028-03-31 or 2028-06-30"):
        calendar(3, 31).period_ending(date(2028, 5, 15))


def test_month_end_ard_in_february_follows_leap_years():
    assert ard_in_year(2, 28, 2028) == date(2028, 2, 29)
    assert ard_in_year(2, 28, 2028, LITERAL) == date(2028, 2, 28)
    assert ard_in_year(2, 29, 2027, LITERAL) == date(2027, 2, 28)
    # ARD 28 Feb, month-end: the quarter ends are the last days of May, Aug and Nov.
    assert reference_dates_between(date(2028, 1, 1), date(2028, 12, 31), month=2, day=28) == [
        date(2028, 2, 29),
        date(2028, 5, 31),
        date(2028, 8, 31),
        date(2028, 11, 30),
    ]


def test_a_mid_month_ard_is_the_same_under_both_readings():
    for convention in (MONTH_END, LITERAL):
        assert reference_dates_between(
            date(2028, 1, 1), date(2028, 12, 31), month=1, day=15, convention=convention
        ) == [date(2028, 1, 15), date(2028, 4, 15), date(2028, 7, 15), date(2028, 10, 15)]
