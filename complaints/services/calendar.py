"""Calendar changes: a proclaimed bank holiday is data, and recording one moves deadlines.

A change is one row (one audit entry): a day added for a region, or a proclamation that moves a
bank holiday (``replaces`` stops being one, ``day`` becomes one). A region may cover two parts
of the UK: England and Wales share one calendar, so their day is entered once. Every change
recomputes the business-day deadlines (Glossary "business day" (1)(a); DISP 1.5.1R, 1.6.2AR) of
the open complaints it can move, and announces itself with ``deadlines_moved`` so that the apps
above this one react inside the same transaction: notifications tells the owners, reporting
recomputes the stored due dates of returns not yet submitted (SUP 16.34.5R(1)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.dispatch import Signal

from common.audit import Actor, history_user, save_audited
from common.dates import LONDON, london_date, uk_date
from common.errors import ValidationFailed

from ..choices import HolidayRegion, Status
from ..deadlines import calendars_by_nation
from ..disp.calendar import glossary_day
from ..errors import ErrorCode
from ..models import BankHoliday, Complaint
from ._base import require_text
from .case import complaint_recompute_deadlines

# Sent inside the transaction that recorded the change, with ``moves`` (a list of DeadlineMove,
# perhaps empty), ``holiday`` (the BankHoliday row), ``nations`` (the parts of the UK whose
# calendars changed), ``actor`` and ``now``. Each receiver answers with a dict of counts by
# name ({"notified": 3}, {"returns_moved": 1}); the CalendarChange adds them up.
deadlines_moved = Signal()

# The longest business-day deadline is 35 business days (DISP 1.6.2AR(2)); a holiday can only
# move deadlines of complaints received within that span before it (generously bounded).
_LOOKBACK = timedelta(days=70)

# The Banking and Financial Dealings Act 1971 is where proclaimed bank holidays come from; a
# date outside 1971 to ten years ahead is a typing slip, not a proclamation.
_FIRST_YEAR = 1971
_YEARS_AHEAD = 10


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
    returns_moved: int = 0


# The business-day deadlines a holiday can move, with the labels owners are shown.
_MOVABLE = (
    ("receipt_date", "Receipt date (day 0)"),
    ("src_deadline", "Summary resolution deadline (DISP 1.5.1R)"),
    ("final_response_due", "Final response due (DISP 1.6.2R / 1.6.2AR(1))"),
    ("extended_final_response_due", "Extended final response due (DISP 1.6.2AR(2))"),
    ("fos_referral_open_from", "FOS referral possible from (DISP 2.8.1R)"),
)


def bank_holiday_add_and_recompute(
    *, nation: str, day: date, name: str, actor: Actor, now: datetime
) -> CalendarChange:
    """Add a one-off bank holiday for one region (see ``bank_holiday_proclaim``)."""
    return bank_holiday_proclaim(region=nation, day=day, name=name, actor=actor, now=now)


def _refuse(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed(ErrorCode.VALIDATION, message, fields={field_name: [message]})


def _check_year(field_name: str, day: date, now: datetime) -> None:
    last = london_date(now).year + _YEARS_AHEAD
    if not _FIRST_YEAR <= day.year <= last:
        raise _refuse(field_name, f"Give a date from {_FIRST_YEAR} to {last}.")


def _check(region: str, day: date, replaces: date | None, name: str, now: datetime) -> None:
    """Refuse a change that is not a proclamation this calendar can record, naming the field."""
    if region not in HolidayRegion.values:
        raise _refuse("region", f"Unknown region {region!r}.")
    require_text(name, "name", "Name the holiday.")
    _check_year("day", day, now)
    if replaces is not None:
        _check_year("replaces", replaces, now)
    calendars = calendars_by_nation(HolidayRegion.nations(region))
    for nation, calendar in calendars.items():
        label = HolidayRegion(nation).label.removesuffix(" only")
        if calendar.holiday_name(day) is not None:
            raise _refuse("day", f"{uk_date(day)} is already a bank holiday in {label}.")
        if replaces is None:
            continue
        if calendar.holiday_name(replaces) is None:
            raise _refuse("replaces", f"{uk_date(replaces)} is not a bank holiday in {label}.")
    named = glossary_day(replaces) if replaces is not None else None
    if named:
        # Glossary "business day" (1)(a) names Christmas Day and Good Friday itself.
        raise _refuse(
            "replaces", f"{named} is never a business day (Glossary); it cannot be moved."
        )


def _affected(nations: tuple[str, ...], earliest: date, latest: date) -> list[dict[str, Any]]:
    """Open complaints whose business-day deadlines a change between the two dates can move:
    received (the real arrival, before any after-hours deferral) up to the later date, within
    the longest business-day span before the earlier one."""
    until = datetime.combine(latest + timedelta(days=1), time(0), tzinfo=LONDON)
    return list(
        Complaint.objects.filter(
            firm__nation__in=nations,
            status__in=Status.open_states(),
            receipt_date__gte=earliest - _LOOKBACK,
            received_at__lt=until,
        )
        .order_by("pk")
        .values("pk", "firm_id", "reference", *(name for name, _ in _MOVABLE))
    )


def bank_holiday_proclaim(
    *,
    region: str,
    day: date,
    name: str,
    actor: Actor,
    now: datetime,
    replaces: date | None = None,
) -> CalendarChange:
    """Record one proclamation for ``region``: ``day`` becomes a bank holiday and, when the
    proclamation moves one, ``replaces`` stops being one. One row, one audit entry; the open
    complaints' business-day deadlines are recomputed (each change in its own history) and the
    apps above are told (owners notified, returns' stored due dates recomputed)."""
    with transaction.atomic():
        _check(region, day, replaces, name, now)
        holiday = BankHoliday(
            nation=region,
            date=day,
            replaces=replaces,
            name=name.strip(),
            created_by=history_user(actor),
        )
        reason = "calendar.move_bank_holiday" if replaces else "calendar.add_bank_holiday"
        try:
            with transaction.atomic():
                save_audited(holiday, actor=actor, reason=reason, before=None)
        except IntegrityError:
            # Someone recorded the same day for the region a moment ago.
            raise _refuse("day", f"{uk_date(day)} has just been recorded.") from None
        change = CalendarChange(holiday)
        nations = HolidayRegion.nations(region)
        dates = [day] if replaces is None else [day, replaces]
        why = f"bank holiday {replaces} moved to {day}" if replaces else f"bank holiday {day} added"
        moves = []
        for row in _affected(nations, min(dates), max(dates)):
            complaint, moved = complaint_recompute_deadlines(
                complaint_id=row["pk"], actor=actor, now=now, reason=why
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
        answers: list[tuple[Any, Any]] = deadlines_moved.send(
            sender=BankHoliday, moves=moves, holiday=holiday, nations=nations, actor=actor, now=now
        )
        for _, answer in answers:
            if isinstance(answer, dict):
                change.notified += int(answer.get("notified", 0))
                change.returns_moved += int(answer.get("returns_moved", 0))
    return change
