"""A stored value as a person reads it in a timeline, an audit trail or a confirmation: dates
the UK way, yes/no for flags, money with thousands separators."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from .dates import uk_date, uk_datetime


def gbp(value: Decimal | int | float | str | None) -> str:
    """Money as people read it: "£1,510.05" (always two places, thousands separated); "—" when
    there is no amount. The one money format of pages, charts and letters."""
    if value is None or value == "":
        return "—"
    return f"£{Decimal(str(value)).quantize(Decimal('0.01')):,}"


def display_value(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return uk_datetime(value)
    if isinstance(value, date):
        return uk_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)
