from django import template

from common import dates, display

register = template.Library()


@register.filter
def uk_date(value) -> str:
    return dates.uk_date(value)


@register.filter
def uk_datetime(value) -> str:
    return dates.uk_datetime(value)


register.filter("gbp", display.gbp)


@register.filter
def indent(depth: int) -> str:
    return "\u2003" * int(depth)
