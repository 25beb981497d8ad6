"""Calendar changes: a proclaimed bank holiday is data, and adding one moves deadlines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from common.audit import Actor, history_user, save_audited
from common.errors import ValidationFailed

from ..choices import Nation, Status
from ..errors import ErrorCode
from ..models import BankHoliday, Complaint
from ._base import require_text
from .case import complaint_recompute_deadlines

# Sent inside the transaction that added the holiday, with ``moves`` (a list of DeadlineMove),
# ``holiday`` and ``now``: the notifications app, above this one, tells each owner in the same
# transaction and answers with the number of notices it issued.
deadlines_moved = Signal()

# The longest business-day deadline is 35 business days (DISP 1.6.2AR(2)); a holiday can only
# move deadlines of complaints received within that span before it (generously bounded).
_LOOKBACK = timedelta(days=70)


@dataclass(frozen=True)
class DeadlineMove:
    """One complaint whose business-day deadlines a calendar change moved."""

    complaint_id: int
    firm_id: int
    reference: str
    owner_id: int | None
    changes: list[tuple[str, date | None, date | None]]  # (label, before, after)


@dataclass
class CalendarChange:
    holiday: BankHoliday
    recomputed: list[int] = field(default_factory=list)
    notified: int = 0


# The business-day deadlines a holiday can move, with the labels owners are shown.
_MOVABLE = (
    ("receipt_date", "Receipt date (day 0)"),
    ("src_deadline", "Summary resolution deadline (DISP 1.5.1R)"),
    ("final_response_due", "Final response due (DISP 1.6.2R / 1.6.2AR(1))"),
    ("extended_final_response_due", "Extended final response due (DISP 1.6.2AR(2))"),
    ("fos_referral_open_from", "FOS referral possible from (DISP 2.8.1R)"),
)


def bank_holiday_add(
    *, nation: str, day: date, name: str, actor: Actor, now: datetime
) -> BankHoliday:
    return bank_holiday_add_and_recompute(
        nation=nation, day=day, name=name, actor=actor, now=now
    ).holiday


def bank_holiday_add_and_recompute(
    *, nation: str, day: date, name: str, actor: Actor, now: datetime
) -> CalendarChange:
    """Add a one-off bank holiday for one nation and recompute the business-day deadlines of
    the open complaints it affects, each change audited and the owner notified."""
    if nation not in Nation.values:
        raise ValidationFailed(
            ErrorCode.VALIDATION, f"Unknown nation {nation!r}.", fields={"nation": ["Unknown."]}
        )
    require_text(name, "name", "Name the holiday.")
    with transaction.atomic():
        if BankHoliday.objects.filter(nation=nation, date=day).exists():
            raise ValidationFailed(
                ErrorCode.VALIDATION,
                f"{day} is already a bank holiday for {nation}.",
                fields={"date": ["Already a bank holiday."]},
            )
        holiday = BankHoliday(
            nation=nation, date=day, name=name.strip(), created_by=history_user(actor)
        )
        save_audited(holiday, actor=actor, reason="calendar.add_bank_holiday", before=None)
        change = CalendarChange(holiday)
        affected = Complaint.objects.filter(
            firm__nation=nation,
            status__in=Status.open_states(),
            receipt_date__gte=day - _LOOKBACK,
            receipt_date__lte=day,
        ).values("pk", "firm_id", "reference", *(name for name, _ in _MOVABLE))
        moves = []
        for row in affected:
            complaint, moved = complaint_recompute_deadlines(
                complaint_id=row["pk"], actor=actor, now=now, reason=f"bank holiday {day} added"
            )
            if moved:
                change.recomputed.append(row["pk"])
                moves.append(
                    DeadlineMove(
                        complaint_id=row["pk"],
                        firm_id=row["firm_id"],
                        reference=row["reference"],
                        owner_id=complaint.owner_id,
                        changes=[
                            (label, row[name], getattr(complaint, name))
                            for name, label in _MOVABLE
                            if row[name] != getattr(complaint, name)
                        ],
                    )
                )
        if moves:
            answers: list[tuple[Any, Any]] = deadlines_moved.send(
                sender=BankHoliday, moves=moves, holiday=holiday, now=now
            )
            change.notified = sum(n for _, n in answers if isinstance(n, int))
    return change
