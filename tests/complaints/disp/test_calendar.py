"""Glossary "business day" (1)(a) calendars: disp-rules.md §1.2 table and E33–E39 (20 BD)."""

import datetime as dt
import re

import holidays
import pytest

from complaints.disp import calendar as calendar_module
from complaints.disp.calendar import (
    CONSERVATIVE,
    ENGLAND_CALENDAR,
    EXTRA_HOLIDAY_NAME,
    BusinessCalendar,
    Nation,
)

D = dt.date

# disp-rules.md §1.2, copied verbatim: weekday bank/public holidays (non-business days).
TABLE_1_2 = {
    ("england", 2026): "01 Jan (Thu), 03 Apr (Fri), 06 Apr (Mon), 04 May (Mon), 25 May (Mon), "
    "31 Aug (Mon), 25 Dec (Fri), 28 Dec (Mon)",
    ("england", 2027): "01 Jan (Fri), 26 Mar (Fri), 29 Mar (Mon), 03 May (Mon), 31 May (Mon), "
    "30 Aug (Mon), 27 Dec (Mon), 28 Dec (Tue)",
    ("england", 2028): "03 Jan (Mon), 14 Apr (Fri), 17 Apr (Mon), 01 May (Mon), 29 May (Mon), "
    "28 Aug (Mon), 25 Dec (Mon), 26 Dec (Tue)",
    ("scotland", 2026): "01 Jan (Thu), 02 Jan (Fri), 03 Apr (Fri), 04 May (Mon), 25 May (Mon), "
    "15 Jun (Mon), 03 Aug (Mon), 30 Nov (Mon), 25 Dec (Fri), 28 Dec (Mon)",
    ("scotland", 2027): "01 Jan (Fri), 04 Jan (Mon), 26 Mar (Fri), 03 May (Mon), 31 May (Mon), "
    "02 Aug (Mon), 30 Nov (Tue), 27 Dec (Mon), 28 Dec (Tue)",
    ("scotland", 2028): "03 Jan (Mon), 04 Jan (Tue), 14 Apr (Fri), 01 May (Mon), 29 May (Mon), "
    "07 Aug (Mon), 30 Nov (Thu), 25 Dec (Mon), 26 Dec (Tue)",
    ("northern-ireland", 2026): "01 Jan (Thu), 17 Mar (Tue), 03 Apr (Fri), 06 Apr (Mon), "
    "04 May (Mon), 25 May (Mon), 13 Jul (Mon, Boyne substitute), 31 Aug (Mon), 25 Dec (Fri), "
    "28 Dec (Mon)",
    ("northern-ireland", 2027): "01 Jan (Fri), 17 Mar (Wed), 26 Mar (Fri), 29 Mar (Mon), "
    "03 May (Mon), 31 May (Mon), 12 Jul (Mon), 30 Aug (Mon), 27 Dec (Mon), 28 Dec (Tue)",
    ("northern-ireland", 2028): "03 Jan (Mon), 17 Mar (Fri), 14 Apr (Fri), 17 Apr (Mon), "
    "01 May (Mon), 29 May (Mon), 12 Jul (Wed), 28 Aug (Mon), 25 Dec (Mon), 26 Dec (Tue)",
}


def _parse_row(year: int, row: str) -> list[tuple[dt.date, str]]:
    entries = re.findall(r"(\d\d \w\w\w) \((\w\w\w)", row)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return [(D(year, months.index(day[3:]) + 1, int(day[:2])), wd) for day, wd in entries]


def _weekday_non_business_days(cal: BusinessCalendar, year: int) -> list[dt.date]:
    days = (D(year, 1, 1) + dt.timedelta(days=i) for i in range(366))
    return [d for d in days if d.year == year and d.weekday() < 5 and not cal.is_business_day(d)]


@pytest.mark.parametrize(("nation", "year"), list(TABLE_1_2), ids=lambda v: str(v))
def test_table_1_2_weekday_holidays_by_part_of_uk(nation: str, year: int) -> None:
    """§1.2 table / Glossary "business day" (1)(a): weekday non-business days per part of the UK."""
    expected = _parse_row(year, TABLE_1_2[(nation, year)])
    assert [d.strftime("%a") for d, _ in expected] == [wd for _, wd in expected]
    cal = BusinessCalendar.for_nation(nation)
    assert _weekday_non_business_days(cal, year) == [d for d, _ in expected]


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_wales_uses_the_england_and_wales_calendar(year: int) -> None:
    """§1.2: Wales has the same bank holidays as England."""
    wales = BusinessCalendar.for_nation(Nation.WALES)
    assert _weekday_non_business_days(wales, year) == _weekday_non_business_days(
        ENGLAND_CALENDAR, year
    )


def test_scotland_proclaimed_15_june_2026_and_ni_boyne_substitute() -> None:
    """§1.2: the one-off Scottish bank holiday and NI's 13 Jul 2026 substitute are in the data."""
    scotland = BusinessCalendar.for_nation("scotland")
    ni = BusinessCalendar.for_nation("northern-ireland")
    assert not scotland.is_business_day(D(2026, 6, 15))
    assert ENGLAND_CALENDAR.is_business_day(D(2026, 6, 15))
    assert not ni.is_business_day(D(2026, 7, 13))
    assert ENGLAND_CALENDAR.is_business_day(D(2026, 7, 13))


@pytest.mark.parametrize(
    ("ref", "due"),
    [
        pytest.param(D(2027, 12, 31), D(2028, 1, 31), id="E33-SUP16.34.5R-stub-quarter"),
        pytest.param(D(2028, 3, 31), D(2028, 5, 3), id="E34-SUP16.34.5R-easter-mayday"),
        pytest.param(D(2028, 6, 30), D(2028, 7, 28), id="E35-SUP16.34.5R-jun"),
        pytest.param(D(2028, 9, 30), D(2028, 10, 27), id="E35-SUP16.34.5R-sep-saturday"),
        pytest.param(D(2028, 12, 31), D(2029, 1, 29), id="E37-SUP16.34.5R-dec-sunday"),
        pytest.param(D(2029, 3, 31), D(2029, 4, 30), id="E37-SUP16.34.5R-mar-saturday"),
        pytest.param(D(2027, 12, 30), D(2028, 1, 28), id="E38-SUP16.34.5R-literal-reading"),
        pytest.param(D(2027, 12, 31), D(2028, 1, 31), id="E38-SUP16.34.5R-month-end-reading"),
        pytest.param(D(2028, 6, 30), D(2028, 7, 28), id="E39-SUP16.34.5R-england"),
    ],
)
def test_sup_16_34_20_business_days_england(ref: dt.date, due: dt.date) -> None:
    """SUP 16.34.5R(1): due 20 business days after the reference date, England calendar."""
    assert ENGLAND_CALENDAR.nth_business_day_after(ref, 20) == due


def test_e36_ard_31_december_quarter_ends() -> None:
    """E36 (SUP 16.34.5R): ARD 31 Dec gives the same quarter-end due dates as ARD 31 Mar."""
    refs = [D(2027, 12, 31), D(2028, 3, 31), D(2028, 6, 30), D(2028, 9, 30)]
    assert [ENGLAND_CALENDAR.nth_business_day_after(r, 20) for r in refs] == [
        D(2028, 1, 31),
        D(2028, 5, 3),
        D(2028, 7, 28),
        D(2028, 10, 27),
    ]


def test_e39_northern_ireland_calendar_differs_from_england() -> None:
    """E39 (SUP 16.34.5R, A3): NI's 12 Jul makes the 30 Jun 2028 return due later than England."""
    ni = BusinessCalendar.for_nation(Nation.NORTHERN_IRELAND)
    assert ni.nth_business_day_after(D(2028, 6, 30), 20) == D(2028, 7, 31)


def test_day_zero_is_never_counted_even_when_a_business_day() -> None:
    """Assumption (a) of §7: the start day is day 0."""
    assert ENGLAND_CALENDAR.nth_business_day_after(D(2026, 4, 13), 0) == D(2026, 4, 13)
    assert ENGLAND_CALENDAR.nth_business_day_after(D(2026, 4, 13), 1) == D(2026, 4, 14)
    assert ENGLAND_CALENDAR.next_business_day(D(2026, 4, 2)) == D(2026, 4, 7)
    with pytest.raises(ValueError):
        ENGLAND_CALENDAR.nth_business_day_after(D(2026, 4, 13), -1)


def test_business_days_between_is_signed_and_excludes_start() -> None:
    """UI countdown: Thu 2 Apr 2026 to Thu 9 Apr 2026 in England is 3 business days (E1)."""
    assert ENGLAND_CALENDAR.business_days_between(D(2026, 4, 2), D(2026, 4, 9)) == 3
    assert ENGLAND_CALENDAR.business_days_between(D(2026, 4, 9), D(2026, 4, 2)) == -3
    assert ENGLAND_CALENDAR.business_days_between(D(2026, 4, 9), D(2026, 4, 9)) == 0
    assert ENGLAND_CALENDAR.business_days_between(D(2026, 4, 3), D(2026, 4, 6)) == 0


def test_holidays_between_names_weekend_and_observed_days() -> None:
    assert ENGLAND_CALENDAR.holidays_between(D(2027, 12, 25), D(2028, 1, 3)) == [
        (D(2027, 12, 25), "Christmas Day"),
        (D(2027, 12, 26), "Boxing Day"),
        (D(2027, 12, 27), "Christmas Day (observed)"),
        (D(2027, 12, 28), "Boxing Day (observed)"),
        (D(2028, 1, 1), "New Year's Day"),
        (D(2028, 1, 3), "New Year's Day (observed)"),
    ]


def test_administrator_added_holiday_moves_deadline_and_changes_version() -> None:
    """A proclaimed one-off bank holiday (like 15 Jun 2026) is data: adding one moves deadlines."""
    extra_day = D(2026, 4, 8)
    with_extra = BusinessCalendar.for_nation(Nation.ENGLAND, extra_holidays=[extra_day])
    assert ENGLAND_CALENDAR.nth_business_day_after(D(2026, 4, 2), 3) == D(2026, 4, 9)
    assert with_extra.nth_business_day_after(D(2026, 4, 2), 3) == D(2026, 4, 10)
    assert not with_extra.is_business_day(extra_day)
    assert (extra_day, EXTRA_HOLIDAY_NAME) in with_extra.holidays_between(extra_day, extra_day)
    assert with_extra.version != ENGLAND_CALENDAR.version
    assert ENGLAND_CALENDAR.version == f"holidays-{holidays.__version__}/england"


def test_version_is_stable_for_the_same_content() -> None:
    a = BusinessCalendar.for_nation("scotland", [D(2026, 9, 1), D(2026, 9, 2)])
    b = BusinessCalendar.for_nation(Nation.SCOTLAND, (D(2026, 9, 2), D(2026, 9, 1)))
    other = BusinessCalendar.for_nation(Nation.SCOTLAND, [D(2026, 9, 3)])
    assert a == b
    assert a.version == b.version
    assert a.version.startswith("holidays-0.108/scotland+2extra-")
    assert other.version != a.version


def test_conservative_counts_only_holidays_common_to_all_parts() -> None:
    """A3 conservative mode: Easter Monday (not Scottish) and 2 Jan (Scottish) are business days."""
    cons = BusinessCalendar.conservative()
    assert cons == BusinessCalendar.for_nation(CONSERVATIVE)
    assert cons.is_business_day(D(2026, 4, 6))
    assert cons.is_business_day(D(2026, 1, 2))
    assert cons.is_business_day(D(2026, 3, 17))
    assert not cons.is_business_day(D(2026, 4, 3))
    assert not cons.is_business_day(D(2026, 12, 28))
    assert _weekday_non_business_days(cons, 2026) == [
        D(2026, 1, 1),
        D(2026, 4, 3),
        D(2026, 5, 4),
        D(2026, 5, 25),
        D(2026, 12, 25),
        D(2026, 12, 28),
    ]


def test_unknown_nation_is_rejected() -> None:
    with pytest.raises(ValueError):
        BusinessCalendar.for_nation("isle-of-man")
    with pytest.raises(ValueError):
        BusinessCalendar("isle-of-man")  # type: ignore[arg-type]


def test_stored_nation_string_builds_the_same_calendar() -> None:
    assert BusinessCalendar("scotland") == BusinessCalendar.for_nation(Nation.SCOTLAND)  # type: ignore[arg-type]
    assert BusinessCalendar("scotland").nation is Nation.SCOTLAND  # type: ignore[arg-type]


def test_holiday_data_is_built_once_per_nation_and_year(monkeypatch: pytest.MonkeyPatch) -> None:
    """Performance: deadline loops look up a cached set, never rebuild holiday objects."""
    built: list[tuple[str, int]] = []
    real = holidays.country_holidays

    def counting(country: str, *, subdiv: str, years: int) -> holidays.HolidayBase:
        built.append((subdiv, years))
        return real(country, subdiv=subdiv, years=years)

    caches = (
        calendar_module._nation_holidays,
        calendar_module._region_holidays,
        calendar_module._closed_weekdays,
        calendar_module._named_days,
    )
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(calendar_module.holidays, "country_holidays", counting)
    try:
        cal = BusinessCalendar.for_nation(Nation.SCOTLAND)
        for _ in range(200):
            cal.nth_business_day_after(D(2026, 12, 17), 35)
        assert sorted(built) == [("SCT", 2026), ("SCT", 2027)]
    finally:
        for cached in caches:
            cached.cache_clear()


def test_glossary_business_day_a_moved_bank_holiday_is_a_business_day_again() -> None:
    """Glossary "business day" (1)(a): a proclamation moving a bank holiday (2020: Early May bank
    holiday moved from Mon 4 May to Fri 8 May) makes the old day a business day and the new day
    a holiday; Christmas Day and Good Friday, named by the Glossary itself, stay holidays."""
    moved = BusinessCalendar.for_nation(
        Nation.ENGLAND, extra_holidays=[D(2026, 5, 8)], removed_holidays=[D(2026, 5, 4)]
    )
    assert not ENGLAND_CALENDAR.is_business_day(D(2026, 5, 4))
    assert moved.is_business_day(D(2026, 5, 4))
    assert moved.holiday_name(D(2026, 5, 4)) is None
    assert not moved.is_business_day(D(2026, 5, 8))
    # Received Fri 1 May 2026: the SRC deadline (DISP 1.5.1R) comes a day earlier.
    assert ENGLAND_CALENDAR.nth_business_day_after(D(2026, 5, 1), 3) == D(2026, 5, 7)
    assert moved.nth_business_day_after(D(2026, 5, 1), 3) == D(2026, 5, 6)
    assert moved.version.startswith(f"holidays-{holidays.__version__}/england+1extra-1moved-")
    assert moved.version != BusinessCalendar.for_nation(Nation.ENGLAND, [D(2026, 5, 8)]).version
    christmas = BusinessCalendar.for_nation(Nation.ENGLAND, removed_holidays=[D(2026, 12, 25)])
    assert not christmas.is_business_day(D(2026, 12, 25))
    assert christmas.version == ENGLAND_CALENDAR.version
