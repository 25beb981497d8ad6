from decimal import Decimal

from django import template

from common.dates import uk_date, uk_datetime

register = template.Library()


@register.filter
def ukdate(value) -> str:
    return uk_date(value)


@register.filter
def ukdatetime(value) -> str:
    return uk_datetime(value)


@register.filter
def money(value) -> str:
    if value is None or value == "":
        return "—"
    return f"£{Decimal(value):,.2f}"


@register.filter
def check_class(result: str) -> str:
    return {"pass": "deadline--later", "fail": "deadline--breached"}.get(result, "deadline--soon")
