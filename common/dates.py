"""Dates as people in the UK read them: "Thu 9 Apr 2026", "Thu 9 Apr 2026, close of business"."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def uk_date(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.astimezone(LONDON).date()
    return f"{d:%a} {d.day} {d:%b %Y}"


_CY_DAYS = ("Llun", "Maw", "Mer", "Iau", "Gwe", "Sad", "Sul")
_CY_MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)


def cy_date(d: date | datetime | None) -> str:
    """A date as a Welsh letter prints it: "Iau 9 Ebrill 2026" (``uk_date``'s shape)."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.astimezone(LONDON).date()
    return f"{_CY_DAYS[d.weekday()]} {d.day} {_CY_MONTHS[d.month - 1]} {d.year}"


def uk_datetime(dt: datetime | None) -> str:
    if dt is None:
        return ""
    local = dt.astimezone(LONDON)
    return f"{uk_date(local)}, {local:%H:%M}"


def uk_close_of_business(d: date | None) -> str:
    return f"{uk_date(d)}, close of business" if d else ""


def london_date(dt: datetime) -> date:
    """The Europe/London calendar date of an aware datetime (never the UTC date)."""
    return dt.astimezone(LONDON).date()
