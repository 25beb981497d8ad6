"""Business days are counted arithmetically (issue 18): whole weeks × 5 plus the remainder, minus
the weekday holidays in the range. The day-by-day walk the calendar used before is kept here only
as the oracle the arithmetic must agree with."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.disp.calendar import BusinessCalendar, Nation

settings.register_profile("calendar-arithmetic", database=None, deadline=None, max_examples=400)

PROCLAIMED = BusinessCalendar.for_nation(
    Nation.SCOTLAND,
    extra_holidays=[dt.date(2026, 6, 15), dt.date(2031, 3, 3), dt.date(2027, 5, 8)],
    removed_holidays=[dt.date(2026, 5, 25), dt.date(2030, 8, 5)],
)
CALENDARS = [*(BusinessCalendar.for_nation(n) for n in Nation), BusinessCalendar.conservative()]
CALENDARS.append(PROCLAIMED)

dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2045, 12, 31))
calendars = st.sampled_from(CALENDARS)


def stepping_business_days_between(cal: BusinessCalendar, start: dt.date, end: dt.date) -> int:
    """The old implementation: one is_business_day look-up per day of the range."""
    if end < start:
        return -stepping_business_days_between(cal, end, start)
    days = (start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(1 for day in days if cal.is_business_day(day))


def stepping_nth_business_day_after(cal: BusinessCalendar, day: dt.date, n: int) -> dt.date:
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if cal.is_business_day(day):
            counted += 1
    return day


def stepping_holidays_between(cal: BusinessCalendar, start: dt.date, end: dt.date):
    days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    return [(day, name) for day in days if (name := cal.holiday_name(day)) is not None]


@settings(settings.get_profile("calendar-arithmetic"))
@given(calendars, dates, dates)
def test_business_days_between_matches_the_day_by_day_count_over_any_range(cal, start, end):
    """Ranges of any length (up to 30 years), either direction: negative when overdue."""
    assert cal.business_days_between(start, end) == stepping_business_days_between(cal, start, end)


@settings(settings.get_profile("calendar-arithmetic"))
@given(calendars, dates, st.integers(min_value=-10, max_value=40))
def test_business_days_between_matches_the_day_by_day_count_over_short_ranges(cal, start, span):
    """Short ranges, where the weekday remainder and a holiday at either end matter most."""
    end = start + dt.timedelta(days=span)
    assert cal.business_days_between(start, end) == stepping_business_days_between(cal, start, end)


@settings(settings.get_profile("calendar-arithmetic"))
@given(calendars, dates, st.integers(min_value=0, max_value=400))
def test_nth_business_day_after_matches_the_day_by_day_walk(cal, day, n):
    """DISP 1.5.1R / 1.6.2AR: the n-th business day following the day of receipt."""
    assert cal.nth_business_day_after(day, n) == stepping_nth_business_day_after(cal, day, n)


@settings(settings.get_profile("calendar-arithmetic"))
@given(calendars, dates, st.integers(min_value=0, max_value=900))
def test_holidays_between_matches_the_day_by_day_listing(cal, start, span):
    end = start + dt.timedelta(days=span)
    assert cal.holidays_between(start, end) == stepping_holidays_between(cal, start, end)


def test_business_days_between_on_the_proclaimed_and_moved_days():
    """Scotland's proclaimed 15 June 2026 is closed; the moved-away 25 May 2026 is open."""
    cal = PROCLAIMED
    assert cal.business_days_between(dt.date(2026, 6, 12), dt.date(2026, 6, 15)) == 0
    assert cal.business_days_between(dt.date(2026, 5, 22), dt.date(2026, 5, 25)) == 1
    assert cal.nth_business_day_after(dt.date(2026, 6, 12), 1) == dt.date(2026, 6, 16)


class CountingCalendar(BusinessCalendar):
    """Counts every calendar look-up the business-day arithmetic makes."""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "lookups", [])

    def closed_weekdays(self, year: int) -> tuple[dt.date, ...]:
        self.lookups.append(year)  # type: ignore[attr-defined]
        return super().closed_weekdays(year)

    def is_business_day(self, day: dt.date) -> bool:
        self.lookups.append(day)  # type: ignore[attr-defined]
        return super().is_business_day(day)

    def holiday_name(self, day: dt.date) -> str | None:
        self.lookups.append(day)  # type: ignore[attr-defined]
        return super().holiday_name(day)


def test_a_ten_year_countdown_makes_one_lookup_per_year_not_one_per_day():
    """A complaint overdue for ten years costs a dozen look-ups, not 3,650 steps."""
    cal = CountingCalendar(Nation.ENGLAND)
    start, end = dt.date(2016, 3, 1), dt.date(2026, 3, 1)
    assert cal.business_days_between(end, start) == stepping_business_days_between(cal, end, start)
    cal.lookups.clear()  # type: ignore[attr-defined]
    cal.business_days_between(end, start)
    assert len(cal.lookups) <= 11  # type: ignore[attr-defined]


def test_a_long_business_day_step_makes_a_bounded_number_of_lookups():
    """nth_business_day_after over ~10 years: a few rounds of one look-up per year."""
    cal = CountingCalendar(Nation.ENGLAND)
    cal.nth_business_day_after(dt.date(2016, 3, 1), 2600)
    assert len(cal.lookups) <= 4 * 11  # type: ignore[attr-defined]
