"""Calendar changes: a proclaimed bank holiday is data, and adding one moves deadlines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction

from common.errors import ValidationFailed

from .choices import Nation, Status
from .errors import ErrorCode
from .models import BankHoliday, Complaint
from .services import _save_audited, complaint_recompute_deadlines

# The longest business-day deadline is 35 business days (DISP 1.6.2AR(2)); a holiday can only
# move deadlines of complaints received within that span before it (generously bounded).
_LOOKBACK = timedelta(days=70)


@dataclass
class CalendarChange:
    holiday: BankHoliday
    recomputed: list[int] = field(default_factory=list)


def bank_holiday_add(*, nation: str, day: date, name: str, actor, now: datetime) -> BankHoliday:
    return bank_holiday_add_and_recompute(
        nation=nation, day=day, name=name, actor=actor, now=now
    ).holiday


def bank_holiday_add_and_recompute(
    *, nation: str, day: date, name: str, actor, now: datetime
) -> CalendarChange:
    """Add a one-off bank holiday for one nation and recompute the business-day deadlines of
    the open complaints it affects, each change audited."""
    if nation not in Nation.values:
        raise ValidationFailed(
            ErrorCode.VALIDATION, f"Unknown nation {nation!r}.", fields={"nation": ["Unknown."]}
        )
    if not name.strip():
        raise ValidationFailed(
            ErrorCode.VALIDATION, "Name the holiday.", fields={"name": ["Required."]}
        )
    with transaction.atomic():
        if BankHoliday.objects.filter(nation=nation, date=day).exists():
            raise ValidationFailed(
                ErrorCode.VALIDATION,
                f"{day} is already a bank holiday for {nation}.",
                fields={"date": ["Already a bank holiday."]},
            )
        holiday = BankHoliday(nation=nation, date=day, name=name.strip(), created_by=actor)
        _save_audited(holiday, actor=actor, reason="calendar.add_bank_holiday", before=None)
        change = CalendarChange(holiday)
        affected = Complaint.objects.filter(
            firm__nation=nation,
            status__in=Status.open_states(),
            receipt_date__gte=day - _LOOKBACK,
            receipt_date__lte=day,
        ).values_list("pk", flat=True)
        for pk in affected:
            _, moved = complaint_recompute_deadlines(
                complaint_id=pk, actor=actor, now=now, reason=f"bank holiday {day} added"
            )
            if moved:
                change.recomputed.append(pk)
    return change
