"""Stored due dates follow the calendar: a proclaimed bank holiday recomputes them.

SUP 16.34.5R(1): a return is due within 20 business days of its reporting reference date, on
the submission calendar (England, A3). A return's due date is stored when it is first computed;
when a bank holiday of that calendar is added or moved, every return not yet submitted gets its
due date recomputed, each change audited. A submitted return keeps the date it was due by.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction

from common.audit import Actor, save_audited, snapshot

from ..calendar import due_date
from ..models import Sup16Return
from ..selectors import submission_calendar


def returns_recompute_due_dates(
    *, nations: Iterable[str], actor: Actor, now: datetime, reason: str
) -> int:
    """Recompute the stored due date of every return not yet submitted when the submission
    calendar is among ``nations``; answers how many moved. ``reason`` says which change."""
    if getattr(settings, "SUP16_CALENDAR_NATION", "england") not in set(nations):
        return 0
    calendar = submission_calendar()
    moved = 0
    with transaction.atomic():
        pending = Sup16Return.objects.select_for_update().filter(submitted_version__isnull=True)
        for filing in pending.order_by("pk"):
            due = due_date(filing.period_end, calendar)
            if due == filing.due_date:
                continue
            before = snapshot(filing)
            filing.due_date = due
            save_audited(
                filing, actor=actor, reason=f"return.recompute_due_date: {reason}", before=before
            )
            moved += 1
    return moved
