from decimal import Decimal

from django import template

from common import dates

register = template.Library()


@register.filter
def uk_date(value) -> str:
    return dates.uk_date(value)


@register.filter
def uk_datetime(value) -> str:
    return dates.uk_datetime(value)


@register.filter
def gbp(value) -> str:
    if value in (None, ""):
        return "—"
    return f"£{Decimal(value):,.2f}"


@register.filter
def indent(depth: int) -> str:
    return "\u2003" * int(depth)
