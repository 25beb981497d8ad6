"""SUP 16.34 reporting calendar: pure functions over dates (no ORM), one firm at a time.

SUP 16.34.5R(2) [CP]: a firm's reporting reference dates are its accounting reference date (ARD)
and 3, 6 and 9 months after it. SUP 16.34.5R(1): the return is due "within 20 business days of
the end of the relevant reporting reference date", read as the 20th business day after the
reference date (day 0), on the England calendar (disp-rules §5.3, A3, A7).

A reporting period is ``(previous reference date, reference date]``. The first period a firm
reports starts on the later of the regime's commencement and the firm's authorisation (A8), so it
may be a stub shorter than a quarter. Periods ending before that are "trial" periods: a firm may
rehearse a return for them, but none is required.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from complaints.disp.calendar import BusinessCalendar

MONTH_END = "month_end"
LITERAL = "literal"
DUE_BUSINESS_DAYS = 20  # SUP 16.34.4R / 16.34.5R(1): quarterly, 20 business days


def _month_length(year: int, month: int) -> int:
    return _stdlib_calendar.monthrange(year, month)[1]


def _is_month_end_ard(month: int, day: int) -> bool:
    """An ARD on the last day of its month (28 or 29 Feb count: the ARD is a day and month)."""
    if month == 2:
        return day >= 28
    return day >= _month_length(2001, month)


def ard_in_year(month: int, day: int, year: int, convention: str = MONTH_END) -> date:
    """The accounting reference date falling in ``year``.

    Under the month-end convention a month-end ARD is always the last day of its month (28 Feb
    becomes 29 Feb in a leap year); otherwise, and under the literal reading, the day is clipped
    to the month's length (29 Feb becomes 28 Feb in other years).
    """
    length = _month_length(year, month)
    if convention == MONTH_END and _is_month_end_ard(month, day):
        return date(year, month, length)
    return date(year, month, min(day, length))


def reference_dates_from_ard(ard: date, month: int, day: int, convention: str) -> list[date]:
    """SUP 16.34.5R(2)(a)-(d): the ARD and 3, 6 and 9 months after it.

    A7: for an ARD at month end (31 Mar, 30 Sep) the month-end convention gives month ends
    (30 Sep + 3 months = 31 Dec); the literal reading is calendar arithmetic from the ARD with
    the corresponding-date rule (30 Sep + 3 months = 30 Dec; 31 Mar + 3 months = 30 Jun).
    """
    if convention not in (MONTH_END, LITERAL):
        raise ValueError(f"Unknown reference date convention {convention!r}")
    month_end = convention == MONTH_END and _is_month_end_ard(month, day)
    dates = []
    for months in (0, 3, 6, 9):
        d = ard + relativedelta(months=months)
        if month_end:
            d = d.replace(day=_month_length(d.year, d.month))
        dates.append(d)
    return dates


def reference_dates_between(
    start: date, end: date, *, month: int, day: int, convention: str = MONTH_END
) -> list[date]:
    """Every reference date ``d`` with ``start <= d <= end``, in order."""
    found: set[date] = set()
    for year in range(start.year - 1, end.year + 1):
        ard = ard_in_year(month, day, year, convention)
        found.update(
            d for d in reference_dates_from_ard(ard, month, day, convention) if start <= d <= end
        )
    return sorted(found)


def previous_reference_date(
    ref: date, *, month: int, day: int, convention: str = MONTH_END
) -> date:
    """The reference date before ``ref`` (there is always one within four months)."""
    candidates = reference_dates_between(
        ref - timedelta(days=124),
        ref - timedelta(days=1),
        month=month,
        day=day,
        convention=convention,
    )
    return candidates[-1]


def next_reference_date(day_: date, *, month: int, day: int, convention: str = MONTH_END) -> date:
    """The first reference date on or after ``day_``."""
    return reference_dates_between(
        day_, day_ + timedelta(days=124), month=month, day=day, convention=convention
    )[0]


def due_date(ref: date, calendar: BusinessCalendar) -> date:
    """SUP 16.34.5R(1): the 20th business day after the reference date (day 0)."""
    return calendar.nth_business_day_after(ref, DUE_BUSINESS_DAYS)


@dataclass(frozen=True)
class ReportingPeriod:
    """One quarterly reporting period and its return's due date."""

    start: date
    end: date  # the reporting reference date
    due: date
    is_stub: bool  # shortened because the firm's reporting starts inside it (A8)
    is_trial: bool  # ends before the firm's reporting starts: no return is required

    @property
    def required(self) -> bool:
        return not self.is_trial

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class FirmReportingCalendar:
    """A firm's reporting calendar: its ARD, the A7 convention, the day its reporting starts
    (A8: the later of commencement and authorisation) and the business-day calendar of the
    place returns are submitted to (A3: England)."""

    ard_month: int
    ard_day: int
    reporting_starts: date
    business_calendar: BusinessCalendar
    convention: str = MONTH_END

    def _kw(self) -> dict:
        return {"month": self.ard_month, "day": self.ard_day, "convention": self.convention}

    def is_reference_date(self, d: date) -> bool:
        return reference_dates_between(d, d, **self._kw()) == [d]

    def period_ending(self, ref: date) -> ReportingPeriod:
        """The period whose reference date is ``ref``; ValueError if ``ref`` is not one."""
        if not self.is_reference_date(ref):
            raise ValueError(
                f"{ref.isoformat()} is not a reporting reference date for an ARD of "
                f"{self.ard_day} {_stdlib_calendar.month_name[self.ard_month]} "
                f"(nearest: {self.nearest_reference_dates(ref)})"
            )
        start = previous_reference_date(ref, **self._kw()) + timedelta(days=1)
        is_trial = ref < self.reporting_starts
        is_stub = not is_trial and start < self.reporting_starts
        if is_stub:
            start = self.reporting_starts
        return ReportingPeriod(
            start=start,
            end=ref,
            due=due_date(ref, self.business_calendar),
            is_stub=is_stub,
            is_trial=is_trial,
        )

    def nearest_reference_dates(self, d: date) -> str:
        before = previous_reference_date(d, **self._kw())
        after = next_reference_date(d + timedelta(days=1), **self._kw())
        return f"{before.isoformat()} or {after.isoformat()}"

    def period_containing(self, d: date) -> ReportingPeriod:
        return self.period_ending(next_reference_date(d, **self._kw()))

    def periods_between(self, start: date, end: date) -> Iterator[ReportingPeriod]:
        """Periods whose reference date falls from ``start`` to ``end`` inclusive."""
        for ref in reference_dates_between(start, end, **self._kw()):
            yield self.period_ending(ref)

    def first_required_period(self) -> ReportingPeriod:
        return self.period_containing(self.reporting_starts)

    def latest_closed_period(self, today: date) -> ReportingPeriod:
        """The most recent period that ended before ``today``."""
        return self.period_ending(previous_reference_date(today, **self._kw()))
