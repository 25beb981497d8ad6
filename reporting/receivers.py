"""Reactions to what the complaints lifecycle announces (connected in AppConfig.ready): the
calendar service sits below this app and cannot call it."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def on_deadlines_moved(
    sender: Any, *, holiday: Any, nations: tuple[str, ...], actor: Any, now: datetime, **kw: Any
) -> dict[str, int]:
    """A bank holiday was added or moved: recompute the stored due dates of returns not yet
    submitted, in the same transaction. Answers how many moved."""
    from .services.due_dates import returns_recompute_due_dates

    moved = returns_recompute_due_dates(
        nations=nations, actor=actor, now=now, reason=holiday.describe()
    )
    return {"returns_moved": moved}
