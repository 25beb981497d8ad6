from django import template

from common.dates import uk_date, uk_datetime

register = template.Library()


@register.filter(name="uk_date")
def uk_date_filter(value) -> str:
    return uk_date(value)


@register.filter(name="uk_datetime")
def uk_datetime_filter(value) -> str:
    return uk_datetime(value)


@register.filter
def figure(value) -> str:
    """A return figure: thousands separated; None is "Not required" or "Needs snapshot"."""
    return "—" if value is None else f"{value:,}"


@register.filter
def person(user) -> str:
    """Who did something: full name, else username; "system" for commands and jobs."""
    if user is None:
        return "system"
    return user.get_full_name() or user.username
