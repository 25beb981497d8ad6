"""UK business-day calendars for the DISP clocks.

Glossary "business day" (1)(a): any day which is not a Saturday or Sunday, Christmas Day, Good
Friday or a bank holiday *in that part of the United Kingdom*. Which part applies is a firm
setting (disp-rules.md A3); SUP 16.34 submissions use England.

Bank holidays are data, not an algorithm (Scotland's proclaimed 15 June 2026 shows why): they come
from the ``holidays`` package plus administrator-added proclaimed days, and every calendar carries
a ``version`` string that is stored beside each deadline computed with it.
"""

import datetime as dt
import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from typing import Literal

import holidays
from dateutil.easter import easter


class Nation(StrEnum):
    """A part of the United Kingdom with its own bank holidays."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


CONSERVATIVE: Literal["conservative"] = "conservative"
"""Region counting only the holidays common to every part of the UK (A3): the earliest deadline."""

Region = Nation | Literal["conservative"]

EXTRA_HOLIDAY_NAME = "Proclaimed bank holiday (added by administrator)"

_SUBDIVISIONS: Mapping[Nation, str] = {
    Nation.ENGLAND: "ENG",
    # The holidays package's WLS data is the England & Wales calendar (gov.uk "england-and-wales").
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}
_LABELS: Mapping[Region, str] = {
    Nation.ENGLAND: "England",
    Nation.WALES: "Wales",
    Nation.SCOTLAND: "Scotland",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
    CONSERVATIVE: "conservative (holidays common to all UK parts)",
}


def _glossary_days(year: int) -> dict[dt.date, str]:
    """Glossary "business day" (1)(a) names Christmas Day and Good Friday in every part of the UK.

    In England they are common-law holidays rather than bank holidays, so they are added here
    explicitly instead of trusting the holiday data to list them.
    """
    return {
        dt.date(year, 12, 25): "Christmas Day",
        easter(year) - dt.timedelta(days=2): "Good Friday",
    }


def glossary_day(day: dt.date) -> str | None:
    """ "Christmas Day" or "Good Friday" when the Glossary itself names ``day`` as a non-business
    day: no proclamation moving a bank holiday makes it a business day."""
    return _glossary_days(day.year).get(day)


@cache
def _nation_holidays(nation: Nation, year: int) -> Mapping[dt.date, str]:
    # Built once per (nation, year): deadline loops only do dictionary look-ups.
    source = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year)
    days = _glossary_days(year)
    days.update((day, name) for day, name in source.items() if day.year == year)
    return MappingProxyType(days)


@cache
def _region_holidays(region: Region, year: int) -> Mapping[dt.date, str]:
    if region != CONSERVATIVE:
        return _nation_holidays(Nation(region), year)
    england = _nation_holidays(Nation.ENGLAND, year)
    others = [_nation_holidays(n, year) for n in Nation if n is not Nation.ENGLAND]
    return MappingProxyType(
        {day: name for day, name in england.items() if all(day in o for o in others)}
    )


def _region(value: str) -> Region:
    """``"conservative"`` or a :class:`Nation` value; anything else is a ValueError."""
    return CONSERVATIVE if value == CONSERVATIVE else Nation(value)


def _weekdays_to(day: dt.date) -> int:
    """Monday-to-Friday dates from 1 January 1 AD (a Monday) up to and including ``day``."""
    since = day.toordinal() - 1  # since % 7 == day.weekday()
    return since // 7 * 5 + min(since % 7 + 1, 5)


def _weekdays_between(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday dates after ``start`` up to and including ``end`` (start <= end)."""
    return _weekdays_to(end) - _weekdays_to(start)


def _add_weekdays(day: dt.date, n: int) -> dt.date:
    """The ``n``-th Monday-to-Friday date after ``day`` (n >= 1): whole weeks, then the rest."""
    if day.weekday() >= 5:  # the weekdays after a weekend day are those after its Friday
        day -= dt.timedelta(days=day.weekday() - 4)
    weeks, rest = divmod(n, 5)
    day += dt.timedelta(weeks=weeks)
    if rest:
        day += dt.timedelta(days=rest + 2 if day.weekday() + rest > 4 else rest)
    return day


def _count_in(days: tuple[dt.date, ...], start: dt.date, end: dt.date) -> int:
    """How many of the sorted ``days`` fall after ``start`` up to and including ``end``."""
    return bisect_right(days, end) - bisect_right(days, start)


@cache
def _closed_weekdays(
    region: Region, extra: frozenset[dt.date], removed: frozenset[dt.date], year: int
) -> tuple[dt.date, ...]:
    """Sorted Monday-to-Friday dates of ``year`` that are not business days in the calendar."""
    listed = {d for d in _region_holidays(region, year) if d not in removed}
    listed.update(d for d in extra if d.year == year)
    return tuple(sorted(d for d in listed if d.weekday() < 5))


@cache
def _named_days(
    region: Region, extra: frozenset[dt.date], removed: frozenset[dt.date], year: int
) -> tuple[tuple[dt.date, str], ...]:
    """Every holiday of ``year`` in the calendar, weekend or not, sorted by date."""
    named = {d: name for d, name in _region_holidays(region, year).items() if d not in removed}
    for day in extra:
        if day.year == year:
            named.setdefault(day, EXTRA_HOLIDAY_NAME)
    return tuple(sorted(named.items()))


@dataclass(frozen=True)
class BusinessCalendar:
    """Business days in one part of the UK (or the conservative all-UK intersection).

    Build with :meth:`for_nation` or :meth:`conservative`. ``extra_holidays`` are proclaimed
    one-off bank holidays an administrator has added; ``removed_holidays`` are the days a
    proclamation moved a bank holiday away from (they are business days again, unless the
    Glossary names them: Christmas Day and Good Friday stay). Both change ``version``.
    """

    nation: Region
    extra_holidays: frozenset[dt.date] = frozenset()
    removed_holidays: frozenset[dt.date] = frozenset()
    version: str = field(init=False)

    def __post_init__(self) -> None:
        # Normalise so a stored string ("scotland") and the enum build equal calendars.
        object.__setattr__(self, "nation", _region(self.nation))
        object.__setattr__(self, "extra_holidays", frozenset(self.extra_holidays))
        removed = frozenset(
            day
            for day in self.removed_holidays
            if day not in self.extra_holidays and glossary_day(day) is None
        )
        object.__setattr__(self, "removed_holidays", removed)
        object.__setattr__(self, "version", self._content_version())

    @classmethod
    def for_nation(
        cls,
        nation: Nation | str,
        extra_holidays: Iterable[dt.date] = (),
        removed_holidays: Iterable[dt.date] = (),
    ) -> "BusinessCalendar":
        """Calendar for a part of the UK; ``"conservative"`` gives :meth:`conservative`."""
        return cls(_region(nation), frozenset(extra_holidays), frozenset(removed_holidays))

    @classmethod
    def conservative(cls, extra_holidays: Iterable[dt.date] = ()) -> "BusinessCalendar":
        """A3 conservative mode: only holidays common to all parts, so never a later deadline."""
        return cls(CONSERVATIVE, frozenset(extra_holidays))

    @property
    def label(self) -> str:
        return _LABELS[self.nation]

    def _content_version(self) -> str:
        version = f"holidays-{holidays.__version__}/{self.nation}"
        if not self.extra_holidays and not self.removed_holidays:
            return version
        listed = ",".join(sorted(day.isoformat() for day in self.extra_holidays))
        if self.removed_holidays:
            listed += "-" + ",".join(sorted(day.isoformat() for day in self.removed_holidays))
        digest = hashlib.sha256(listed.encode()).hexdigest()[:8]
        moved = f"{len(self.removed_holidays)}moved-" if self.removed_holidays else ""
        return f"{version}+{len(self.extra_holidays)}extra-{moved}{digest}"

    def holiday_name(self, day: dt.date) -> str | None:
        """Name of the holiday on ``day`` in this calendar, weekend or not; None if none."""
        if day in self.removed_holidays:
            return None
        name = _region_holidays(self.nation, day.year).get(day)
        if name is None and day in self.extra_holidays:
            return EXTRA_HOLIDAY_NAME
        return name

    def is_business_day(self, day: dt.date) -> bool:
        """Glossary "business day" (1)(a): not a weekend, Christmas Day, Good Friday or holiday."""
        if day.weekday() >= 5 or day in self.extra_holidays:
            return False
        return day in self.removed_holidays or day not in _region_holidays(self.nation, day.year)

    def closed_weekdays(self, year: int) -> tuple[dt.date, ...]:
        """Sorted Monday-to-Friday dates of ``year`` that are holidays here (built once a year
        per calendar): the only look-up the business-day arithmetic makes."""
        return _closed_weekdays(self.nation, self.extra_holidays, self.removed_holidays, year)

    def _closed_between(self, start: dt.date, end: dt.date) -> int:
        """Holidays on weekdays after ``start`` up to and including ``end`` (start <= end):
        one look-up per year in the range, a bisect at each end."""
        return sum(
            _count_in(self.closed_weekdays(year), start, end)
            for year in range(start.year, end.year + 1)
        )

    def nth_business_day_after(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th business day after ``day``; ``day`` itself is day 0 and never counted.

        DISP 1.5.1R / 1.6.2AR count "business days following the day on which it is received",
        so receipt on a weekend or holiday still starts the count from that day.

        Arithmetic, not a walk: step ``n`` weekdays, then as many more as holidays fell in the
        stretch just added (each step adds only weekdays, so the count never overshoots, and
        the step that reaches ``n`` ends on a business day).
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        counted, end = 0, day
        while counted < n:
            nxt = _add_weekdays(end, n - counted)
            counted += _weekdays_between(end, nxt) - self._closed_between(end, nxt)
            end = nxt
        return end

    def next_business_day(self, day: dt.date) -> dt.date:
        """First business day strictly after ``day``."""
        return self.nth_business_day_after(day, 1)

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Signed count of business days after ``start`` up to and including ``end``.

        Negative when ``end`` is before ``start`` (an overdue countdown), so that
        ``business_days_between(d, nth_business_day_after(d, n)) == n``. Counted arithmetically
        (whole weeks × 5 plus the remainder, minus the weekday holidays in the range), so a
        countdown years overdue costs what a short one does.
        """
        if end < start:
            return -self.business_days_between(end, start)
        return _weekdays_between(start, end) - self._closed_between(start, end)

    def holidays_between(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """Holidays (including those falling at weekends) from ``start`` to ``end`` inclusive."""
        found: list[tuple[dt.date, str]] = []
        for year in range(start.year, end.year + 1):
            named = _named_days(self.nation, self.extra_holidays, self.removed_holidays, year)
            days = [day for day, _ in named]
            found.extend(named[bisect_left(days, start) : bisect_right(days, end)])
        return found


ENGLAND_CALENDAR = BusinessCalendar.for_nation(Nation.ENGLAND)
"""England calendar: SUP 16.34 returns are "submitted to a place in" England (FCA, London)."""
