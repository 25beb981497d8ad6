from django import template

from common.dates import uk_date, uk_datetime
from common.display import gbp as _gbp

register = template.Library()


@register.filter
def ukdate(value) -> str:
    return uk_date(value)


@register.filter
def ukdatetime(value) -> str:
    return uk_datetime(value)


register.filter("money", _gbp)


@register.filter
def check_class(result: str) -> str:
    return {"pass": "deadline--later", "fail": "deadline--breached"}.get(result, "deadline--soon")
