"""Dates as people in the UK read them, for templates: ``{{ d|uk_date }}`` → "Thu 9 Apr 2026".

All values are shown in Europe/London whatever the server's zone.
"""

from django import template

from common import dates

register = template.Library()


@register.filter
def uk_date(value) -> str:
    """ "Thu 9 Apr 2026" for a date or an aware datetime."""
    return dates.uk_date(value) if value else ""


@register.filter
def uk_datetime(value) -> str:
    """ "Thu 9 Apr 2026, 14:05" in Europe/London."""
    return dates.uk_datetime(value) if value else ""


@register.filter
def uk_close_of_business(value) -> str:
    """ "Thu 9 Apr 2026, close of business" (a DISP 1.5.1R SRC deadline)."""
    if not value:
        return ""
    return dates.uk_close_of_business(dates.london_date(value) if hasattr(value, "hour") else value)


@register.filter
def iso_date(value) -> str:
    """For ``<time datetime="...">`` so assistive tech and scripts get the machine date."""
    return value.isoformat() if value else ""
