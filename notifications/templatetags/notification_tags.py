from django import template

from common.dates import uk_datetime as _uk_datetime

register = template.Library()


@register.filter
def uk_datetime(value) -> str:
    return _uk_datetime(value)
