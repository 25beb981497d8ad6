"""Input checks shared by the FOS services: coded validation errors, dates, money."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from common.dates import london_date
from common.errors import ValidationFailed

from ..errors import FosErrorCode


def _invalid(
    message: str, fields: dict[str, list[str]], rule: str | None = None
) -> ValidationFailed:
    return ValidationFailed(FosErrorCode.VALIDATION, message, fields=fields, rule=rule)


def _require_past(field: str, day: date | None, now: datetime) -> None:
    if day is not None and day > london_date(now):
        raise _invalid(f"{field}: cannot be in the future.", {field: ["Cannot be in the future."]})


def _money(field: str, value: object) -> Decimal | None:
    """An optional amount in pounds and pence: None when left blank."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise _invalid(
            f"{field}: not an amount.", {field: ["Enter an amount in pounds."]}
        ) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise _invalid(
            f"{field}: must be zero or more, in pounds and pence.",
            {field: ["Zero or more, at most two decimal places."]},
        )
    return amount


def _required_money(field: str, value: object) -> Decimal:
    amount = _money(field, value)
    if amount is None:
        raise _invalid(f"{field}: required.", {field: ["Required."]})
    return amount
