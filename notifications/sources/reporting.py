"""SUP 16.34 returns falling due, for the reporting officers' reminders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.urls import reverse

from common.dates import uk_date
from notifications.due import ReminderItem
from notifications.models import Level
from reporting import selectors


def reporting_returns_due(
    firm_ids: list[int], today: date, within_business_days: int
) -> Iterable[ReminderItem]:
    """SUP 16.34.5R: returns due within the window, and overdue ones (unsubmitted required
    periods only)."""
    for r in selectors.returns_due(firm_ids, today, within_business_days=within_business_days):
        yield ReminderItem(
            object_key=f"return:{r.firm.pk}:{r.period.end.isoformat()}",
            firm_id=r.firm.pk,
            label=f"SUP 16.34 return for the quarter ending {uk_date(r.period.end)}",
            due=r.period.due,
            level=Level.BREACH if r.overdue else Level.NEAR,
            link=reverse("reporting:dashboard", args=[r.firm.pk]),
        )
